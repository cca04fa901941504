import Foundation
import TMDiagCore

/// The fields of an event in the history document and the columns of the events CSV, in the
/// CSV's column order: the one list the importers check against and the exporter writes.
enum EventField: String, CaseIterable, Sendable {
    case at, end, kind, summary, msisdn, imei, iccid, device, plan, country, area
    case `case`, channel, rep, status, resolution, updated, reports

    /// Only `support_case` events have these.
    static let caseOnly: [EventField] = [.channel, .rep, .status, .resolution, .updated, .reports]
    static let names: Set<String> = Set(allCases.map(\.rawValue))
    /// The CSV header: the account, then every field.
    static let csvColumns = ["account"] + allCases.map(\.rawValue)
}

/// One event as the history document and the CSV form carry it, both ways: what an import
/// (JSON or CSV), `history add-event` or `history add-case` gives, already checked (enums
/// parsed, identifiers normalised, times in seconds since 1970), and what an export writes.
/// The store keeps it inside a `ServiceEvent` row (plus a `supportCase` row for a case): one
/// event shape for the record, the import and the export.
public struct EventInput: Sendable, Hashable {
    public var at: Int64
    public var endAt: Int64?
    public var kind: EventKind
    public var msisdn: String?
    public var imei: String?
    public var iccid: String?
    public var device: String?
    public var plan: String?
    public var country: String?
    public var area: String?
    public var caseNumber: String?
    public var channel: ContactChannel?
    public var rep: String?
    public var status: CaseStatus?
    public var resolution: String?
    /// When the case was last updated (support cases), if not `at`.
    public var updatedAt: Int64?
    public var summary: String
    public var reportIds: [String]

    public init(at: Int64, kind: EventKind, summary: String = "") {
        self.at = at
        self.kind = kind
        self.summary = summary
        self.reportIds = []
    }

    /// The natural key: what the event says, not where it came from. Mutable case fields
    /// (status, rep, resolution) are left out so that a case's update is not a new event.
    func fingerprint(accountId: String) -> Int64 {
        var f = Fingerprint()
        f.add(accountId.lowercased())
        f.add(at)
        f.add(kind.rawValue)
        f.add(msisdn)
        f.add(imei)
        f.add(iccid)
        f.add(caseNumber?.uppercased())
        if kind != .supportCase {
            f.add(summary)
            f.add(device)
            f.add(plan)
            f.add(country)
            f.add(area)
            f.add(endAt.map(String.init))
        }
        return f.signed
    }
}

/// A value of an event row as a backend binds it: text or a whole number, either may be NULL.
enum StoredValue: Sendable, Hashable {
    case text(String?)
    case integer(Int64?)
}

extension EventInput {
    /// The event as the row an import writes, in `ServiceEvent.writtenColumns` order.
    func storedValues(accountId: String, fingerprint: Int64) -> [StoredValue] {
        [.text(accountId), .integer(at), .integer(endAt), .text(kind.rawValue), .text(msisdn), .text(imei), .text(iccid),
         .text(device), .text(plan), .text(country), .text(area), .text(caseNumber), .text(summary), .integer(fingerprint)]
    }
}

extension EventInput: Encodable {
    /// A stored event (with its case, for `support_case` events) in the document's form: the
    /// row's event, with the case's current state from its `supportCase` row.
    init(_ e: ServiceEvent, case c: SupportCase?) {
        self = e.event
        if let c {
            channel = c.channel
            rep = c.rep
            status = c.status
            resolution = c.resolution
            let updated = Int64(c.updatedAt.timeIntervalSince1970)
            updatedAt = updated > at ? updated : nil
            reportIds = c.reportIds
        }
    }

    /// Every field the event has, as text (times in ISO 8601 UTC, report ids `;`-separated).
    var fields: [EventField: String] {
        func time(_ t: Int64?) -> String? { t.map { Timestamp.format(Date(timeIntervalSince1970: TimeInterval($0))) } }
        let all: [(EventField, String?)] = [
            (.at, time(at)), (.end, time(endAt)), (.kind, kind.rawValue), (.summary, summary.isEmpty ? nil : summary),
            (.msisdn, msisdn), (.imei, imei), (.iccid, iccid), (.device, device), (.plan, plan), (.country, country),
            (.area, area), (.case, caseNumber), (.channel, channel?.rawValue), (.rep, rep), (.status, status?.rawValue),
            (.resolution, resolution), (.updated, time(updatedAt)),
            (.reports, reportIds.isEmpty ? nil : reportIds.joined(separator: ";")),
        ]
        var out: [EventField: String] = [:]
        for (field, value) in all { if let value { out[field] = value } }
        return out
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ field: EventField) { stringValue = field.rawValue }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The history document's form: absent fields left out, `reports` as a list.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (field, value) in fields where field != .reports { try c.encode(value, forKey: Key(field)) }
        if !reportIds.isEmpty { try c.encode(reportIds, forKey: Key(.reports)) }
    }
}
