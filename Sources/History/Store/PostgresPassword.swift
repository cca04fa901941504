import Foundation
import TMDiagCore

/// The password for a PostgreSQL store, found the way libpq finds it: `PGPASSWORD`, else the
/// first matching line of the password file (`PGPASSFILE`, else `~/.pgpass`). A password file
/// that others may read is ignored, as libpq ignores it. Nothing here puts the password in a
/// message.
public enum PostgresPassword {
    public static func find(for target: PostgresTarget,
                            environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let p = environment["PGPASSWORD"], !p.isEmpty { return p }
        let file = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? NSHomeDirectory() + "/.pgpass")
        guard isPrivate(file), let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return match(text, for: target)
    }

    /// libpq reads a password file only when group and others have no access to it.
    static func isPrivate(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return false }
        return st.st_mode & 0o077 == 0
    }

    /// The password of the first line `host:port:database:user:password` that fits; `*`
    /// matches anything, `\:` and `\\` stand for `:` and `\`, `#` starts a comment line. A
    /// connection over a Unix socket matches the host `localhost`, as in libpq.
    static func match(_ text: String, for target: PostgresTarget) -> String? {
        let host = target.isUnixSocket ? "localhost" : target.host
        let wanted = [host, String(target.port), target.database, target.user]
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if raw.hasPrefix("#") { continue }
            let fields = split(raw)
            guard fields.count == 5 else { continue }
            let fits = zip(fields.prefix(4), wanted).allSatisfy { pattern, value in pattern == "*" || pattern == value }
            if fits { return fields[4] }
        }
        return nil
    }

    /// Splits a line on unescaped colons, undoing `\:` and `\\`.
    static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == ":", fields.count < 4 { fields.append(current); current = ""; continue }
            current.append(ch)
        }
        fields.append(current)
        return fields
    }
}
