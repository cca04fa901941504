import Foundation
import GRDB
import Testing
@testable import History

/// Stores in the field were created by older schemas: each opens and migrates to the current
/// version with its data intact, and the frozen migrations still create what they created.
@Suite("Store migrations")
struct MigrationTests {
    static let v1Store = fixture("store-v1.sql")

    /// A store file made from the v1 fixture's SQL.
    static func makeV1Store(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("v1.sqlite").path
        let sql = try String(contentsOfFile: v1Store, encoding: .utf8)
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
        try queue.close()
        return path
    }

    /// The CREATE statements of a database's tables and indexes, without GRDB's own.
    static func schema(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT IN ('grdb_migrations', 'sqlite_sequence')
            ORDER BY name
            """).map { $0.replacingOccurrences(of: "CREATE TABLE IF NOT EXISTS", with: "CREATE TABLE") }
    }

    @Test func aStoreCreatedByV1OpensAtTheCurrentVersionWithItsData() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try HistoryStore.open(path: try Self.makeV1Store(in: dir))
        #expect(try store.schemaVersion() == Schema.version)
        let history = try #require(try store.history(account: "acc-2001"))
        #expect(history.account.id == "ACC-2001")
        #expect(history.lines.count == 3)
        #expect(history.events.count == 4)
        #expect(history.cases.count == 1)
        // What the v1 store holds exports as the sample it was imported from says.
        let fresh = try TempStore(importing: ["business.json"])
        defer { fresh.cleanup() }
        #expect(try store.exportJSON() == fresh.store.exportJSON())
    }

    @Test func theV1MigrationCreatesExactlyTheV1Schema() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let old = try DatabaseQueue(path: try Self.makeV1Store(in: dir))
        let fresh = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        migrator.registerMigration(MigrationV1.identifier) { db in try db.execute(sql: MigrationV1.sql) }
        try migrator.migrate(fresh)
        let created = try fresh.read(Self.schema)
        let frozen = try old.read(Self.schema)
        #expect(created == frozen)
        #expect(try fresh.read { try Int.fetchOne($0, sql: "PRAGMA user_version") } == 1)
    }
}
