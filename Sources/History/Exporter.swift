import Foundation
import GRDB
import TMDiagCore

/// `history export`: the store as the JSON document an import reads (so an export
/// re-imported elsewhere gives the same history), or its events as CSV. Full identifiers:
/// an export is for moving a store, not for sharing. Draft contacts (no case number yet)
/// are not exported.
extension HistoryStore {
    struct ExportDocument: Encodable {
        var schemaVersion: Int
        var accounts: [ExportAccount]
    }

    struct ExportAccount: Encodable {
        var id: String
        var holder: String?
        var type: String
        var plan: String?
        var lines: [ExportLine]
        var events: [ExportEvent]
    }

    struct ExportLine: Encodable {
        var msisdn: String
        var imei: String?
        var iccid: String?
        var device: String?
    }

    struct ExportEvent: Encodable {
        var at: String
        var end: String?
        var kind: String
        var summary: String?
        var msisdn: String?
        var imei: String?
        var iccid: String?
        var device: String?
        var plan: String?
        var country: String?
        var area: String?
        var `case`: String?
        var channel: String?
        var rep: String?
        var status: String?
        var resolution: String?
        var updated: String?
        var reports: [String]?
    }

    static let csvColumns = ["account", "at", "end", "kind", "summary", "msisdn", "imei", "iccid", "device", "plan", "country",
                             "area", "case", "channel", "rep", "status", "resolution", "updated", "reports"]

    private func exportAccounts(account: String?) throws(TMDiagError) -> [ExportAccount] {
        try read { db in
            let accounts: [Account]
            if let account {
                guard let a = try Account.find(db, id: account.trimmingSpaces) else {
                    throw TMDiagError("no account '\(TerminalText.escape(account, limit: 64))' in the store", status: .notFound)
                }
                accounts = [a]
            } else {
                accounts = try Account.fetchAll(db, sql: "SELECT * FROM account ORDER BY id")
            }
            var cases: [String: SupportCase] = [:]
            for c in try SupportCase.withReports(db, SupportCase.fetchAll(db, sql: "SELECT * FROM supportCase WHERE number IS NOT NULL")) {
                cases[c.number!.uppercased()] = c
            }
            func time(_ d: Date?) -> String? { d.map(Timestamp.format) }
            return try accounts.map { a in
                let lines = try Line.forAccount(db, a.id).map {
                    ExportLine(msisdn: $0.msisdn, imei: $0.imei, iccid: $0.iccid, device: $0.device)
                }
                var exportedCases = Set<String>()
                let events = try ServiceEvent.forAccount(db, a.id, since: nil).compactMap { e -> ExportEvent? in
                    var x = ExportEvent(at: Timestamp.format(e.at), end: time(e.endAt), kind: e.kind.rawValue,
                                        summary: e.summary.isEmpty ? nil : e.summary, msisdn: e.msisdn, imei: e.imei,
                                        iccid: e.iccid, device: e.device, plan: e.plan, country: e.country, area: e.area,
                                        case: e.caseNumber)
                    if e.kind == .supportCase, let number = e.caseNumber, let c = cases[number.uppercased()] {
                        // One event per case: a case is a natural key in the document.
                        guard exportedCases.insert(number.uppercased()).inserted else { return nil }
                        x.channel = c.channel?.rawValue
                        x.rep = c.rep
                        x.status = c.status.rawValue
                        x.resolution = c.resolution
                        x.updated = c.updatedAt > e.at ? Timestamp.format(c.updatedAt) : nil
                        x.reports = c.reportIds.isEmpty ? nil : c.reportIds
                    }
                    return x
                }
                return ExportAccount(id: a.id, holder: a.holder, type: a.type.rawValue, plan: a.plan, lines: lines, events: events)
            }
        }
    }

    /// The history document for one account or all, pretty JSON with sorted keys.
    public func exportJSON(account: String? = nil) throws(TMDiagError) -> Data {
        let doc = ExportDocument(schemaVersion: Schema.version, accounts: try exportAccounts(account: account))
        do { return try JSONCoding.encode(doc) } catch {
            throw TMDiagError("cannot encode the export: \(error)", status: .software)
        }
    }

    /// The events as CSV (the import's CSV form, with every column).
    public func exportEventsCSV(account: String? = nil) throws(TMDiagError) -> Data {
        var out = Self.csvColumns.joined(separator: ",") + "\n"
        for a in try exportAccounts(account: account) {
            for e in a.events {
                let fields: [String?] = [a.id, e.at, e.end, e.kind, e.summary, e.msisdn, e.imei, e.iccid, e.device, e.plan,
                                         e.country, e.area, e.case, e.channel, e.rep, e.status, e.resolution, e.updated,
                                         e.reports?.joined(separator: ";")]
                out += fields.map { Self.csvField($0 ?? "") }.joined(separator: ",") + "\n"
            }
        }
        return Data(out.utf8)
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
