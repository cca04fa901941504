import Foundation
import Testing
import TMDiagCore
@testable import History

/// `--store` as a path or a PostgreSQL URL; the password from where libpq finds it, never from
/// the URL and never in a message.
@Suite("Store location and PostgreSQL credentials")
struct StoreLocationTests {
    @Test func pathsAreSQLiteAndURLsArePostgreSQL() throws {
        #expect(try StoreLocation.parse("/var/lib/tmdiag/store.sqlite") == .sqlite(path: "/var/lib/tmdiag/store.sqlite"))
        #expect(try StoreLocation.parse("relative/postgresql.sqlite") == .sqlite(path: "relative/postgresql.sqlite"))
        let t = PostgresTarget(user: "agent", host: "db.example.net", port: 5433, database: "support")
        #expect(try StoreLocation.parse("postgresql://agent@db.example.net:5433/support") == .postgres(t))
        #expect(try StoreLocation.parse("postgres://agent@db.example.net:5433/support") == .postgres(t))
        #expect(try PostgresTarget(url: "postgresql://a@h/db").port == 5432)
        #expect(try PostgresTarget(url: "postgresql://a@[::1]:6000/db").host == "::1")
        let socket = try PostgresTarget(url: "postgresql://a@%2Fvar%2Frun%2Fpostgresql:5432/db")
        #expect(socket.isUnixSocket && socket.host == "/var/run/postgresql")
        #expect(socket.description == "postgresql://a@%2Fvar%2Frun%2Fpostgresql:5432/db")
    }

    @Test func sslModeIsLibpqs() throws {
        #expect(try PostgresTarget(url: "postgresql://a@h/db").sslMode == .prefer)
        for mode in PostgresTarget.SSLMode.allCases {
            #expect(try PostgresTarget(url: "postgresql://a@h/db?sslmode=\(mode.rawValue)").sslMode == mode)
        }
        let e = #expect(throws: TMDiagError.self) { try PostgresTarget(url: "postgresql://a@h/db?sslmode=sometimes") }
        #expect(e?.message == "--store: sslmode 'sometimes' is not one of disable, allow, prefer, require, verify-ca, verify-full")
        #expect(e?.status == .usage)
    }

    @Test func aPasswordInTheURLIsRefusedWithoutRepeatingIt() throws {
        for url in ["postgresql://agent:hunter2secret@db/support", "postgres://agent:hunter2secret@db:5432/support",
                    "postgresql://agent@db/support?password=hunter2secret"] {
            let e = #expect(throws: TMDiagError.self) { try StoreLocation.parse(url) }
            #expect(e?.status == .usage)
            #expect(e?.message.contains("PGPASSWORD") == true)
            #expect(e?.message.contains("hunter2secret") == false, "\(e?.message ?? "")")
        }
        let t = try PostgresTarget(url: "postgresql://agent@db/support")
        #expect(!t.description.contains(":@") && t.description == "postgresql://agent@db:5432/support")
    }

    @Test func badURLsSayWhatIsMissing() {
        let cases = [("postgresql://db/support", "no user"), ("postgresql://a@db", "no database name"),
                     ("postgresql://a@db:99999/x", "the port is not a number"), ("postgresql://a@/x", "no host"),
                     ("postgresql://a@db/x?application_name=y", "unknown parameter 'application_name'")]
        for (url, expected) in cases {
            let e = #expect(throws: TMDiagError.self) { try StoreLocation.parse(url) }
            #expect(e?.message.contains(expected) == true, "\(url): \(e?.message ?? "")")
        }
    }

    /// A URL is a server to connect to, never a file named `postgresql:`; one that does not
    /// answer (port 1 on loopback: refused at once) is one line with status 69.
    @Test func anUnreachableServerIsUnavailableAndNoFileIsMade() throws {
        let e = #expect(throws: TMDiagError.self) { try HistoryStore.open(path: "postgresql://agent@127.0.0.1:1/support") }
        #expect(e?.status == .unavailable)
        #if PostgreSQL
        #expect(e?.message.hasPrefix("store postgresql://agent@127.0.0.1:1/support: cannot connect: server unreachable") == true,
                "\(e?.message ?? "")")
        #else
        #expect(e?.message.contains("not available in this build") == true, "\(e?.message ?? "")")
        #endif
        #expect(e?.message.contains("\n") == false)
        #expect(!FileManager.default.fileExists(atPath: "postgresql:"))
    }

    #if PostgreSQL
    /// sslmode as libpq users expect it: plain, TLS if offered, TLS or nothing.
    @Test func sslModesMapToTLSAsLibpqDoes() throws {
        func tls(_ mode: PostgresTarget.SSLMode) throws -> (allowed: Bool, enforced: Bool) {
            let t = PostgresTarget(user: "agent", host: "db.example.net", database: "support", sslMode: mode)
            let c = try PostgresTLS.configuration(for: t, environment: ["HOME": "/nonexistent"])
            return (c.isAllowed, c.isEnforced)
        }
        #expect(try tls(.disable) == (false, false))
        #expect(try tls(.allow) == (true, false))
        #expect(try tls(.prefer) == (true, false))
        for mode in [PostgresTarget.SSLMode.require, .verifyCA, .verifyFull] { #expect(try tls(mode) == (true, true), "\(mode)") }
        #expect(PostgresTLS.rootCertificateFile(["HOME": "/nonexistent"]) == nil)
        #expect(PostgresTLS.rootCertificateFile(["PGSSLROOTCERT": "/etc/ca.pem"]) == "/etc/ca.pem")
    }
    #endif

    @Test(.enabled(if: binaryExists, "needs .build/debug/tmdiag (swift build)"))
    func theCommandLineNeverPrintsAPasswordGivenInTheURL() throws {
        let r = try runTMDiag(["history", "show", "--account", "A"], store: "postgresql://agent:hunter2secret@db/support")
        #expect(r.status == ExitStatus.usage.rawValue)
        #expect(!r.out.contains("hunter2secret") && !r.err.contains("hunter2secret"), "\(r.err)")
        #expect(r.err.contains("PGPASSWORD"))
    }

    // MARK: - The password, as libpq finds it

    let target = PostgresTarget(user: "agent", host: "db.example.net", port: 5432, database: "support")

    @Test func pgpasswordComesFirst() {
        #expect(PostgresPassword.find(for: target, environment: ["PGPASSWORD": "from-env", "PGPASSFILE": "/nonexistent"]) == "from-env")
        #expect(PostgresPassword.find(for: target, environment: ["PGPASSFILE": "/nonexistent"]) == nil)
    }

    @Test func passwordFileLinesMatchWithWildcardsAndEscapes() {
        let text = """
            # comment line
            other.host:5432:support:agent:wrong
            db.example.net:5432:other:agent:wrong-db
            db.example.net:*:support:agent:pa\\:ss\\\\word
            *:*:*:*:fallback
            """
        #expect(PostgresPassword.match(text, for: target) == "pa:ss\\word")
        var other = target
        other.user = "importer"
        #expect(PostgresPassword.match(text, for: other) == "fallback")
        let socket = PostgresTarget(user: "agent", host: "/run/postgresql", database: "support")
        #expect(PostgresPassword.match("localhost:5432:support:agent:sock\n", for: socket) == "sock")
    }

    @Test func aPasswordFileOthersCanReadIsIgnored() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = write("*:*:*:*:filepass\n", to: dir, name: "pgpass")
        chmod(path, 0o644)
        #expect(PostgresPassword.find(for: target, environment: ["PGPASSFILE": path]) == nil)
        chmod(path, 0o600)
        #expect(PostgresPassword.find(for: target, environment: ["PGPASSFILE": path]) == "filepass")
        // ~/.pgpass when PGPASSFILE is not set.
        #expect(PostgresPassword.find(for: target, environment: ["HOME": dir.path]) == nil)
        _ = write("*:*:*:*:homepass\n", to: dir, name: ".pgpass")
        chmod(dir.appendingPathComponent(".pgpass").path, 0o600)
        #expect(PostgresPassword.find(for: target, environment: ["HOME": dir.path]) == "homepass")
    }
}
