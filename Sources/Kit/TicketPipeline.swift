import Foundation
import History
import TMDiagCore
import Ticket

/// `tmdiag ticket`: find the report and the account, read the window of history, ask for what
/// the customer did not say (on a terminal), build, render, bundle, record the draft contact.
public enum TicketPipeline {
    public static let maxReportBytes = 16 << 20
    /// How many of the newest events of the window are read for the ticket's history section.
    static let displayLimit = 200

    public struct Options: Sendable {
        public var report: String?
        public var account: String?
        public var issue: IssueDescription
        public var format: TicketFormat
        public var reveal: RevealSet
        public var bundle: String?
        public var record: Bool
        public var now: Date
        public var timeZone: TimeZone
        public var historyDays: Int

        public init(report: String? = nil, account: String? = nil, issue: IssueDescription = IssueDescription(),
                    format: TicketFormat = .text, reveal: RevealSet = .none, bundle: String? = nil, record: Bool = true,
                    now: Date = Date(), timeZone: TimeZone = .current, historyDays: Int = 90) {
            self.report = report
            self.account = account
            self.issue = issue
            self.format = format
            self.reveal = reveal
            self.bundle = bundle
            self.record = record
            self.now = now
            self.timeZone = timeZone
            self.historyDays = historyDays
        }
    }

    public struct Result: Sendable {
        public var ticket: Ticket
        public var output: String
        /// Things to tell the person on stderr (no account found, draft not recorded...).
        public var notes: [String]
    }

    /// A report and where it came from.
    public struct LoadedReport: Sendable {
        public var report: DeviceReport
        public var sha256: String
        /// The full identifiers the store keeps for it, when it is in the store.
        public var stored: StoredReport?
    }

    /// Decodes report JSON and checks its digest when it has one.
    public static func decodeReport(_ bytes: Data, name: String) throws(TMDiagError) -> DeviceReport {
        let report: DeviceReport
        do { report = try JSONCoding.decoder().decode(DeviceReport.self, from: bytes) } catch {
            throw TMDiagError("\(name): not a tmdiag device report (\(describe(error)))", status: .dataError)
        }
        if report.digest != nil && !report.digestIsValid {
            throw TMDiagError("\(name): the report does not match its digest: it was changed after it was written", status: .dataError)
        }
        return report
    }

    static func describe(_ e: any Error) -> String {
        if let d = e as? DecodingError {
            switch d {
            case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
                let path = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                return (path.isEmpty ? "" : path.trimmingCharacters(in: CharacterSet(charactersIn: ".")) + ": ")
                    + TerminalText.escape(c.debugDescription, limit: 120)
            @unknown default: return "invalid JSON"
            }
        }
        return "invalid JSON"
    }

    /// `--report FILE|ID`, else the newest report in the store; nil when there is none.
    public static func loadReport(_ ref: String?, store: HistoryStore?) throws(TMDiagError) -> LoadedReport? {
        if let ref, FileManager.default.fileExists(atPath: ref) {
            let name = TerminalText.escape(ref)
            guard let h = FileHandle(forReadingAtPath: ref) else { throw TMDiagError("\(name): cannot read", status: .noInput) }
            defer { try? h.close() }
            let bytes = (try? h.read(upToCount: maxReportBytes + 1)) ?? Data()
            if bytes.count > maxReportBytes { throw TMDiagError("\(name): larger than 16 MiB", status: .dataError) }
            let report = try decodeReport(bytes, name: name)
            let stored = try store?.report(id: report.reportId)
            return LoadedReport(report: report, sha256: stored?.sha256 ?? SHA256.hex(bytes), stored: stored)
        }
        if let ref {
            guard let store else {
                throw TMDiagError("--report: no file '\(TerminalText.escape(ref))' and no history store to look the id up in", status: .noInput)
            }
            guard let s = try store.report(id: ref) else {
                throw TMDiagError("--report: no file or stored report '\(TerminalText.escape(ref, limit: 64))'", status: .notFound)
            }
            return LoadedReport(report: try decodeReport(s.json, name: "report \(s.id)"), sha256: s.sha256, stored: s)
        }
        guard let store, let s = try store.latestReport() else { return nil }
        return LoadedReport(report: try decodeReport(s.json, name: "report \(s.id)"), sha256: s.sha256, stored: s)
    }

    /// `--account`, else the account whose line has the report's IMEI, ICCID or number.
    public static func findAccount(_ id: String?, report: LoadedReport?, store: HistoryStore?) throws(TMDiagError) -> Account? {
        if let id {
            guard let store else { throw TMDiagError("--account: no history store at the given path", status: .noInput) }
            guard let a = try store.account(id: id) else {
                throw TMDiagError("--account: no account '\(TerminalText.escape(id, limit: 64))' in the store", status: .notFound)
            }
            return a
        }
        guard let store, let report else { return nil }
        var imeis = report.stored?.imeis ?? []
        var iccids = report.stored?.iccids ?? []
        var msisdns = report.stored?.msisdns ?? []
        // A report written with --reveal carries full identifiers itself.
        for d in report.report.devices {
            if let v = d.modem?.imei, Identifiers.isValidIMEI(v) { imeis.append(v) }
            for v in d.handset?.imei ?? [] where Identifiers.isValidIMEI(v) { imeis.append(v) }
            if let v = d.modem?.sim?.iccid, Identifiers.isPlausibleICCID(v) { iccids.append(v) }
            if let v = d.modem?.sim?.msisdn, !v.contains("*") { msisdns.append(v) }
        }
        for v in imeis { if let a = try store.accountFor(imei: v) { return a } }
        for v in iccids { if let a = try store.accountFor(iccid: v) { return a } }
        for v in msisdns { if let a = try store.accountFor(msisdn: v) { return a } }
        return nil
    }

    /// TAC to model names for the report's devices: the store's TAC table, then device profiles.
    static func tacModels(_ report: DeviceReport?, store: HistoryStore?, data: DataSources) throws(TMDiagError) -> [String: String] {
        var out: [String: String] = [:]
        for d in report?.devices ?? [] {
            for imei in [d.modem?.imei].compactMap({ $0 }) + (d.handset?.imei ?? []) {
                let tac = String(imei.prefix(8))
                guard tac.count == 8, tac.allSatisfy(\.isASCIIDigit), out[tac] == nil else { continue }
                if let e = try store?.tac(imei: tac + "0000000") { out[tac] = e.displayName }
                else if d.device.kind != .handset, let p = data.profiles.profile(tac: tac) {
                    // Device profiles name the TACs of modules; parsing them is skipped for phones.
                    out[tac] = p.name
                }
            }
        }
        return out
    }

    /// Builds the ticket (and the bundle, and the draft contact) and renders it.
    public static func run(_ o: Options, store: HistoryStore?, data: DataSources) throws(TMDiagError) -> Result {
        var notes: [String] = []
        let loaded = try loadReport(o.report, store: store)
        if loaded == nil { notes.append("no device report found (run `tmdiag report` first, or give --report FILE)") }
        let account = try findAccount(o.account, report: loaded, store: store)
        var history: AccountHistory?
        var ruleEvents: [ServiceEvent]?
        if let account, let store {
            // Only windows are read: the newest events of the last 90 days for the ticket, and
            // the (shorter) window the rules look at. A busy account has thousands of events.
            history = try store.history(account: account.id, since: o.now.addingTimeInterval(-Double(o.historyDays) * 86_400),
                                        limit: displayLimit)
            let rules = try data.rules()
            if history!.eventsInWindow > history!.events.count {
                ruleEvents = try store.events(account: account.id,
                                              since: o.now.addingTimeInterval(-Double(rules.historyWindowDays) * 86_400))
            }
        } else if o.account == nil {
            notes.append("no account found for the reported device; give --account ID to add its history")
        }
        let inputs = TicketInputs(report: loaded?.report, reportSHA256: loaded?.sha256, history: history,
                                  ruleEvents: ruleEvents, issue: o.issue,
                                  rules: try data.rules().rules, carrier: try data.carrier(),
                                  tacModels: try tacModels(loaded?.report, store: store, data: data),
                                  now: o.now, timeZone: o.timeZone, reveal: o.reveal, historyDays: o.historyDays)
        var ticket = TicketBuilder.build(inputs)
        if o.record, let store, let account {
            do {
                ticket.draft = try store.recordDraftContact(account: account.id, reportId: loaded?.report.reportId,
                                                            summary: ticket.subject, at: o.now)
            } catch {
                notes.append("the ticket was not recorded as a draft contact: \(error.message)")
            }
        }
        if let path = o.bundle {
            var masked: DeviceReport?
            if let loaded { masked = try sealedMasked(loaded.report, o.reveal) }
            try TicketBundle.write(to: path, ticket: ticket, report: masked, history: history?.masked(o.reveal))
            notes.append("bundle written to \(TerminalText.escape(path))")
        }
        let output: String
        do { output = try ticket.render(o.format) } catch {
            throw TMDiagError("cannot render the ticket: \(error)", status: .software)
        }
        return Result(ticket: ticket, output: output, notes: notes)
    }

    /// The report as it may leave the machine, with a digest over the masked content.
    static func sealedMasked(_ r: DeviceReport, _ reveal: RevealSet) throws(TMDiagError) -> DeviceReport {
        do { return try r.masked(reveal).sealed() } catch {
            throw TMDiagError("cannot encode the report: \(error)", status: .software)
        }
    }
}
