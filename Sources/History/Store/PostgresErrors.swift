// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import Foundation
import PostgresNIO
import TMDiagCore

/// PostgreSQL failures as one line for a person: the store (its URL, which has no password),
/// what failed, and why in the server's own words. Never the statement or its parameters
/// (they hold identifiers), never the password (it is in neither).
enum PostgresErrors {
    static func storeError(_ error: any Error, target: PostgresTarget, doing: String) -> TMDiagError {
        if let e = error as? TMDiagError { return e }
        let store = "store \(target)"
        guard let e = error as? PSQLError else {
            return TMDiagError("\(store): \(doing): \(TerminalText.escape(String(describing: error), limit: 200))", status: .ioError)
        }
        if let info = e.serverInfo {
            let state = info[.sqlState] ?? ""
            let why = TerminalText.escape(info[.message] ?? "server error \(state)", limit: 300)
            switch state {
            case "28P01", "28000":
                return TMDiagError("\(store): \(doing): \(why) (the password comes from PGPASSWORD, else ~/.pgpass or "
                                   + "the file PGPASSFILE names)", status: .noPermission)
            case "42501":
                return TMDiagError("\(store): \(doing): permission denied (\(why)); ask the store's administrator for the "
                                   + "importer or agent role", status: .noPermission)
            case "3D000":
                return TMDiagError("\(store): \(doing): \(why)", status: .notFound)
            case "40P01", "40001", "55P03":
                return TMDiagError("\(store) is busy (\(why)); try again", status: .ioError)
            case let s where s.hasPrefix("08") || s.hasPrefix("53") || s.hasPrefix("57"):
                return TMDiagError("\(store): \(doing): \(why)", status: .unavailable)
            default:
                return TMDiagError("\(store): \(doing): \(why)", status: .ioError)
            }
        }
        switch e.code {
        case .authMechanismRequiresPassword:
            return TMDiagError("\(store): \(doing): the server asks for a password; set PGPASSWORD or put it in ~/.pgpass "
                               + "(or the file PGPASSFILE names)", status: .noPermission)
        case .unsupportedAuthMechanism, .saslError:
            return TMDiagError("\(store): \(doing): authentication failed (\(e.code))", status: .noPermission)
        case .sslUnsupported:
            return TMDiagError("\(store): \(doing): the server does not offer TLS, which sslmode=\(target.sslMode.rawValue) requires",
                               status: .unavailable)
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .failedToAddSSLHandler:
            let why = e.underlying.map { TerminalText.escape(String(describing: $0), limit: 200) } ?? "\(e.code)"
            return TMDiagError("\(store): \(doing): server unreachable (\(why))", status: .unavailable)
        default:
            return TMDiagError("\(store): \(doing): \(e.code)", status: .ioError)
        }
    }
}
#endif
