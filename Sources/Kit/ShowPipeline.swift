import Foundation
import History
import TMDiagCore
import Ticket

/// `tmdiag show FILE|ID`: a saved report (JSON file or store id) or a ticket bundle, rendered
/// for a person after its digest is checked. A bad digest is a `dataError`, never a crash.
public enum ShowPipeline {
    public struct Result: Sendable {
        public var text: String
        public var json: Data
        public var notes: [String]
    }

    public static func run(_ ref: String, reveal: RevealSet, store: () throws(TMDiagError) -> HistoryStore?,
                           data: DataSources, color: Bool = false) throws(TMDiagError) -> Result {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: ref, isDirectory: &isDir) {
            if isDir.boolValue { throw TMDiagError("\(TerminalText.escape(ref)): is a directory", status: .noInput) }
            if TicketBundle.looksLikeZip(ref) {
                let b = try TicketBundle.read(ref)
                var text = b.ticketText
                text += "\n-- bundle checked: \(Plural.count(b.manifest.files.count, "file")) match the manifest's SHA-256 digests"
                if let r = b.report { text += "; report \(TerminalText.escape(r.reportId)) " + (r.digest == nil ? "has no digest" : "matches its digest") }
                text += "\n"
                return Result(text: text, json: encode(b.ticket), notes: [])
            }
            let loaded = try TicketPipeline.loadReport(ref, store: nil)!
            return render(loaded.report, reveal: reveal, data: data, store: nil, color: color)
        }
        let opened = try store()
        let loaded = try storedReport(ref, in: opened)
        return render(loaded.report, reveal: reveal, data: data, store: opened, color: color)
    }

    /// The report the store keeps under `ref`, its JSON checked against the digest the store
    /// recorded when it saved it: `show` and `show --html` read a stored report the same way.
    static func storedReport(_ ref: String, in store: HistoryStore?) throws(TMDiagError) -> TicketPipeline.LoadedReport {
        guard let store else {
            throw TMDiagError("\(TerminalText.escape(ref)): no such file, and no history store to look a report id up in", status: .noInput)
        }
        guard let found = try store.report(id: ref) else {
            throw TMDiagError("\(TerminalText.escape(ref, limit: 64)): no such file or stored report", status: .notFound)
        }
        if SHA256.hex(found.json) != found.sha256 {
            throw TMDiagError("report \(found.id): the stored JSON does not match its SHA-256: the store was changed", status: .dataError)
        }
        return TicketPipeline.LoadedReport(report: try TicketPipeline.decodeReport(found.json, name: "report \(found.id)"),
                                           sha256: found.sha256, stored: found)
    }

    static func render(_ report: DeviceReport, reveal: RevealSet, data: DataSources, store: HistoryStore?, color: Bool) -> Result {
        var notes: [String] = []
        if let n = report.unrevealableNote(reveal) { notes.append(n) }
        let checked: String
        if let d = report.digest {
            checked = "SHA-256 \(d) (checked)"
        } else {
            checked = "none: this report carries no digest, so it cannot be checked"
            notes.append("the report has no digest; its content could not be checked")
        }
        let tacs = (try? TicketPipeline.tacModels(report, store: store, data: data)) ?? [:]
        return Result(text: ReportRendering.text(report.masked(reveal), color: color, digest: checked, tacModels: tacs),
                      json: encode(report.masked(reveal)), notes: notes)
    }

    /// `show --html`: the page of a bundle's ticket, or of a report (file or stored id) with the
    /// recent history of the account its device belongs to, when the store knows it.
    public static func html(_ ref: String, reveal: RevealSet, store: () throws(TMDiagError) -> HistoryStore?,
                            now: Date = Date()) throws(TMDiagError) -> Result {
        var isDir: ObjCBool = false
        let loaded: TicketPipeline.LoadedReport
        let opened: HistoryStore?
        if FileManager.default.fileExists(atPath: ref, isDirectory: &isDir) {
            if isDir.boolValue { throw TMDiagError("\(TerminalText.escape(ref)): is a directory", status: .noInput) }
            if TicketBundle.looksLikeZip(ref) {
                let b = try TicketBundle.read(ref)
                let page = HTMLPage.ticket(b.ticket, report: b.report, history: b.history)
                return Result(text: page, json: encode(b.ticket), notes: [])
            }
            opened = try store()
            loaded = try TicketPipeline.loadReport(ref, store: nil)!
        } else {
            opened = try store()
            loaded = try storedReport(ref, in: opened)
        }
        var notes: [String] = []
        if let n = loaded.report.unrevealableNote(reveal) { notes.append(n) }
        var history: AccountHistory?
        if let opened, let account = try TicketPipeline.findAccount(nil, report: loaded, store: opened) {
            // A window, as the ticket reads it: a busy account has thousands of events.
            history = try opened.history(account: account.id, since: now.addingTimeInterval(-90 * 86_400),
                                         limit: TicketPipeline.displayLimit)?.masked(reveal)
        }
        let report = loaded.report.masked(reveal)
        let digest = report.digest.map { "SHA-256 \($0) (checked)" } ?? "none: this report carries no digest, so it cannot be checked"
        return Result(text: HTMLPage.report(report, history: history, digestNote: digest), json: encode(report), notes: notes)
    }

    static func encode<T: Encodable>(_ v: T) -> Data { (try? JSONCoding.encode(v)) ?? Data("{}\n".utf8) }
}
