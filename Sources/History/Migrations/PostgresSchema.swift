/// The PostgreSQL store's schema: frozen migrations in order, and the roles a team needs.
enum PostgresSchema {
    static let version = 1

    /// (version, SQL) of every migration, oldest first. Each runs in one transaction, under an
    /// advisory lock so that two agents opening a new store at once do not both migrate it.
    static let migrations: [(version: Int, sql: String)] = [(PostgresMigrationV1.version, PostgresMigrationV1.sql)]

    /// The advisory lock key migrations hold ("tmdiag" in ASCII).
    static let migrationLock: Int64 = 0x746D_6469_6167

    /// The advisory lock key history imports hold, one import at a time ("tmdimp" in ASCII).
    static let importLock: Int64 = 0x746D_6469_6D70

    /// Grants for the two roles of a team (the roles themselves are the administrator's to
    /// create, with their logins): the importer loads history files and TAC tables; an agent
    /// reads everything and writes only what its commands write: reports (`report` saving,
    /// replaced by id), cases and events (`history add-case|add-event`, `ticket` drafts).
    static func grantsSQL(importer: String, agent: String) -> String {
        """
        GRANT USAGE ON SCHEMA public TO \(importer), \(agent);
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(importer), \(agent);
        GRANT INSERT, UPDATE ON account, line, lineIdentity, serviceEvent, supportCase, caseReport, tac TO \(importer);
        GRANT INSERT, UPDATE ON serviceEvent, supportCase, caseReport TO \(agent);
        GRANT INSERT, UPDATE, DELETE ON report, reportIdentifier TO \(agent);
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(importer), \(agent);
        """
    }
}
