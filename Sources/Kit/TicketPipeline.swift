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
        /// Take `account` even when none of its lines has the reported device's identifiers.
        public var forceAccount: Bool
        /// The case (`CAS-88231`, `DRAFT-3`) the ticket is for: the report is linked to it, for
        /// `verify` to compare a later report with, and no draft contact is recorded.
        public var caseId: String?
        /// Which shape to write the ticket in (`case`, `chat`, `email`, `social`, `voice`).
        public var channel: TicketChannelKind = .case

        public init(report: String? = nil, account: String? = nil, issue: IssueDescription = IssueDescription(),
                    format: TicketFormat = .text, reveal: RevealSet = .none, bundle: String? = nil, record: Bool = true,
                    now: Date = Date(), timeZone: TimeZone = .current, historyDays: Int = 90, forceAccount: Bool = false) {
            self.forceAccount = forceAccount
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

    /// A decoding error in words: where in the document and what was wrong, without Swift's
    /// own type and key names (`CodingKeys(stringValue:…)` means nothing to a person).
    static func describe(_ e: any Error) -> String {
        guard let d = e as? DecodingError else { return "invalid JSON" }
        func place(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let all = path + (key.map { [$0] } ?? [])
            let p = all.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "" : TerminalText.escape(p.trimmingCharacters(in: CharacterSet(charactersIn: ".")), limit: 80) + ": "
        }
        switch d {
        case .keyNotFound(let key, let c): return place(c.codingPath) + "missing '\(TerminalText.escape(key.stringValue, limit: 40))'"
        case .typeMismatch(let type, let c): return place(c.codingPath) + "expected \(typeWords(type))"
        case .valueNotFound(let type, let c): return place(c.codingPath) + "null where \(typeWords(type)) is needed"
        case .dataCorrupted(let c):
            let why = c.underlyingError == nil && !c.debugDescription.contains("CodingKeys")
                ? TerminalText.escape(c.debugDescription, limit: 120) : "not valid JSON or not an allowed value"
            return place(c.codingPath) + why
        @unknown default: return "invalid JSON"
        }
    }

    static func typeWords(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: return "a string"
        case is Int.Type, is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is Date.Type: return "a date"
        default:
            let n = String(describing: t)
            return n.hasPrefix("Array") ? "a list" : n.hasPrefix("Dictionary") ? "an object" : "an object or value"
        }
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
        if let n = loaded?.report.unrevealableNote(o.reveal) { notes.append(n) }
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
                let carrierDays = try data.carrier().ruleWindowDays?.values.max() ?? 0
                ruleEvents = try store.events(account: account.id,
                                              since: o.now.addingTimeInterval(-Double(max(rules.historyWindowDays, carrierDays)) * 86_400),
                                              ofKinds: rules.historyEventKinds)
            }
        } else if o.account == nil {
            notes.append("no account found for the reported device; give --account ID to add its history")
        }
        if let account, let history, let loaded, o.account != nil {
            try checkAccountOwnsDevice(account, history: history, report: loaded.report, force: o.forceAccount, notes: &notes)
        }
        // The attachment's digest is the digest of the report as it is attached (masked and
        // sealed): the one a bundle's report.json carries and `show` checks.
        let attached = try loaded.map { l throws(TMDiagError) in try sealedMasked(l.report, o.reveal) }
        let carrier = try data.carrier()
        let inputs = TicketInputs(report: loaded?.report, reportSHA256: attached?.digest, history: history,
                                  ruleEvents: ruleEvents, issue: o.issue,
                                  rules: try data.rules().rules, carrier: carrier,
                                  tacModels: try tacModels(loaded?.report, store: store, data: data),
                                  now: o.now, timeZone: o.timeZone, reveal: o.reveal, historyDays: o.historyDays)
        var ticket = TicketBuilder.build(inputs)
        if let caseId = o.caseId {
            guard let store else { throw TMDiagError("--case: no history store to find the case in (give --store PATH)", status: .noInput) }
            guard let loaded else { throw TMDiagError("--case: no device report to link to the case", status: .noInput) }
            guard let c = try store.supportCase(handle: caseId) else {
                throw TMDiagError("--case: no case '\(TerminalText.escape(caseId, limit: 64))' in the store "
                                  + "(record it with `tmdiag history add-case`)", status: .notFound)
            }
            if let account, c.accountId.caseInsensitiveCompare(account.id) != .orderedSame {
                throw TMDiagError("--case \(TerminalText.escape(c.handle, limit: 64)) belongs to another account than \(account.id)",
                                  status: .usage)
            }
            if o.record {
                // `verify` reads the report from the store: one given as a file is kept there too.
                if loaded.stored == nil { try store.saveReport(try ReportPipeline.stored(loaded.report)) }
                ticket.linkedCase = try store.linkReport(loaded.report.reportId, toCase: c.handle).handle
            } else {
                ticket.linkedCase = c.handle
            }
        } else if o.record, let store, let account {
            if let loaded, loaded.stored == nil { try? store.saveReport(try ReportPipeline.stored(loaded.report)) }
            do {
                ticket.draft = try store.recordDraftContact(account: account.id, reportId: loaded?.report.reportId,
                                                            summary: ticket.subject, at: o.now)
            } catch {
                notes.append("the ticket was not recorded as a draft contact: \(error.message)")
            }
        }
        if let path = o.bundle {
            try TicketBundle.write(to: path, ticket: ticket, report: attached, history: history?.masked(o.reveal))
            notes.append("bundle written to \(TerminalText.escape(path))")
        }
        let output: String
        do { output = o.channel == .case ? try ticket.render(o.format) : try ticket.render(for: o.channel, carrier: carrier) } catch {
            throw TMDiagError("cannot render the ticket: \(error)", status: .software)
        }
        return Result(ticket: ticket, output: output, notes: notes)
    }

    /// An `--account` given by hand must own the reported device: a line with its IMEI, SIM or
    /// number (compared in masked form, so a masked report still matches). A mistyped account
    /// would otherwise put a stranger's history into the ticket.
    static func checkAccountOwnsDevice(_ account: Account, history: AccountHistory, report: DeviceReport, force: Bool,
                                       notes: inout [String]) throws(TMDiagError) {
        let identified = report.devices.contains { d in
            d.modem?.imei != nil || d.modem?.sim?.iccid != nil || d.modem?.sim?.msisdn != nil || !(d.handset?.imei ?? []).isEmpty
        }
        guard identified else {
            notes.append("--account \(account.id): the report holds no IMEI, SIM or number, so it could not be checked against the account")
            return
        }
        guard TicketBuilder.pickLine(history, report: report) == nil else { return }
        if force {
            notes.append("--account \(account.id): none of its lines has the reported device's IMEI, SIM or number (taken because of --force-account)")
            return
        }
        throw TMDiagError("--account \(TerminalText.escape(account.id, limit: 64)): none of its lines has the IMEI, SIM or number "
                          + "of the device in report \(report.reportId); check the account id, or add --force-account to use it anyway",
                          status: .usage)
    }

    /// The report as it may leave the machine, with a digest over the masked content.
    static func sealedMasked(_ r: DeviceReport, _ reveal: RevealSet) throws(TMDiagError) -> DeviceReport {
        do { return try r.masked(reveal).sealed() } catch {
            throw TMDiagError("cannot encode the report: \(error)", status: .software)
        }
    }
}
