import Foundation
import GRDB

/// One thing that happened to an account: a plan change, a SIM swap, an outage, a support
/// contact. Its natural key is a fingerprint of its content (the `fingerprint` column, written
/// by the importer), so re-imports add nothing.
public struct ServiceEvent: Codable, Sendable, Hashable, FetchableRecord, TableRecord {
    public static let databaseTableName = "serviceEvent"
    public var id: Int64?
    public var accountId: String
    public var at: Date
    /// When an outage or a trip abroad ended, if it did.
    public var endAt: Date?
    public var kind: EventKind
    public var msisdn: String?
    public var imei: String?
    public var iccid: String?
    public var device: String?
    public var plan: String?
    public var country: String?
    public var area: String?
    /// For `support_case` events: the case, whose current state is in `supportCase`.
    public var caseNumber: String?
    public var summary: String

    public init(id: Int64? = nil, accountId: String, at: Date, endAt: Date? = nil, kind: EventKind, msisdn: String? = nil,
                imei: String? = nil, iccid: String? = nil, device: String? = nil, plan: String? = nil,
                country: String? = nil, area: String? = nil, caseNumber: String? = nil, summary: String) {
        self.id = id
        self.accountId = accountId
        self.at = at
        self.endAt = endAt
        self.kind = kind
        self.msisdn = msisdn
        self.imei = imei
        self.iccid = iccid
        self.device = device
        self.plan = plan
        self.country = country
        self.area = area
        self.caseNumber = caseNumber
        self.summary = summary
    }

    /// Decoding by hand, by position (the table's column order; every query selects
    /// `serviceEvent.*`, and migrations only ever append columns): a timeline of thousands of
    /// events is read several times faster than through `Decodable`.
    public init(row: Row) throws {
        id = row[0]
        accountId = row[1]
        at = Date(timeIntervalSince1970: TimeInterval(row[2] as Int64? ?? 0))
        endAt = (row[3] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        kind = EventKind(rawValue: row[4] ?? "") ?? .note
        msisdn = row[5]
        imei = row[6]
        iccid = row[7]
        device = row[8]
        plan = row[9]
        country = row[10]
        area = row[11]
        caseNumber = row[12]
        summary = row[13] ?? ""
    }

    static func migrateV1(_ db: Database) throws {
        try db.create(table: databaseTableName) { t in
            t.primaryKey("id", .integer)
            t.belongsTo("account", onDelete: .cascade, indexed: false).notNull()
            t.column("at", .integer).notNull()
            t.column("endAt", .integer)
            // An OR chain, not IN (...): SQLite builds an ephemeral table for an IN list on every
            // row it checks, which made inserts three times slower.
            t.column("kind", .text).notNull()
                .check(sql: EventKind.allCases.map { "kind = '\($0.rawValue)'" }.joined(separator: " OR "))
            t.column("msisdn", .text)
            t.column("imei", .text)
            t.column("iccid", .text)
            t.column("device", .text)
            t.column("plan", .text)
            t.column("country", .text)
            t.column("area", .text)
            t.column("caseNumber", .text).collate(.nocase)
            t.column("summary", .text).notNull()
            t.column("fingerprint", .integer).notNull()
        }
        for (_, sql) in indexSQL { try db.execute(sql: sql) }
    }

    /// The indexes, by name. A large import drops and rebuilds the dense ones (see
    /// `ImportWriter`): sorting a million keys once is much faster than a million random inserts.
    /// The partial ones cover few rows and stay.
    static let indexSQL: KeyValuePairs<String, String> = [
        // The timeline of an account and windows of it (`events(account:since:)`), and the
        // natural key: the fingerprint of an event's content covers its account and time, so
        // it is unique within them, and one index serves both.
        "serviceEvent_on_accountId_at_fingerprint":
            "CREATE UNIQUE INDEX serviceEvent_on_accountId_at_fingerprint ON serviceEvent(accountId, at, fingerprint)",
        "serviceEvent_on_imei": "CREATE INDEX serviceEvent_on_imei ON serviceEvent(imei) WHERE imei IS NOT NULL",
        "serviceEvent_on_msisdn": "CREATE INDEX serviceEvent_on_msisdn ON serviceEvent(msisdn) WHERE msisdn IS NOT NULL",
        "serviceEvent_on_iccid": "CREATE INDEX serviceEvent_on_iccid ON serviceEvent(iccid) WHERE iccid IS NOT NULL",
        "serviceEvent_on_caseNumber": "CREATE INDEX serviceEvent_on_caseNumber ON serviceEvent(caseNumber) WHERE caseNumber IS NOT NULL",
    ]

    static let bulkRebuiltIndexes: Set<String> = ["serviceEvent_on_accountId_at_fingerprint", "serviceEvent_on_msisdn"]

    static let bulkInsertSQL = """
        INSERT INTO serviceEvent (accountId, at, endAt, kind, msisdn, imei, iccid, device, plan, country, area,
                                  caseNumber, summary, fingerprint)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static let insertSQL = """
        INSERT INTO serviceEvent (accountId, at, endAt, kind, msisdn, imei, iccid, device, plan, country, area,
                                  caseNumber, summary, fingerprint)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(accountId, at, fingerprint) DO NOTHING
        """
}

extension ServiceEvent {
    /// An account's events from `since` on (all when nil), oldest first. Uses the
    /// (accountId, at) index, so a 90-day window of a busy account is a short range scan.
    static func forAccount(_ db: Database, _ accountId: String, since: Date?) throws -> [ServiceEvent] {
        let from = Int64((since ?? .distantPast).timeIntervalSince1970.rounded(.down))
        return try ServiceEvent.fetchAll(db, sql: """
            SELECT * FROM serviceEvent WHERE accountId = ? AND at >= ? ORDER BY at, fingerprint
            """, arguments: [accountId, from])
    }

    /// The newest `limit` events of an account from `since`, oldest first, and how many
    /// events the window holds.
    static func forAccount(_ db: Database, _ accountId: String, since: Date?, limit: Int) throws -> (events: [ServiceEvent], total: Int) {
        let from = Int64((since ?? .distantPast).timeIntervalSince1970.rounded(.down))
        let events = try ServiceEvent.fetchAll(db, sql: """
            SELECT * FROM serviceEvent WHERE accountId = ? AND at >= ? ORDER BY at DESC, fingerprint DESC LIMIT ?
            """, arguments: [accountId, from, limit])
        let total = events.count < limit ? events.count : try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM serviceEvent WHERE accountId = ? AND at >= ?
            """, arguments: [accountId, from]) ?? 0
        return (events.reversed(), total)
    }

    static func mentioning(_ db: Database, column: String, value: String, limit: Int = 50) throws -> [ServiceEvent] {
        precondition(["imei", "iccid", "msisdn"].contains(column))
        return try ServiceEvent.fetchAll(db, sql: """
            SELECT * FROM serviceEvent WHERE \(column) = ? ORDER BY at DESC, id DESC LIMIT ?
            """, arguments: [value, limit])
    }

    static func count(_ db: Database, column: String, value: String) throws -> Int {
        precondition(["imei", "iccid", "msisdn"].contains(column))
        return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM serviceEvent WHERE \(column) = ?", arguments: [value]) ?? 0
    }
}
