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

    /// The columns read, by name (the row's `fingerprint` is the importer's business); the
    /// same keys name the fields in JSON.
    enum CodingKeys: String, CodingKey {
        case id, accountId, at, endAt, kind, msisdn, imei, iccid, device, plan, country, area, caseNumber, summary
    }

    /// Rows hold times as whole seconds since 1970.
    public static let databaseDateDecodingStrategy = DatabaseDateDecodingStrategy.timeIntervalSince1970

    /// The columns an import writes, in the order of `EventInput.storedValues`: the one list
    /// the insert statements (single-row, multi-row) and their binding are built from.
    static let writtenColumns = ["accountId", "at", "endAt", "kind", "msisdn", "imei", "iccid", "device", "plan", "country",
                                 "area", "caseNumber", "summary", "fingerprint"]

    /// Read by column, not through `Decodable`: GRDB's keyed decoder costs about ten times as
    /// much per row, and the ticket's rules read thousands of a busy account's events.
    public init(row: Row) throws {
        let kindText: String = row["kind"]
        guard let kind = EventKind(rawValue: kindText) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.kind], debugDescription: "unknown event kind"))
        }
        id = row["id"]
        accountId = row["accountId"]
        at = Date(timeIntervalSince1970: row["at"] as Double)
        endAt = (row["endAt"] as Double?).map(Date.init(timeIntervalSince1970:))
        self.kind = kind
        msisdn = row["msisdn"]
        imei = row["imei"]
        iccid = row["iccid"]
        device = row["device"]
        plan = row["plan"]
        country = row["country"]
        area = row["area"]
        caseNumber = row["caseNumber"]
        summary = row["summary"]
    }

    /// An INSERT of `rows` events; a repeat of a stored event (same account, time and
    /// fingerprint) is skipped when `skippingRepeats`, else it fails on the unique index.
    static func insertSQL(rows: Int = 1, skippingRepeats: Bool) -> String {
        let row = "(" + Array(repeating: "?", count: writtenColumns.count).joined(separator: ", ") + ")"
        return "INSERT INTO serviceEvent (\(writtenColumns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
            + (skippingRepeats ? " ON CONFLICT(accountId, at, fingerprint) DO NOTHING" : "")
    }
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

    /// An account's events of the given kinds from `since` on, oldest first: what the
    /// diagnosis rules can match (the rules name the kinds they look at). The kinds are bound
    /// parameters, so the statement has one shape per number of kinds.
    static func forAccount(_ db: Database, _ accountId: String, kinds: Set<String>, since: Date?) throws -> [ServiceEvent] {
        guard !kinds.isEmpty else { return [] }
        let from = Int64((since ?? .distantPast).timeIntervalSince1970.rounded(.down))
        let sorted = kinds.sorted()
        let marks = Array(repeating: "?", count: sorted.count).joined(separator: ", ")
        return try ServiceEvent.fetchAll(db, sql: """
            SELECT * FROM serviceEvent WHERE accountId = ? AND at >= ? AND kind IN (\(marks)) ORDER BY at, fingerprint
            """, arguments: StatementArguments([accountId, from] + sorted.map { $0 as any DatabaseValueConvertible }))
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
