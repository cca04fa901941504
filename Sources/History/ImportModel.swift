import Foundation
import GRDB
import GRDBSQLite
import TMDiagCore

public struct LineInput: Sendable, Hashable {
    public var msisdn: String
    public var imei: String?
    public var iccid: String?
    public var device: String?
}

public struct AccountInput: Sendable, Hashable {
    public var id: String
    public var holder: String?
    public var type: AccountType
    public var plan: String?
    public var lines: [LineInput]
    public var events: [EventInput]
}

/// What an import did.
public struct ImportSummary: Codable, Sendable, Hashable {
    public var file: String
    public var accounts = 0
    public var lines = 0
    public var events = 0
    /// Events that were not in the store before (0 on a re-import).
    public var newEvents = 0
    public var cases = 0
    public var tacs = 0

    public init(file: String) { self.file = file }
}

/// Writes checked input inside one transaction with prepared statements.
///
/// A large batch (`beginBulk`) goes in without the event indexes: rows are appended as they
/// come, repeats included, then the indexes are rebuilt by sorting in the same transaction; only
/// when the unique index finds a repeat (of a stored event or within the batch) are the repeats
/// deleted first. A million events go in several times faster that way, and memory does not
/// grow with the batch: nothing is remembered per event outside the database.
final class ImportWriter {
    let db: Database
    private var insertEvent: Statement
    private(set) var bulk = false
    private var lastIdBeforeBulk: Int64 = 0
    /// Bulk rows waiting to go in `bulkBatch` at a time, one multi-row INSERT each.
    private var pending: [(EventInput, String, Int64)] = []
    private var batchInsert: Statement?
    static let bulkBatch = 32
    static let bulkThreshold = 50_000
    private let upsertCase: Statement
    private let caseByNumber: Statement
    /// The event indexes a bulk import drops and rebuilds by sorting (the dense ones; the
    /// partial ones cover few rows and stay), and their SQL as the store itself holds it.
    static let bulkRebuiltIndexes = ["serviceEvent_on_accountId_at_fingerprint", "serviceEvent_on_msisdn"]
    /// The unique index of the natural key, the one whose rebuild can fail on a repeat.
    static let naturalKeyIndex = "serviceEvent_on_accountId_at_fingerprint"
    private var droppedIndexSQL: [(name: String, sql: String)] = []
    /// The page cache while in bulk, in KiB. Appending rows needs few pages, and SQLite sorts
    /// an index rebuild in memory runs as large as the page cache (the runs merge from
    /// temporary files). With 16 MB a 10-million-event import peaked at 176 MB instead of
    /// 488 MB (96 MB cache, two sorter threads) and took as long.
    static let bulkCacheKiB = 16_384
    /// One helper thread sorts a run while the next one fills: a run more in memory, but the
    /// sort overlaps the table scan.
    static let bulkSorterThreads = 1
    /// The connection's `PRAGMA cache_size` and `PRAGMA threads`, while bulk has them changed.
    private var settingsBeforeBulk: (cacheSize: Int, threads: Int)?

    init(db: Database) throws {
        self.db = db
        insertEvent = try db.cachedStatement(sql: ServiceEvent.insertSQL(skippingRepeats: true))
        upsertCase = try db.cachedStatement(sql: """
            INSERT INTO supportCase (number, accountId, channel, rep, status, summary, resolution, openedAt, updatedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(number) DO UPDATE SET channel = excluded.channel, rep = excluded.rep, status = excluded.status,
                summary = excluded.summary, resolution = excluded.resolution,
                openedAt = min(openedAt, excluded.openedAt), updatedAt = max(updatedAt, excluded.updatedAt)
            """)
        caseByNumber = try db.cachedStatement(sql: "SELECT id, accountId FROM supportCase WHERE number = ?")
    }

    /// Switches to bulk mode when `expectedEvents` is large, and large next to the stored events.
    func beginBulkIfWorthIt(expectedEvents: Int) throws {
        guard expectedEvents >= Self.bulkThreshold else { return }
        let stored = try Int64.fetchOne(db, sql: "SELECT max(id) FROM serviceEvent") ?? 0
        // Rebuilding indexes costs a pass over every stored event: only worth it when the batch
        // is most of the table (a first import; not a re-import of what is there).
        guard stored * 4 <= Int64(expectedEvents) else { return }
        lastIdBeforeBulk = stored
        for name in Self.bulkRebuiltIndexes {
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                                                arguments: [name]) else { continue }
            droppedIndexSQL.append((name, sql))
            try db.execute(sql: "DROP INDEX \(name)")
        }
        settingsBeforeBulk = (try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000, try Int.fetchOne(db, sql: "PRAGMA threads") ?? 0)
        try db.execute(sql: "PRAGMA cache_size = -\(Self.bulkCacheKiB)")
        try db.execute(sql: "PRAGMA threads = \(Self.bulkSorterThreads)")
        insertEvent = try db.makeStatement(sql: ServiceEvent.insertSQL(skippingRepeats: false))
        batchInsert = try db.makeStatement(sql: ServiceEvent.insertSQL(rows: Self.bulkBatch, skippingRepeats: false))
        pending.reserveCapacity(Self.bulkBatch)
        bulk = true
    }

    /// Leaves bulk mode: drops the new rows that repeat a stored (or earlier new) event and
    /// rebuilds the indexes. Returns how many new events remain.
    @discardableResult
    func finishBulk() throws -> Int {
        guard bulk else { return 0 }
        for (e, accountId, fingerprint) in pending { try bind(e, accountId: accountId, fingerprint: fingerprint, to: insertEvent, at: 0) }
        pending.removeAll()
        sqlite3_reset(insertEvent.sqliteStatement)
        if let batch = batchInsert { sqlite3_reset(batch.sqliteStatement) }
        batchInsert = nil
        for (name, sql) in droppedIndexSQL {
            do {
                try db.execute(sql: sql)
            } catch let error as DatabaseError where name == Self.naturalKeyIndex && error.resultCode == .SQLITE_CONSTRAINT {
                // A failed CREATE INDEX undoes only itself, not the transaction.
                try deleteBulkRepeats()
                try db.execute(sql: sql)
            }
        }
        droppedIndexSQL = []
        try restoreConnectionSettings()
        bulk = false
        insertEvent = try db.cachedStatement(sql: ServiceEvent.insertSQL(skippingRepeats: true))
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM serviceEvent WHERE id > ?", arguments: [lastIdBeforeBulk]) ?? 0
    }

    /// Puts back the connection settings bulk mode changed; the connection outlives the
    /// transaction, so this runs whether or not the import gets to `finishBulk`.
    func restoreConnectionSettings() throws {
        guard let settings = settingsBeforeBulk else { return }
        try db.execute(sql: "PRAGMA cache_size = \(settings.cacheSize)")
        try db.execute(sql: "PRAGMA threads = \(settings.threads)")
        settingsBeforeBulk = nil
    }

    /// Deletes the bulk rows that repeat an earlier row (stored before the bulk, or earlier in
    /// it) on the natural key, keeping the first. Numbering each key's rows in one sort (runs as
    /// large as the page cache, as for an index) took 11 s for a million repeats among two
    /// million rows; a helper index with a lookup per row, 34 s.
    private func deleteBulkRepeats() throws {
        try db.execute(sql: """
            DELETE FROM serviceEvent WHERE id IN (
                SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY accountId, at, fingerprint ORDER BY id) AS n
                                FROM serviceEvent)
                WHERE n > 1 AND id > ?)
            """, arguments: [lastIdBeforeBulk])
    }

    func upsert(account a: AccountInput) throws {
        try db.execute(sql: """
            INSERT INTO account (id, holder, type, plan) VALUES (?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, type = excluded.type, plan = excluded.plan
            WHERE (holder, type, plan) IS NOT (excluded.holder, excluded.type, excluded.plan)
            """, arguments: [a.id, a.holder, a.type.rawValue, a.plan])
    }

    /// The stored id of an account, whatever case the input used.
    func storedAccountId(_ id: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT id FROM account WHERE id = ?", arguments: [id])
    }

    func upsert(line l: LineInput, accountId: String) throws {
        try db.execute(sql: """
            INSERT INTO line (accountId, msisdn, imei, iccid, device) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(accountId, msisdn) DO UPDATE SET imei = excluded.imei, iccid = excluded.iccid, device = excluded.device
            WHERE (imei, iccid, device) IS NOT (excluded.imei, excluded.iccid, excluded.device)
            """, arguments: [accountId, l.msisdn, l.imei, l.iccid, l.device])
        guard let lineId = try Int64.fetchOne(db, sql: "SELECT id FROM line WHERE accountId = ? AND msisdn = ?",
                                              arguments: [accountId, l.msisdn]) else { return }
        if let imei = l.imei {
            try db.execute(sql: "INSERT OR IGNORE INTO lineIdentity (lineId, kind, value, device) VALUES (?, 'imei', ?, ?)",
                           arguments: [lineId, imei, l.device])
        }
        if let iccid = l.iccid {
            try db.execute(sql: "INSERT OR IGNORE INTO lineIdentity (lineId, kind, value, device) VALUES (?, 'iccid', ?, ?)",
                           arguments: [lineId, iccid, l.device])
        }
    }

    /// Inserts an event unless its twin is stored; support cases also go to `supportCase`.
    /// Returns whether the event is new. `where` names the input position for errors.
    /// `fingerprint`, when given, is `e.fingerprint(accountId:)` worked out ahead (by the reader
    /// thread of a CSV import). `caseAlreadyStored`: the caller wrote the case row itself
    /// (a draft that got its number), only the event goes in.
    @discardableResult
    func add(event e: EventInput, accountId: String, fingerprint given: Int64? = nil,
             where position: () -> String, caseAlreadyStored: Bool = false) throws -> Bool {
        if e.kind == .supportCase, !caseAlreadyStored, let number = e.caseNumber {
            if let row = try Row.fetchOne(caseByNumber, arguments: [number]) {
                let owner: String = row["accountId"]
                if owner.lowercased() != accountId.lowercased() {
                    throw TMDiagError("\(position()): case \(TerminalText.escape(number)) is already stored for another account",
                                      status: .dataError)
                }
            }
            try upsertCase.execute(arguments: [number, accountId, e.channel?.rawValue, e.rep, (e.status ?? .open).rawValue,
                                               e.summary.isEmpty ? nil : e.summary, e.resolution, e.at,
                                               max(e.updatedAt ?? e.at, e.at)])
            if !e.reportIds.isEmpty,
               let caseId = try Int64.fetchOne(db, sql: "SELECT id FROM supportCase WHERE number = ?", arguments: [number]) {
                for r in e.reportIds {
                    try db.execute(sql: "INSERT OR IGNORE INTO caseReport (supportCaseId, reportId) VALUES (?, ?)",
                                   arguments: [caseId, r])
                }
            }
        }
        let fingerprint = given ?? e.fingerprint(accountId: accountId)
        if bulk {
            // Repeats go in too: `finishBulk` deletes them.
            pending.append((e, accountId, fingerprint))
            if pending.count == Self.bulkBatch, let batch = batchInsert {
                for (i, (pe, pa, pf)) in pending.enumerated() {
                    try bind(pe, accountId: pa, fingerprint: pf, to: batch, at: Int32(i * ServiceEvent.writtenColumns.count),
                             step: i == pending.count - 1)
                }
                pending.removeAll(keepingCapacity: true)
            }
            return false // counted by `finishBulk`
        }
        try bind(e, accountId: accountId, fingerprint: fingerprint, to: insertEvent, at: 0)
        return db.changesCount > 0
    }

    /// The bulk insert, bound straight through the SQLite API: a million rows spend a
    /// noticeable share of their time building `StatementArguments` otherwise. Binds one row
    /// at parameter `offset`; steps the statement when `step` (after its last row).
    private func bind(_ e: EventInput, accountId: String, fingerprint: Int64, to statement: Statement, at offset: Int32,
                      step: Bool = true) throws {
        let stmt = statement.sqliteStatement
        if offset == 0 { sqlite3_reset(stmt) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (i, value) in e.storedValues(accountId: accountId, fingerprint: fingerprint).enumerated() {
            let index = offset + Int32(i) + 1
            switch value {
            case .text(let v?): sqlite3_bind_text(stmt, index, v, -1, transient)
            case .integer(let v?): sqlite3_bind_int64(stmt, index, v)
            case .text(nil), .integer(nil): sqlite3_bind_null(stmt, index)
            }
        }
        guard step else { return }
        let code = sqlite3_step(stmt)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            sqlite3_reset(stmt)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
        }
    }
}
