import Foundation
import Testing
import TMDiagCore
@testable import History

/// The throwaway server of Tests/postgres/with-server.sh, when the tests run under it.
enum TestPostgres {
    static let environment = ProcessInfo.processInfo.environment
    static let socket = environment["TMDIAG_TEST_POSTGRES_SOCKET"]
    static let bin = environment["TMDIAG_TEST_POSTGRES_BIN"] ?? "/usr/bin"
    #if PostgreSQL
    static var available: Bool { socket != nil }
    static var skipReason: Comment {
        Comment(rawValue: "PostgreSQL: " + (environment["TMDIAG_TEST_POSTGRES_SKIP"]
            ?? "no test server (run under Tests/postgres/with-server.sh, as make test does)"))
    }
    #else
    static var available: Bool { false }
    static var skipReason: Comment {
        "PostgreSQL: this build has no PostgreSQL backend (built without the PostgreSQL trait, as make test-tsan builds; the first pass of make test runs these)"
    }
    #endif

    /// Runs SQL through psql on `database`; its output (unaligned, tuples only) or the error.
    @discardableResult
    static func psql(_ sql: String, database: String = "tmdiag_test",
                     environment extra: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "\(bin)/psql")
        p.arguments = ["-h", socket!, "-U", "tmdiag", "-d", database, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
                String(decoding: e, as: UTF8.self))
    }

    /// A fresh database with the frozen schema applied; dropped by the caller's `defer`.
    static func freshDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try #require(try psql("CREATE DATABASE \(name);").status == 0)
        for (_, sql) in PostgresSchema.migrations {
            let r = try psql("BEGIN;\nSELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock));\n\(sql)\nCOMMIT;", database: name)
            try #require(r.status == 0, "\(r.err)")
        }
        return name
    }

    static func drop(_ name: String) { _ = try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE);") }

    /// A SQL literal of a stored value (test input built here, never user text).
    static func literal(_ v: StoredValue) -> String {
        switch v {
        case .text(let s?): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
        case .integer(let n?): return String(n)
        case .text(nil), .integer(nil): return "NULL"
        }
    }

    /// One import as the PostgreSQL store writes it: one transaction, accounts and cases upserted,
    /// events in multi-row INSERTs that skip what is stored (the natural-key constraint decides).
    static func importSQL(_ events: [(account: String, event: EventInput)]) -> String {
        var sql = "BEGIN;\n"
        for account in Set(events.map(\.account)).sorted() {
            sql += "INSERT INTO account (id, type) VALUES ('\(account)', 'consumer') ON CONFLICT (id) DO NOTHING;\n"
        }
        for (account, e) in events where e.kind == .supportCase {
            sql += """
                INSERT INTO supportCase (number, accountId, status, openedAt, updatedAt) VALUES ('\(e.caseNumber!)', '\(account)', 'open', \(e.at), \(e.at))
                ON CONFLICT (lower(number)) DO UPDATE SET updatedAt = greatest(supportCase.updatedAt, excluded.updatedAt);

                """
        }
        for batch in stride(from: 0, to: events.count, by: 500) {
            let rows = events[batch..<min(batch + 500, events.count)].map { a, e in
                "(" + e.storedValues(accountId: a, fingerprint: e.fingerprint(accountId: a)).map(literal).joined(separator: ", ") + ")"
            }
            sql += "INSERT INTO serviceEvent (\(ServiceEvent.writtenColumns.joined(separator: ", "))) VALUES\n"
                + rows.joined(separator: ",\n") + "\nON CONFLICT ON CONSTRAINT serviceEvent_natural_key DO NOTHING;\n"
        }
        return sql + "COMMIT;\n"
    }

    static func count(_ table: String, database: String) throws -> Int {
        Int(try psql("SELECT count(*) FROM \(table);", database: database).out) ?? -1
    }
}

@Suite("PostgreSQL store schema", .enabled(if: TestPostgres.available, TestPostgres.skipReason))
struct PostgresSchemaTests {
    @Test func theFrozenMigrationCreatesTheSchemaAndRecordsItsVersion() throws {
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        #expect(try TestPostgres.psql("SELECT version FROM tmdiag_schema_version;", database: db).out == "1")
        let tables = try TestPostgres.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1;", database: db).out
        #expect(tables.split(separator: "\n") == ["account", "casereport", "line", "lineidentity", "report", "reportidentifier",
                                                 "serviceevent", "supportcase", "tac", "tmdiag_schema_version"])
        // The event table has the columns an import writes, by the same names.
        let columns = try TestPostgres.psql("""
            SELECT column_name FROM information_schema.columns WHERE table_name = 'serviceevent' ORDER BY ordinal_position;
            """, database: db).out
        #expect(columns.split(separator: "\n").map(String.init) == ["id"] + ServiceEvent.writtenColumns.map { $0.lowercased() })
    }

    static func events(_ range: Range<Int>) -> [(account: String, event: EventInput)] {
        range.map { i in
            var e = EventInput(at: 1_790_000_000 + Int64(i) * 60, kind: i % 50 == 0 ? .supportCase : .note, summary: "event \(i)")
            if e.kind == .supportCase { e.caseNumber = "CAS-PG\(i)" }
            e.msisdn = "+1206555\(String(format: "%04d", i % 100))"
            return (account: "PG-\(i % 16)", event: e)
        }
    }

    /// Eight importers of overlapping files and 32 lookups at once: every event and case once.
    @Test func concurrentOverlappingImportsNeverDuplicate() async throws {
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        // Importer k writes events [k*500, k*500 + 1500): each overlaps the next two.
        let files = (0..<8).map { k in TestPostgres.importSQL(Self.events((k * 500)..<(k * 500 + 1_500))) }
        let results = try await withThrowingTaskGroup(of: (Int32, String).self) { group in
            for sql in files { group.addTask { let r = try TestPostgres.psql(sql, database: db); return (r.status, r.err) } }
            for i in 0..<32 {
                group.addTask {
                    let r = try TestPostgres.psql("SELECT count(*) FROM serviceEvent WHERE msisdn = '+1206555\(String(format: "%04d", i))';",
                                                  database: db)
                    return (r.status, r.err)
                }
            }
            var all: [(Int32, String)] = []
            for try await r in group { all.append(r) }
            return all
        }
        for (status, err) in results { #expect(status == 0, "\(err)") }
        let distinct = 7 * 500 + 1_500
        #expect(try TestPostgres.count("serviceEvent", database: db) == distinct)
        #expect(try TestPostgres.count("supportCase", database: db) == distinct / 50)
        #expect(try TestPostgres.count("account", database: db) == 16)
        #expect(try TestPostgres.psql("SELECT count(*) FROM (SELECT 1 FROM serviceEvent GROUP BY accountId, at, fingerprint HAVING count(*) > 1) d;",
                                      database: db).out == "0")
    }

    /// A bad row anywhere in an import takes the whole transaction back.
    @Test func aBadRowLeavesTheDatabaseAsItWas() throws {
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        #expect(try TestPostgres.psql(TestPostgres.importSQL(Self.events(0..<100)), database: db).status == 0)
        var bad = TestPostgres.importSQL(Self.events(100..<2_000))
        bad = bad.replacingOccurrences(of: "COMMIT;\n", with: """
            INSERT INTO serviceEvent (accountId, at, kind, summary, fingerprint) VALUES ('PG-1', 1, 'not_a_kind', 'x', 1);
            COMMIT;

            """)
        let r = try TestPostgres.psql(bad, database: db)
        #expect(r.status != 0)
        #expect(r.err.contains("serviceevent_kind_check"), "\(r.err)")
        #expect(try TestPostgres.count("serviceEvent", database: db) == 100)
        #expect(try TestPostgres.count("supportCase", database: db) == 2)
    }

    /// The two roles of a team: what each may write, checked by the server.
    @Test func theImporterAndAgentRolesWriteOnlyTheirTables() throws {
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        let suffix = String(db.suffix(8))
        let importer = "tmdiag_importer_\(suffix)", agent = "tmdiag_agent_\(suffix)"
        defer { _ = try? TestPostgres.psql("DROP OWNED BY \(importer), \(agent); DROP ROLE \(importer); DROP ROLE \(agent);", database: db) }
        let setup = "CREATE ROLE \(importer) NOLOGIN; CREATE ROLE \(agent) NOLOGIN;\n"
            + PostgresSchema.grantsSQL(importer: importer, agent: agent)
        #expect(try TestPostgres.psql(setup, database: db).status == 0)
        func asRole(_ role: String, _ sql: String) throws -> (status: Int32, err: String) {
            let r = try TestPostgres.psql("SET ROLE \(role);\n\(sql)", database: db)
            return (r.status, r.err)
        }
        #expect(try asRole(importer, "INSERT INTO account (id, type) VALUES ('R-1', 'consumer');").status == 0)
        #expect(try asRole(importer, "INSERT INTO tac (tac, model) VALUES ('35693803', 'X');").status == 0)
        #expect(try asRole(agent, "INSERT INTO report (id, createdAt, json, sha256) VALUES ('R-X', 1, 'x', 'y');").status == 0)
        #expect(try asRole(agent, "INSERT INTO supportCase (accountId, status, openedAt, updatedAt) VALUES ('R-1', 'draft', 1, 1);").status == 0)
        #expect(try asRole(agent, "SELECT count(*) FROM serviceEvent;").status == 0)
        let denied = [(agent, "INSERT INTO account (id, type) VALUES ('R-2', 'consumer');"),
                      (agent, "DELETE FROM serviceEvent;"),
                      (agent, "INSERT INTO tac (tac) VALUES ('12345678');"),
                      (importer, "INSERT INTO report (id, createdAt, json, sha256) VALUES ('R-Y', 1, 'x', 'y');"),
                      (importer, "DELETE FROM account;")]
        for (role, sql) in denied {
            let r = try asRole(role, sql)
            #expect(r.status != 0 && r.err.contains("permission denied"), "\(role): \(sql)")
        }
    }
}
