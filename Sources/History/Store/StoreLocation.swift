import Foundation
import TMDiagCore

/// Where the history store is, as `--store` or `TMDIAG_STORE` names it: an SQLite file (a
/// path), or a PostgreSQL database shared by a team (`postgresql://USER@HOST:PORT/DB`, also
/// `postgres://`, as libpq writes it). The password is never part of it: it comes from
/// `PGPASSWORD` or a password file (`PostgresPassword`), so that it shows in no `ps` listing,
/// shell history or error message.
public enum StoreLocation: Sendable, Hashable {
    case sqlite(path: String)
    case postgres(PostgresTarget)

    public static func parse(_ text: String) throws(TMDiagError) -> StoreLocation {
        let lower = text.lowercased()
        guard lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://") else { return .sqlite(path: text) }
        return .postgres(try PostgresTarget(url: text))
    }
}

/// A PostgreSQL server and database, from a connection URL.
public struct PostgresTarget: Sendable, Hashable, CustomStringConvertible {
    public var user: String
    /// A host name or address, or the folder of a Unix socket (starts with `/`).
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    /// The URL as tmdiag shows it: no password (there is none to show).
    public var description: String {
        let shownHost = host.hasPrefix("/") ? host.replacingOccurrences(of: "/", with: "%2F") : (host.contains(":") ? "[\(host)]" : host)
        return "postgresql://\(user)@\(shownHost):\(port)/\(database)" + (sslMode == .prefer ? "" : "?sslmode=\(sslMode.rawValue)")
    }

    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// TLS as libpq's `sslmode` asks for it.
    public enum SSLMode: String, Sendable, CaseIterable {
        /// No TLS.
        case disable
        /// Plain first, TLS if the server insists.
        case allow
        /// TLS if the server offers it, else plain (libpq's default).
        case prefer
        /// TLS, the server's certificate not checked.
        case require
        /// TLS, the certificate checked against the trusted roots.
        case verifyCA = "verify-ca"
        /// TLS, the certificate checked and its name matched to the host.
        case verifyFull = "verify-full"
    }

    public init(user: String, host: String, port: Int = 5432, database: String, sslMode: SSLMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    /// Reads `postgresql://USER@HOST:PORT/DB[?sslmode=MODE]`. Errors never repeat what stood
    /// where a password would be.
    public init(url text: String) throws(TMDiagError) {
        func refuse(_ why: String) -> TMDiagError {
            TMDiagError("--store: \(why) (expected postgresql://USER@HOST:PORT/DATABASE)", status: .usage)
        }
        guard let schemeEnd = text.range(of: "://") else { throw refuse("not a PostgreSQL URL") }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query = ""
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        let slash = rest.firstIndex(of: "/")
        let authority = slash.map { rest[..<$0] } ?? rest
        let path = slash.map { rest[rest.index(after: $0)...] } ?? ""
        guard let at = authority.lastIndex(of: "@") else { throw refuse("no user (USER@ before the host)") }
        let userInfo = authority[..<at]
        if userInfo.contains(":") {
            throw TMDiagError("--store: a password does not belong in the URL, where `ps` and shell history show it; "
                              + "remove it and set PGPASSWORD or put it in ~/.pgpass (or the file PGPASSFILE names)",
                              status: .usage)
        }
        guard let user = Self.decode(userInfo), !user.isEmpty else { throw refuse("no user (USER@ before the host)") }
        var hostPort = authority[authority.index(after: at)...]
        var port = 5432
        var host: String
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw refuse("an IPv6 address without its closing ']'") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            hostPort = hostPort[hostPort.index(after: close)...]
            if !hostPort.isEmpty {
                guard hostPort.hasPrefix(":") else { throw refuse("unexpected text after the host") }
                port = try Self.port(hostPort.dropFirst(), refuse)
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            guard let h = Self.decode(hostPort[..<colon]) else { throw refuse("the host is not valid percent-encoding") }
            host = h
            port = try Self.port(hostPort[hostPort.index(after: colon)...], refuse)
        } else {
            guard let h = Self.decode(hostPort) else { throw refuse("the host is not valid percent-encoding") }
            host = h
        }
        guard !host.isEmpty else { throw refuse("no host") }
        guard let database = Self.decode(path), !database.isEmpty, !database.contains("/") else { throw refuse("no database name") }
        var sslMode = SSLMode.prefer
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let key = String(kv[0])
            let value = kv.count > 1 ? (Self.decode(kv[1]) ?? "") : ""
            switch key {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw TMDiagError("--store: sslmode '\(TerminalText.escape(value, limit: 20))' is not one of "
                                      + SSLMode.allCases.map(\.rawValue).joined(separator: ", "), status: .usage)
                }
                sslMode = mode
            case "password":
                throw TMDiagError("--store: a password does not belong in the URL, where `ps` and shell history show it; "
                                  + "remove it and set PGPASSWORD or put it in ~/.pgpass (or the file PGPASSFILE names)",
                                  status: .usage)
            default:
                throw refuse("unknown parameter '\(TerminalText.escape(key, limit: 30))' (tmdiag reads only sslmode)")
            }
        }
        self.init(user: user, host: host, port: port, database: database, sslMode: sslMode)
    }

    private static func port(_ s: Substring, _ refuse: (String) -> TMDiagError) throws(TMDiagError) -> Int {
        guard let p = Int(s), (1...65_535).contains(p) else { throw refuse("the port is not a number from 1 to 65535") }
        return p
    }

    private static func decode(_ s: Substring) -> String? { String(s).removingPercentEncoding }
}
