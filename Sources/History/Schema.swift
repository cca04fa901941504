import GRDB

/// The store's schema: one frozen migration per version (`Migrations/`), applied in order.
enum Schema {
    /// Written to `PRAGMA user_version` by the newest migration; a store with a larger number
    /// comes from a newer tmdiag and is refused.
    static let version = 1

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration(MigrationV1.identifier) { db in try db.execute(sql: MigrationV1.sql) }
        return m
    }
}
