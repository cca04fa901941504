import Foundation
import GRDB
import TMDiagCore

/// The embedded store: one SQLite file (WAL, foreign keys on), migrated on open.
final class SQLiteBackend: StoreBackend {
    let path: String
    let dbQueue: DatabaseQueue

    var shown: String { TerminalText.escape(path) }

    private init(path: String, dbQueue: DatabaseQueue) {
        self.path = path
        self.dbQueue = dbQueue
    }

    /// Opens (and, when `create`, creates with its parent directories) the store at `path`.
    /// A store written by a newer tmdiag is refused; a damaged or foreign file is reported and
    /// left as it is.
    static func open(path: String, create: Bool) throws(TMDiagError) -> SQLiteBackend {
        let fm = FileManager.default
        let shown = TerminalText.escape(path)
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw TMDiagError("store \(shown): is a directory, not a store file", status: .ioError) }
            if !fm.isReadableFile(atPath: path) {
                throw TMDiagError("store \(shown): permission denied", status: .noPermission)
            }
        } else {
            guard create else {
                throw TMDiagError("no history store at \(shown) (import one with `tmdiag history import FILE`)",
                                  status: .notFound)
            }
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                do {
                    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                } catch {
                    let denied = (error as NSError).code == NSFileWriteNoPermissionError
                    throw TMDiagError("store \(shown): cannot create its directory\(denied ? ": permission denied" : "")",
                                      status: denied ? .noPermission : .ioError)
                }
            }
        }

        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(5)
        config.readonly = !create && !fm.isWritableFile(atPath: path)
        let readonly = config.readonly
        config.prepareDatabase { db in
            if !readonly {
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
                if mode.lowercased() != "wal" { try db.execute(sql: "PRAGMA journal_mode = WAL") }
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            // Imports touch the event indexes all over; a large page cache keeps a million-event
            // import from re-reading pages. Pages are only allocated as they are used. 96 MB: a
            // million-event import ran as fast as with 256 MB and peaked 50 MB lower.
            try db.execute(sql: "PRAGMA cache_size = -98304")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            let store = SQLiteBackend(path: path, dbQueue: queue)
            try store.checkAndMigrate(readonly: readonly)
            return store
        } catch {
            throw storeError(error, path: path, doing: "cannot open")
        }
    }

    private func checkAndMigrate(readonly: Bool) throws {
        let migrator = Schema.migrator
        let (userVersion, superseded, foreign, complete) = try dbQueue.read { db in
            let v = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            let hasMigrations = tables.contains("grdb_migrations")
            let foreign = !tables.isEmpty && !hasMigrations
            let superseded = hasMigrations ? try migrator.hasBeenSuperseded(db) : false
            let complete = hasMigrations ? try migrator.hasCompletedMigrations(db) : false
            return (v, superseded, foreign, complete)
        }
        if userVersion > Schema.version || superseded {
            throw HistoryStore.newerSchema(shown, version: userVersion, understood: Schema.version)
        }
        if foreign {
            throw TMDiagError("store \(shown) is an SQLite database but not a tmdiag store; it was left as it is", status: .dataError)
        }
        if !complete {
            if readonly { throw TMDiagError("store \(shown): needs upgrading but is read-only", status: .noPermission) }
            try migrator.migrate(dbQueue)
        }
    }

    // MARK: - Access with errors mapped

    func read<T>(_ body: (Database) throws -> T) throws(TMDiagError) -> T {
        do { return try dbQueue.read(body) } catch { throw Self.storeError(error, path: path, doing: "cannot read") }
    }

    func write<T>(_ body: (any StoreWriter) throws -> T) throws(TMDiagError) -> T {
        do {
            return try dbQueue.write { db in
                let writer = try ImportWriter(db: db)
                // A failed bulk import leaves the connection as it found it too.
                defer { try? writer.restoreConnectionSettings() }
                return try body(writer)
            }
        } catch {
            throw Self.storeError(error, path: path, doing: "cannot write")
        }
    }

    static func storeError(_ error: any Error, path: String, doing: String) -> TMDiagError {
        if let e = error as? TMDiagError { return e }
        let shown = TerminalText.escape(path)
        guard let e = error as? DatabaseError else {
            return TMDiagError("store \(shown): \(doing): \(TerminalText.escape(String(describing: error)))", status: .ioError)
        }
        // `message` is SQLite's own words; the SQL and its arguments (identifiers) stay out.
        let why = TerminalText.escape(e.message ?? "SQLite error \(e.resultCode.rawValue)")
        switch e.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return TMDiagError("store \(shown) is damaged or not a tmdiag store (\(why)); it was left as it is", status: .dataError)
        case .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return TMDiagError("store \(shown): \(doing): permission denied (\(why))", status: .noPermission)
        case .SQLITE_CANTOPEN:
            let denied = FileManager.default.fileExists(atPath: path) && !FileManager.default.isWritableFile(atPath: path)
            return TMDiagError("store \(shown): \(doing): \(why)", status: denied ? .noPermission : .ioError)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return TMDiagError("store \(shown) is busy (another tmdiag is writing); try again", status: .ioError)
        default:
            return TMDiagError("store \(shown): \(doing): \(why)", status: .ioError)
        }
    }

    // MARK: - Reads

    func schemaVersion() throws(TMDiagError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    func account(id: String) throws(TMDiagError) -> Account? { try read { db in try Account.find(db, id: id) } }

    func accounts() throws(TMDiagError) -> [Account] {
        try read { db in try Account.fetchAll(db, sql: "SELECT * FROM account ORDER BY id") }
    }

    func accounts(holdingMSISDN msisdn: String) throws(TMDiagError) -> [Account] {
        try read { db in try Account.holding(db, msisdn: msisdn) }
    }

    func lines(account: String) throws(TMDiagError) -> [Line] { try read { db in try Line.forAccount(db, account) } }

    func lineMatches(kind: LineIdentity.Kind, value: String) throws(TMDiagError) -> [LineMatch] {
        try read { db in try Line.matching(db, kind: kind, value: value) }
    }

    func lineMatches(msisdn: String) throws(TMDiagError) -> [LineMatch] {
        try read { db in try Line.matching(db, msisdn: msisdn) }
    }

    func events(account: String, since: Date?) throws(TMDiagError) -> [ServiceEvent] {
        try read { db in try ServiceEvent.forAccount(db, account, since: since) }
    }

    func events(account: String, since: Date?, kinds: Set<String>) throws(TMDiagError) -> [ServiceEvent] {
        try read { db in try ServiceEvent.forAccount(db, account, kinds: kinds, since: since) }
    }

    func newestEvents(account: String, since: Date?, limit: Int) throws(TMDiagError) -> (events: [ServiceEvent], total: Int) {
        try read { db in try ServiceEvent.forAccount(db, account, since: since, limit: limit) }
    }

    func events(mentioning column: String, value: String, limit: Int) throws(TMDiagError) -> [ServiceEvent] {
        try read { db in try ServiceEvent.mentioning(db, column: column, value: value, limit: limit) }
    }

    func eventCount(mentioning column: String, value: String) throws(TMDiagError) -> Int {
        try read { db in try ServiceEvent.count(db, column: column, value: value) }
    }

    func eventCount(account: String) throws(TMDiagError) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM serviceEvent WHERE accountId = ?", arguments: [account]) ?? 0
        }
    }

    func cases(account: String) throws(TMDiagError) -> [SupportCase] {
        try read { db in try SupportCase.forAccount(db, account) }
    }

    func supportCase(number: String) throws(TMDiagError) -> SupportCase? {
        try read { db in try SupportCase.find(db, number: number) }
    }

    func draft(id: Int64) throws(TMDiagError) -> SupportCase? {
        try read { db in
            try SupportCase.withReports(db, SupportCase.fetchAll(db, sql: "SELECT * FROM supportCase WHERE id = ? AND status = 'draft'",
                                                                 arguments: [id])).first
        }
    }

    func cases(reportId: String) throws(TMDiagError) -> [SupportCase] {
        try read { db in try SupportCase.forReport(db, reportId: reportId) }
    }

    func numberedCases() throws(TMDiagError) -> [SupportCase] {
        try read { db in try SupportCase.withReports(db, SupportCase.fetchAll(db, sql: "SELECT * FROM supportCase WHERE number IS NOT NULL")) }
    }

    func report(id: String) throws(TMDiagError) -> StoredReport? { try read { db in try StoredReport.find(db, id: id) } }

    func reports(naming kind: String, value: String) throws(TMDiagError) -> [StoredReport] {
        try read { db in try StoredReport.naming(db, kind: kind, value: value) }
    }

    func newestReports(limit: Int) throws(TMDiagError) -> [StoredReport] {
        try read { db in
            try ReportRecord.fetchAll(db, sql: "SELECT * FROM report ORDER BY createdAt DESC, rowid DESC LIMIT ?",
                                      arguments: [limit]).map { try StoredReport.load(db, $0) }
        }
    }

    func tac(_ tac: String) throws(TMDiagError) -> TACEntry? { try read { db in try TACEntry.find(db, tac: tac) } }

    func counts() throws(TMDiagError) -> StoreCounts {
        try read { db in
            func n(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return StoreCounts(accounts: try n("account"), lines: try n("line"), events: try n("serviceEvent"),
                               cases: try n("supportCase"), reports: try n("report"), tacs: try n("tac"))
        }
    }

    func imeis(like pattern: String) throws(TMDiagError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT imei FROM line WHERE imei LIKE ?1
                UNION SELECT value FROM lineIdentity WHERE kind = 'imei' AND value LIKE ?1
                UNION SELECT imei FROM serviceEvent WHERE imei LIKE ?1
                UNION SELECT value FROM reportIdentifier WHERE kind = 'imei' AND value LIKE ?1
                ORDER BY 1
                """, arguments: [pattern])
        }
    }
}
