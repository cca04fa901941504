import Foundation
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
        var events: [EventInput]
    }

    struct ExportLine: Encodable {
        var msisdn: String
        var imei: String?
        var iccid: String?
        var device: String?
    }

    private func exportAccounts(account: String?) throws(TMDiagError) -> [ExportAccount] {
        do {
            let accounts: [Account]
            if let account {
                guard let a = try backend.account(id: account.trimmingSpaces) else {
                    throw TMDiagError("no account '\(TerminalText.escape(account, limit: 64))' in the store", status: .notFound)
                }
                accounts = [a]
            } else {
                accounts = try backend.accounts()
            }
            var cases: [String: SupportCase] = [:]
            for c in try backend.numberedCases() {
                cases[c.number!.uppercased()] = c
            }
            var out: [ExportAccount] = []
            for a in accounts {
                let lines = try backend.lines(account: a.id).map {
                    ExportLine(msisdn: $0.msisdn, imei: $0.imei, iccid: $0.iccid, device: $0.device)
                }
                var exportedCases = Set<String>()
                let events = try backend.events(account: a.id, since: nil).compactMap { e -> EventInput? in
                    guard e.kind == .supportCase, let number = e.caseNumber, let c = cases[number.uppercased()] else {
                        return EventInput(e, case: nil)
                    }
                    // One event per case: a case is a natural key in the document.
                    guard exportedCases.insert(number.uppercased()).inserted else { return nil }
                    return EventInput(e, case: c)
                }
                out.append(ExportAccount(id: a.id, holder: a.holder, type: a.type.rawValue, plan: a.plan, lines: lines, events: events))
            }
            return out
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
        var out = EventField.csvColumns.joined(separator: ",") + "\n"
        for a in try exportAccounts(account: account) {
            for e in a.events {
                let fields = e.fields
                out += ([a.id] + EventField.allCases.map { fields[$0] ?? "" }).map(Self.csvField).joined(separator: ",") + "\n"
            }
        }
        return Data(out.utf8)
    }

    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
