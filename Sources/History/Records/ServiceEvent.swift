import Foundation
import GRDB

/// One thing that happened to an account, as the store holds it: a plan change, a SIM swap,
/// an outage, a support contact. What the event says is an `EventInput`, the same value an
/// import reads, `history add-event` builds and an export writes; the row adds only where it
/// is stored (`id`, `accountId`). Its natural key is a fingerprint of its content (the
/// `fingerprint` column, written by the importer), so re-imports add nothing.
///
/// The event's fields read through the row (`e.kind`, `e.msisdn`), so code that looks at
/// stored events does not care that they are one value; `at` and `endAt` read as dates.
@dynamicMemberLookup
public struct ServiceEvent: Codable, Sendable, Hashable, FetchableRecord, TableRecord {
    public static let databaseTableName = "serviceEvent"
    public var id: Int64?
    public var accountId: String
    /// What the event says. A stored row has no case fields (`channel`, `status`...): the
    /// case's current state is its `supportCase` row.
    public var event: EventInput

    public init(id: Int64? = nil, accountId: String, event: EventInput) {
        self.id = id
        self.accountId = accountId
        self.event = event
    }

    /// The store keeps whole seconds: `at` and `endAt` are cut to the second below.
    public init(id: Int64? = nil, accountId: String, at: Date, endAt: Date? = nil, kind: EventKind, msisdn: String? = nil,
                imei: String? = nil, iccid: String? = nil, device: String? = nil, plan: String? = nil,
                country: String? = nil, area: String? = nil, caseNumber: String? = nil, summary: String) {
        var e = EventInput(at: Self.seconds(at), kind: kind, summary: summary)
        e.endAt = endAt.map(Self.seconds)
        e.msisdn = msisdn
        e.imei = imei
        e.iccid = iccid
        e.device = device
        e.plan = plan
        e.country = country
        e.area = area
        e.caseNumber = caseNumber
        self.init(id: id, accountId: accountId, event: e)
    }

    public subscript<T>(dynamicMember field: WritableKeyPath<EventInput, T>) -> T {
        get { event[keyPath: field] }
        set { event[keyPath: field] = newValue }
    }

    /// When it happened, as a date (the rules and timelines compare and print dates).
    public var at: Date {
        get { Date(timeIntervalSince1970: TimeInterval(event.at)) }
        set { event.at = Self.seconds(newValue) }
    }

    /// When an outage or a trip abroad ended, if it did.
    public var endAt: Date? {
        get { event.endAt.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
        set { event.endAt = newValue.map(Self.seconds) }
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    /// The stored row's columns, by name, in the table's order: the keys of a stored event in
    /// JSON (`history show --json`, lookups, a ticket bundle's history), the columns a row is
    /// read from and, with the fingerprint, the columns an import writes.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, accountId, at, endAt, kind, msisdn, imei, iccid, device, plan, country, area, caseNumber, summary
    }

    /// The columns an import writes, in the order of `EventInput.storedValues`: the one list
    /// the insert statements (single-row, multi-row) and their binding are built from.
    static let writtenColumns = CodingKeys.allCases.filter { $0 != .id }.map(\.stringValue) + ["fingerprint"]

    /// Rows hold times as whole seconds since 1970.
    public static let databaseDateDecodingStrategy = DatabaseDateDecodingStrategy.timeIntervalSince1970

    /// Read by column name, not through `Decodable`: GRDB's keyed decoder costs about ten times
    /// as much per row, and the ticket's rules read thousands of a busy account's events.
    public init(row: Row) throws {
        let kindText: String = row[CodingKeys.kind.stringValue]
        guard let kind = EventKind(rawValue: kindText) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.kind], debugDescription: "unknown event kind"))
        }
        // Read as numbers of either type (a REAL written by hand still reads), cut to the second.
        let at: Double = row[CodingKeys.at.stringValue]
        var e = EventInput(at: Int64(at.rounded(.down)), kind: kind, summary: row[CodingKeys.summary.stringValue])
        e.endAt = (row[CodingKeys.endAt.stringValue] as Double?).map { Int64($0.rounded(.down)) }
        e.msisdn = row[CodingKeys.msisdn.stringValue]
        e.imei = row[CodingKeys.imei.stringValue]
        e.iccid = row[CodingKeys.iccid.stringValue]
        e.device = row[CodingKeys.device.stringValue]
        e.plan = row[CodingKeys.plan.stringValue]
        e.country = row[CodingKeys.country.stringValue]
        e.area = row[CodingKeys.area.stringValue]
        e.caseNumber = row[CodingKeys.caseNumber.stringValue]
        self.init(id: row[CodingKeys.id.stringValue], accountId: row[CodingKeys.accountId.stringValue], event: e)
    }

    /// The JSON form of a stored event (the row's columns; absent values left out, times as
    /// the encoder writes dates), as it was when the row and the event were separate shapes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(accountId, forKey: .accountId)
        try c.encode(at, forKey: .at)
        try c.encodeIfPresent(endAt, forKey: .endAt)
        try c.encode(event.kind, forKey: .kind)
        try c.encodeIfPresent(event.msisdn, forKey: .msisdn)
        try c.encodeIfPresent(event.imei, forKey: .imei)
        try c.encodeIfPresent(event.iccid, forKey: .iccid)
        try c.encodeIfPresent(event.device, forKey: .device)
        try c.encodeIfPresent(event.plan, forKey: .plan)
        try c.encodeIfPresent(event.country, forKey: .country)
        try c.encodeIfPresent(event.area, forKey: .area)
        try c.encodeIfPresent(event.caseNumber, forKey: .caseNumber)
        try c.encode(event.summary, forKey: .summary)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decodeIfPresent(Int64.self, forKey: .id), accountId: try c.decode(String.self, forKey: .accountId),
                  at: try c.decode(Date.self, forKey: .at), endAt: try c.decodeIfPresent(Date.self, forKey: .endAt),
                  kind: try c.decode(EventKind.self, forKey: .kind),
                  msisdn: try c.decodeIfPresent(String.self, forKey: .msisdn), imei: try c.decodeIfPresent(String.self, forKey: .imei),
                  iccid: try c.decodeIfPresent(String.self, forKey: .iccid), device: try c.decodeIfPresent(String.self, forKey: .device),
                  plan: try c.decodeIfPresent(String.self, forKey: .plan), country: try c.decodeIfPresent(String.self, forKey: .country),
                  area: try c.decodeIfPresent(String.self, forKey: .area),
                  caseNumber: try c.decodeIfPresent(String.self, forKey: .caseNumber),
                  summary: try c.decode(String.self, forKey: .summary))
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
