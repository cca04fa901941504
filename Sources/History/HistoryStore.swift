import Foundation
import GRDB
import TMDiagCore

/// The account and service history store: one SQLite file (WAL, foreign keys on), migrated on
/// open. Every method returns its failures as `TMDiagError` with a sysexits-style status.
public final class HistoryStore: Sendable {
    public let path: String
    let dbQueue: DatabaseQueue

    private init(path: String, dbQueue: DatabaseQueue) {
        self.path = path
        self.dbQueue = dbQueue
    }

    /// Opens (and, when `create`, creates with its parent directories) the store at `path`.
    /// A store written by a newer tmdiag is refused; a damaged or foreign file is reported and
    /// left as it is.
    public static func open(path: String, create: Bool = true) throws(TMDiagError) -> HistoryStore {
        // A PostgreSQL URL is read (its mistakes reported) but not served by this build: it must
        // never become a file path named `postgresql:`.
        if case .postgres(let target) = try StoreLocation.parse(path) {
            throw TMDiagError("store \(target): PostgreSQL stores are not available in this build of tmdiag; "
                              + "use an SQLite store (a file path)", status: .unavailable)
        }
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
            let store = HistoryStore(path: path, dbQueue: queue)
            try store.checkAndMigrate(readonly: readonly)
            return store
        } catch {
            throw storeError(error, path: path, doing: "cannot open")
        }
    }

    private func checkAndMigrate(readonly: Bool) throws {
        let shown = TerminalText.escape(path)
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
            throw TMDiagError("store \(shown) has schema version \(userVersion), newer than this tmdiag understands (\(Schema.version)); "
                              + "upgrade tmdiag or use another --store", status: .dataError)
        }
        if foreign {
            throw TMDiagError("store \(shown) is an SQLite database but not a tmdiag store; it was left as it is", status: .dataError)
        }
        if !complete {
            if readonly { throw TMDiagError("store \(shown): needs upgrading but is read-only", status: .noPermission) }
            try migrator.migrate(dbQueue)
        }
    }

    /// The schema version of the open store.
    public func schemaVersion() throws(TMDiagError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    // MARK: - Access with errors mapped

    func read<T>(_ body: (Database) throws -> T) throws(TMDiagError) -> T {
        do { return try dbQueue.read(body) } catch { throw Self.storeError(error, path: path, doing: "cannot read") }
    }

    func write<T>(_ body: (Database) throws -> T) throws(TMDiagError) -> T {
        do { return try dbQueue.write(body) } catch { throw Self.storeError(error, path: path, doing: "cannot write") }
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

    // MARK: - Reports

    /// Saves a device report and the identifiers it names. Saving the same id again replaces it.
    public func saveReport(_ report: StoredReport) throws(TMDiagError) {
        try write { db in
            try db.execute(sql: "DELETE FROM report WHERE id = ?", arguments: [report.id])
            try ReportRecord(id: report.id, createdAt: report.createdAt, json: report.json, sha256: report.sha256).insert(db)
            let groups: [(String, [String])] = [("imei", report.imeis), ("iccid", report.iccids), ("imsi", report.imsis),
                                                ("msisdn", report.msisdns), ("serial", report.serials)]
            for (kind, values) in groups {
                for value in Set(values) where !value.isEmpty {
                    try ReportIdentifier(reportId: report.id, kind: kind, value: value).insert(db)
                }
            }
        }
    }

    /// A report by id, case-insensitively (`r-7kq2m9` finds `R-7KQ2M9`).
    public func report(id: String) throws(TMDiagError) -> StoredReport? {
        try read { db in try StoredReport.find(db, id: id) }
    }

    public func latestReport() throws(TMDiagError) -> StoredReport? {
        try read { db in try StoredReport.latest(db) }
    }

    /// Reports received from a device with this IMEI, newest first.
    public func reports(imei: String) throws(TMDiagError) -> [StoredReport] {
        try read { db in try StoredReport.naming(db, kind: "imei", value: imei) }
    }

    // MARK: - Accounts, lines, events, cases

    public func account(id: String) throws(TMDiagError) -> Account? {
        try read { db in try Account.find(db, id: id.trimmingSpaces) }
    }

    /// The account whose line has (else had) this IMEI, else one whose events name it.
    public func accountFor(imei: String) throws(TMDiagError) -> Account? {
        try read { db in
            if let m = try Line.matching(db, kind: .imei, value: imei).first { return try Account.find(db, id: m.accountId) }
            if let e = try ServiceEvent.mentioning(db, column: "imei", value: imei, limit: 1).first {
                return try Account.find(db, id: e.accountId)
            }
            return nil
        }
    }

    /// The account with a line of this number (any common notation; normalised to E.164).
    public func accountFor(msisdn: String) throws(TMDiagError) -> Account? {
        guard let number = Identifiers.e164(msisdn) else { return nil }
        return try read { db in try Account.holding(db, msisdn: number).first }
    }

    public func accountFor(iccid: String) throws(TMDiagError) -> Account? {
        let value = Self.normalisedICCID(iccid)
        return try read { db in
            if let m = try Line.matching(db, kind: .iccid, value: value).first { return try Account.find(db, id: m.accountId) }
            if let e = try ServiceEvent.mentioning(db, column: "iccid", value: value, limit: 1).first {
                return try Account.find(db, id: e.accountId)
            }
            return nil
        }
    }

    public func lines(account: String) throws(TMDiagError) -> [Line] {
        try read { db in try Line.forAccount(db, account.trimmingSpaces) }
    }

    /// An account's events from `since` (all when nil), oldest first.
    public func events(account: String, since: Date? = nil) throws(TMDiagError) -> [ServiceEvent] {
        try read { db in try ServiceEvent.forAccount(db, account.trimmingSpaces, since: since) }
    }

    /// An account's events of the given kinds (`sim_swap`, `outage`, ...) from `since`,
    /// oldest first: what the diagnosis rules look at, without the rest of a busy account.
    public func events(account: String, since: Date?, ofKinds kinds: Set<String>) throws(TMDiagError) -> [ServiceEvent] {
        try read { db in try ServiceEvent.forAccount(db, account.trimmingSpaces, kinds: kinds, since: since) }
    }

    /// Support cases and drafts of an account, oldest first, with their linked report ids.
    public func cases(account: String) throws(TMDiagError) -> [SupportCase] {
        try read { db in try SupportCase.forAccount(db, account.trimmingSpaces) }
    }

    /// A case by number, case-insensitively.
    public func supportCase(number: String) throws(TMDiagError) -> SupportCase? {
        try read { db in try SupportCase.find(db, number: number.trimmingSpaces) }
    }

    /// Cases that link a report.
    public func cases(reportId: String) throws(TMDiagError) -> [SupportCase] {
        try read { db in try SupportCase.forReport(db, reportId: reportId.trimmingSpaces) }
    }

    /// Everything the store knows about an account: what `history show` prints and the ticket
    /// uses. With `limit`, only the newest `limit` events of the window (`eventsInWindow` says
    /// how many it holds).
    public func history(account id: String, since: Date? = nil, limit: Int? = nil) throws(TMDiagError) -> AccountHistory? {
        try read { db in
            guard let account = try Account.find(db, id: id.trimmingSpaces) else { return nil }
            var h = AccountHistory(account: account, lines: try Line.forAccount(db, account.id), events: [],
                                   cases: try SupportCase.forAccount(db, account.id), since: since)
            if let limit, limit > 0 {
                (h.events, h.eventsInWindow) = try ServiceEvent.forAccount(db, account.id, since: since, limit: limit)
            } else {
                h.events = try ServiceEvent.forAccount(db, account.id, since: since)
                h.eventsInWindow = h.events.count
            }
            return h
        }
    }

    public func tac(imei: String) throws(TMDiagError) -> TACEntry? {
        guard let tac = Identifiers.tac(ofIMEI: imei) else { return nil }
        return try read { db in try TACEntry.find(db, tac: tac) }
    }

    public func counts() throws(TMDiagError) -> StoreCounts {
        try read { db in
            func n(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return StoreCounts(accounts: try n("account"), lines: try n("line"), events: try n("serviceEvent"),
                               cases: try n("supportCase"), reports: try n("report"), tacs: try n("tac"))
        }
    }

    static func normalisedICCID(_ s: String) -> String {
        var d = s.trimmingSpaces.filter { $0 != " " && $0 != "-" }
        if d.hasSuffix("F") || d.hasSuffix("f") { d.removeLast() }
        return d
    }
}

public struct StoreCounts: Codable, Sendable, Hashable {
    public var accounts, lines, events, cases, reports, tacs: Int
}

/// An account with its lines, a window of its events and its cases.
public struct AccountHistory: Codable, Sendable, Hashable {
    public var account: Account
    public var lines: [Line]
    public var events: [ServiceEvent]
    public var cases: [SupportCase]
    public var since: Date?
    /// How many events the window holds (more than `events.count` when a limit cut it).
    public var eventsInWindow: Int

    public init(account: Account, lines: [Line], events: [ServiceEvent], cases: [SupportCase], since: Date?,
                eventsInWindow: Int? = nil) {
        self.account = account
        self.lines = lines
        self.events = events
        self.cases = cases
        self.since = since
        self.eventsInWindow = eventsInWindow ?? events.count
    }

    /// The history with IMEIs, ICCIDs and numbers masked unless revealed, free text scrubbed.
    public func masked(_ reveal: RevealSet) -> AccountHistory {
        var h = self
        func imei(_ v: String?) -> String? { v.map { reveal.reveals(.imei) ? $0 : Mask.imei($0) } }
        func iccid(_ v: String?) -> String? { v.map { reveal.reveals(.iccid) ? $0 : Mask.iccid($0) } }
        func msisdn(_ v: String?) -> String? { v.map { reveal.reveals(.msisdn) ? $0 : Mask.msisdn($0) } }
        func text(_ v: String?) -> String? { v.map { IdentifierMasker(reveal).text($0) } }
        h.lines = lines.map { l in
            var l = l
            l.msisdn = msisdn(l.msisdn) ?? ""
            l.imei = imei(l.imei)
            l.iccid = iccid(l.iccid)
            return l
        }
        h.events = events.map { e in
            var e = e
            e.msisdn = msisdn(e.msisdn)
            e.imei = imei(e.imei)
            e.iccid = iccid(e.iccid)
            e.summary = text(e.summary) ?? ""
            return e
        }
        h.cases = cases.map { c in
            var c = c
            c.summary = text(c.summary)
            c.resolution = text(c.resolution)
            return c
        }
        return h
    }
}
