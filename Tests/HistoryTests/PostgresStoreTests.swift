import Foundation
import Testing
import TMDiagCore
@testable import History

/// What only the shared store has: the command line on a URL, passwords (agents at once:
/// ConcurrentImportTests, on both backends).
@Suite("PostgreSQL store", .enabled(if: TestPostgres.available, TestPostgres.skipReason))
struct PostgresStoreTests {
    /// `--store postgresql://...` through the command line gives what the SQLite store gives.
    @Test(.enabled(if: binaryExists, "needs .build/debug/tmdiag (swift build)"))
    func theCommandLineOnAURLAnswersAsOnAFile() throws {
        let db = try TestPostgres.emptyDatabase()
        defer { TestPostgres.drop(db) }
        let url = TestPostgres.url(database: db)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("tmdiag.sqlite").path
        for store in [url, file] {
            for f in ["consumer.json", "events.csv"] {
                let r = try runTMDiag(["history", "import", fixture(f)], store: store)
                #expect(r.status == 0, "\(store): \(r.err)")
            }
        }
        let commands = [["lookup", "imei", "356938035643809"], ["lookup", "line", "+12065550142"], ["lookup", "account", "acc-1001"],
                        ["lookup", "case", "CAS-88300"], ["history", "show", "--account", "ACC-1001"], ["history", "export"],
                        ["--json", "lookup", "imei", "35693803*******3809"]]
        for args in commands {
            let pg = try runTMDiag(args, store: url), lite = try runTMDiag(args, store: file)
            #expect(pg.status == lite.status, "\(args): \(pg.err)")
            #expect(pg.out == lite.out, "\(args)")
            #expect(!pg.out.isEmpty, "\(args)")
        }
        // TMDIAG_STORE and --store both take the URL.
        let viaOption = try runTMDiag(["--store", url, "lookup", "account", "ACC-1001"], store: "/nonexistent/none.sqlite")
        #expect(viaOption.status == 0, "\(viaOption.err)")
    }

    /// A password reaches the server and nothing else: not the output, not an error.
    @Test(.enabled(if: binaryExists, "needs .build/debug/tmdiag (swift build)"))
    func aPasswordNeverShows() throws {
        let secret = "s3cret-\(UUID().uuidString.prefix(8))"
        let db = try TestPostgres.emptyDatabase()
        defer { TestPostgres.drop(db) }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pgpass = dir.appendingPathComponent("pgpass").path
        _ = FileManager.default.createFile(atPath: pgpass, contents: Data("*:*:*:*:\(secret)\n".utf8), attributes: [.posixPermissions: 0o600])
        for env in [["PGPASSWORD": secret], ["PGPASSFILE": pgpass]] {
            // A server that answers (the test server trusts its socket) and one that does not.
            for store in [TestPostgres.url(database: db), "postgresql://tmdiag@127.0.0.1:1/\(db)"] {
                for args in [["history", "import", fixture("consumer.json")], ["lookup", "account", "ACC-1001"]] {
                    let r = try runTMDiag(args, store: store, environment: env)
                    #expect(!r.out.contains(secret) && !r.err.contains(secret), "\(args) \(store)")
                    if store.contains("127.0.0.1") {
                        #expect(r.status == ExitStatus.unavailable.rawValue)
                        #expect(r.err.split(separator: "\n").count == 1, "\(r.err)")
                    }
                }
            }
        }
    }

    #if PostgreSQL
    /// A server that checks passwords: a wrong one is refused with the server's words and
    /// status 77, the right one works; neither is ever shown. Runs a second throwaway server
    /// of its own (password authentication) on a socket in a temporary folder.
    @Test func aWrongPasswordIsNoPermissionInTheServersWords() throws {
        guard let server = try PasswordServer.start() else { return }
        defer { server.stop() }
        let url = "postgresql://tmdiag@" + server.socket.replacingOccurrences(of: "/", with: "%2F") + ":5432/postgres"
        let wrong = "wrong-\(UUID().uuidString.prefix(6))"
        let e = #expect(throws: TMDiagError.self) {
            _ = try PostgresSession.connect(try PostgresTarget(url: url), environment: ["PGPASSWORD": wrong, "HOME": "/nonexistent"])
        }
        #expect(e?.status == .noPermission)
        #expect(e?.message.contains("password authentication failed for user \"tmdiag\"") == true, "\(e?.message ?? "")")
        #expect(e?.message.contains(wrong) == false)
        let none = #expect(throws: TMDiagError.self) {
            _ = try PostgresSession.connect(try PostgresTarget(url: url), environment: ["HOME": "/nonexistent"])
        }
        #expect(none?.status == .noPermission)
        #expect(none?.message.contains("PGPASSWORD") == true, "\(none?.message ?? "")")
        let session = try PostgresSession.connect(try PostgresTarget(url: url), environment: ["PGPASSWORD": server.password])
        #expect(try session.run("SELECT 1").rows.count == 1)
    }
    #endif
}

/// A throwaway PostgreSQL server that asks for a password (scram-sha-256), for one test.
struct PasswordServer {
    let dir: String
    let socket: String
    let password: String
    let bin: String

    static func asOwner(_ args: [String]) -> [String] { getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + args : args }

    /// Runs a command through the shell, its output to `log`, and waits for it with waitpid:
    /// Foundation's `Process` did not see pg_ctl end while the server it started ran on.
    static func run(_ args: [String], log: String) throws -> Int32 {
        let words = ["/bin/sh", "-c", "exec \"$@\" >>'\(log)' 2>&1 </dev/null", "sh"] + asOwner(args)
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (status >> 8) & 0xFF
    }

    static func start() throws -> PasswordServer? {
        let bin = TestPostgres.bin
        let dir = try #require(mkdtemp(strdup(FileManager.default.temporaryDirectory.path + "/tmdiag-pgpw.XXXXXX")).map { String(cString: $0) })
        if getuid() == 0 { chown(dir, getpwnam("postgres").pointee.pw_uid, 0) }
        let password = "pw-\(UUID().uuidString.prefix(8))"
        let pwfile = dir + "/pw"
        _ = FileManager.default.createFile(atPath: pwfile, contents: Data(password.utf8), attributes: [.posixPermissions: 0o644])
        let server = PasswordServer(dir: dir, socket: dir, password: password, bin: bin)
        let log = dir + "/setup.log"
        guard try run(["\(bin)/initdb", "-D", dir + "/data", "-U", "tmdiag", "--auth=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8"],
                      log: log) == 0,
              try run(["\(bin)/pg_ctl", "-D", dir + "/data", "-w", "-t", "60", "-l", dir + "/log", "-o",
                       "-c listen_addresses='' -c unix_socket_directories='\(dir)' -c fsync=off", "start"], log: log) == 0 else {
            print("skipped: a password-checking PostgreSQL server could not be started in \(dir)")
            server.stop()
            return nil
        }
        return server
    }

    func stop() {
        _ = try? Self.run(["\(bin)/pg_ctl", "-D", dir + "/data", "-m", "immediate", "-w", "stop"], log: "/dev/null")
        try? FileManager.default.removeItem(atPath: dir)
    }
}
