import GRDB

/// The store's schema, one migration per version. Each record type creates its own tables
/// (`migrateV1` next to its fields); this list says in which order and at which version.
enum Schema {
    /// Written to `PRAGMA user_version` by the newest migration; a store with a larger number
    /// comes from a newer tmdiag and is refused.
    static let version = 1

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try Account.migrateV1(db)
            try Line.migrateV1(db)
            try LineIdentity.migrateV1(db)
            try ServiceEvent.migrateV1(db)
            try SupportCase.migrateV1(db)
            try ReportRecord.migrateV1(db)
            try TACEntry.migrateV1(db)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        return m
    }
}
