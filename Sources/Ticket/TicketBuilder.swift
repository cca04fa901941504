import Foundation
import History
import Profiles
import TMDiagCore

/// The customer's description of the issue, as typed (cleaned by the builder).
public struct IssueDescription: Sendable, Hashable {
    public var summary: String?
    public var started: String?
    public var changed: String?
    public var tried: [String]
    public init(summary: String? = nil, started: String? = nil, changed: String? = nil, tried: [String] = []) {
        self.summary = summary
        self.started = started
        self.changed = changed
        self.tried = tried
    }
}

/// Everything a ticket is made from. `history` is the full (unmasked) history of the window;
/// the builder masks what it shows.
public struct TicketInputs: Sendable {
    public var report: DeviceReport?
    /// The SHA-256 to quote for the report (the stored JSON's, or the file's).
    public var reportSHA256: String?
    public var history: AccountHistory?
    /// The events the rules look at, when `history` holds only the newest of its window.
    public var ruleEvents: [ServiceEvent]?
    public var issue: IssueDescription
    public var rules: [DiagnosisRule]
    public var carrier: CarrierProfile?
    /// TAC (8 digits) to a model name.
    public var tacModels: [String: String]
    public var now: Date
    public var timeZone: TimeZone
    public var reveal: RevealSet
    public var historyDays: Int

    public init(report: DeviceReport?, reportSHA256: String?, history: AccountHistory?, ruleEvents: [ServiceEvent]? = nil,
                issue: IssueDescription,
                rules: [DiagnosisRule], carrier: CarrierProfile?, tacModels: [String: String] = [:], now: Date,
                timeZone: TimeZone = .current, reveal: RevealSet = .none, historyDays: Int = 90) {
        self.report = report
        self.reportSHA256 = reportSHA256
        self.history = history
        self.ruleEvents = ruleEvents
        self.issue = issue
        self.rules = rules
        self.carrier = carrier
        self.tacModels = tacModels
        self.now = now
        self.timeZone = timeZone
        self.reveal = reveal
        self.historyDays = historyDays
    }
}

public enum TicketBuilder {
    /// Event kinds worth showing in a ticket (support cases have their own section).
    static let relevantKinds: Set<EventKind> = [.planChange, .simSwap, .deviceChange, .portIn, .portOut, .outage,
                                                .roaming, .billing, .note]
    static let maxEvents = 15
    static let maxContacts = 10

    public static func build(_ input: TicketInputs) -> Ticket {
        let reveal = input.reveal
        var issue = cleanIssue(input.issue, input)
        var ruleHistory = input.history
        if let events = input.ruleEvents { ruleHistory?.events = events }
        let findings = RuleEngine.evaluate(input.rules, RuleEngine.Context(
            report: input.report, history: ruleHistory, issueSummary: input.issue.summary, now: input.now, reveal: reveal,
            windowDays: input.carrier?.ruleWindowDays ?? [:], carrier: input.carrier?.network))
        let report = input.report?.masked(reveal)
        let found = (report?.devices ?? []).flatMap { d in (d.changes ?? []).map { TicketBuilder.changeWords($0, device: d) } }
        issue.changesFound = found.isEmpty ? nil : found
        let devices = (report?.devices ?? []).filter { $0.modem != nil || $0.handset != nil || $0.device.kind != .other }
            .map { device($0, input.tacModels) }

        var account: TicketAccount?
        var events: [TicketEvent] = []
        var total = 0
        var contacts: [TicketContact] = []
        if let full = input.history {
            // Select first, then mask only what is shown: a busy account has thousands of events.
            let from = input.now.addingTimeInterval(-Double(input.historyDays) * 86_400)
            let relevant = full.events.filter { relevantKinds.contains($0.kind) && $0.at <= input.now
                && ($0.at >= from || ($0.endAt.map { $0 >= from } ?? false)) }
            // When only the newest events were read, the window's size comes from the store.
            total = full.eventsInWindow > full.events.count
                ? relevant.count + (full.eventsInWindow - full.events.count) : relevant.count
            let shown = Array(relevant.sorted { $0.at > $1.at }.prefix(maxEvents))
            let shownCases = Array(full.cases.filter { $0.status != .draft }
                .sorted { ($0.openedAt, $0.handle) > ($1.openedAt, $1.handle) }.prefix(maxContacts))
            let h = AccountHistory(account: full.account, lines: full.lines, events: shown, cases: shownCases,
                                   since: full.since).masked(reveal)
            let line = pickLine(full, report: input.report).flatMap { l in h.lines.first { $0.id == l.id } } ?? h.lines.first
            account = TicketAccount(id: h.account.id, holder: h.account.holder, type: h.account.type.rawValue,
                                    plan: h.account.plan, line: line?.msisdn, lineDevice: line?.device)
            events = h.events.map(event)
            contacts = h.cases.map { c in
                    TicketContact(caseNumber: c.handle, date: c.openedAt, channel: c.channel?.rawValue, rep: c.rep,
                                  status: c.status.rawValue, summary: c.summary, resolution: c.resolution)
                }
        }
        let routing = input.carrier.map { route($0, findings: findings, account: account, contacts: contacts, now: input.now) }
        var attachments: [TicketAttachment] = []
        if let r = input.report {
            let sha = input.reportSHA256 ?? r.digest ?? ((try? r.canonicalJSON()).map(SHA256.hex) ?? "")
            attachments.append(TicketAttachment(name: "device report", reportId: r.reportId, sha256: sha))
        }
        return Ticket(createdAt: input.now, subject: subject(findings, devices: devices, account: account, issue: issue),
                      account: account, devices: devices, history: events, historyDays: input.historyDays,
                      historyTotal: total, earlierContacts: contacts, issue: issue, findings: findings, routing: routing,
                      attachments: attachments,
                      reminder: input.carrier?.privacyReminder
                        ?? "Support never needs your account PIN, passcode or password in this ticket: never type them into a message.",
                      draft: nil, revealed: reveal.fields.map(\.rawValue).sorted())
    }

    static func cleanIssue(_ i: IssueDescription, _ input: TicketInputs) -> TicketIssue {
        let r = input.reveal
        func clean(_ s: String?) -> String {
            guard let s, !s.trimmingSpaces.isEmpty else { return TicketIssue.notStated }
            let c = CustomerWords.clean(s, reveal: r)
            return c.isEmpty ? TicketIssue.notStated : c
        }
        let all = [i.summary, i.started, i.changed].compactMap { $0 } + i.tried
        let secret = all.contains { CustomerWords.holdsSecret($0) }
        var started = TicketIssue.notStated
        var day: String?
        if let s = i.started, !s.trimmingSpaces.isEmpty {
            let w = StartedWhen.parse(s, now: input.now, timeZone: input.timeZone, reveal: r)
            started = w.stated.isEmpty ? TicketIssue.notStated : w.stated
            day = w.day
        }
        let tried = i.tried.map { CustomerWords.clean($0, reveal: r) }.filter { !$0.isEmpty }
        return TicketIssue(summary: clean(i.summary), started: started, startedDay: day, changed: clean(i.changed),
                           tried: tried, secretRemoved: secret)
    }

    static func device(_ d: ReportedDevice, _ tacModels: [String: String]) -> TicketDevice {
        let h = d.handset
        // A phone's SIM slot fills the same lines a modem's facts do.
        let m = d.modem ?? h?.primarySlot?.asModemFacts(manufacturer: h?.manufacturer, model: h?.model)
        let imei = m?.imei ?? h?.imei?.first
        let tac = imei.map { String($0.prefix(8)) }.flatMap { $0.allSatisfy(\.isASCIIDigit) && $0.count == 8 ? $0 : nil }
        var sim: TicketSIM?
        if let s = m?.sim {
            sim = TicketSIM(state: s.state.rawValue, detail: s.detail.flatMap { impliedDetail[s.state] == $0.uppercased() ? nil : $0 }, iccid: s.iccid, imsi: s.imsi, homeOperator: s.operator?.name)
        } else if let states = h?.simStates, !states.isEmpty {
            sim = TicketSIM(state: states.joined(separator: ", "), detail: nil, iccid: nil, imsi: nil, homeOperator: nil)
        }
        var network: TicketNetwork?
        if let r = m?.registration {
            let op = r.operator.map { o in o.name ?? [o.mcc, o.mnc].compactMap { $0 }.joined(separator: "-") }
            let cause = (r.rejectCause ?? r.domains.compactMap(\.rejectCause).first).map { c in
                "\(c.kind.uppercased()) cause \(c.code)" + (c.meaning.map { ": \($0)" } ?? "")
            }
            network = TicketNetwork(registration: r.state.rawValue, technology: r.technology, operator: op,
                                    rejectCause: cause, signal: m?.signal.map(signalText))
        } else if let s = m?.signal {
            network = TicketNetwork(registration: "unknown", technology: nil, operator: nil, rejectCause: nil, signal: signalText(s))
        } else if let h, h.operators != nil || h.roaming != nil {
            let roaming = h.roaming?.contains(true) ?? false
            network = TicketNetwork(registration: roaming ? "roaming" : "home", technology: h.networkTypes?.first,
                                    operator: h.operators?.first?.name, rejectCause: nil, signal: nil)
        }
        let firmware = m?.firmware ?? [h?.osVersion, h?.build].compactMap { $0 }.joined(separator: ", ").nilIfEmpty
        return TicketDevice(
            id: d.device.id, kind: d.device.kind.rawValue, name: d.device.displayName,
            coverage: d.probe?.coverage?.rawValue,
            manufacturer: m?.manufacturer ?? h?.manufacturer ?? d.device.manufacturer ?? d.device.vendor,
            model: m?.model ?? h?.model ?? d.device.model ?? d.device.product, firmware: firmware, imei: imei,
            tacModel: tac.flatMap { tacModels[$0] }, sim: sim, network: network,
            errors: d.errors.map { TicketError(command: $0.command, raw: $0.raw, meaning: $0.meaning, advice: $0.advice) },
            note: d.probe?.note ?? h?.note)
    }

    /// One found change in words: `Firmware: A -> B (Modem 1-2, since 2026-11-02, report R-…)`.
    static func changeWords(_ c: DeviceChange, device d: ReportedDevice) -> String {
        let since = c.previousAt.map { "since " + String(Timestamp.format($0).prefix(10)) + ", " } ?? ""
        return "\(c.fieldWords): \(c.before) -> \(c.after) (\(d.device.kind.rawValue.capitalized) \(d.device.id), \(since)report \(c.previousReportId))"
    }

    /// The `+CPIN:` word each SIM state comes from; not repeated beside the state.
    static let impliedDetail: [SIMState: String] = [.ready: "READY", .pinRequired: "SIM PIN", .pukRequired: "SIM PUK"]

    static func signalText(_ s: SignalFacts) -> String {
        var parts = [s.quality == .none ? "no signal" : s.quality.rawValue]
        if let v = s.rsrpDbm { parts.append("RSRP \(Int(v.rounded())) dBm") }
        else if let v = s.rssiDbm { parts.append("RSSI \(v) dBm") }
        if let v = s.rsrqDb { parts.append("RSRQ \(Int(v.rounded())) dB") }
        return parts.count == 1 ? parts[0] : parts[0] + " (" + parts.dropFirst().joined(separator: ", ") + ")"
    }

    /// The line the report's device belongs to: compared in masked form, so that a masked
    /// report still finds its line (IMEI TAC + last 4, ICCID last 4, number last 4).
    public static func pickLine(_ h: AccountHistory, report: DeviceReport?) -> Line? {
        guard let report else { return nil }
        func lastFour(_ s: String) -> String { String(s.filter(\.isASCIIDigit).suffix(4)) }
        var imeis = Set<String>(), iccids = Set<String>(), msisdns = Set<String>()
        for d in report.devices {
            if let v = d.modem?.imei { imeis.insert(Mask.imei(v)) }
            for v in d.handset?.imei ?? [] { imeis.insert(Mask.imei(v)) }
            if let v = d.modem?.sim?.iccid { iccids.insert(lastFour(v)) }
            if let v = d.modem?.sim?.msisdn { msisdns.insert(lastFour(v)) }
        }
        return h.lines.first { l in
            (l.imei.map { imeis.contains(Mask.imei($0)) } ?? false)
                || (l.iccid.map { iccids.contains(lastFour($0)) } ?? false)
                || msisdns.contains(lastFour(l.msisdn))
        }
    }

    static func event(_ e: ServiceEvent) -> TicketEvent {
        var detail: [String] = []
        if let v = e.plan { detail.append("plan \(v)") }
        if let v = e.device { detail.append("device \(v)") }
        if let v = e.country { detail.append(v) }
        if let v = e.area { detail.append(v) }
        if let v = e.msisdn { detail.append("line \(v)") }
        if let v = e.iccid { detail.append("SIM \(v)") }
        if let v = e.imei { detail.append("IMEI \(v)") }
        return TicketEvent(at: e.at, endAt: e.endAt, kind: e.kind.rawValue.replacingOccurrences(of: "_", with: " "),
                           summary: e.summary, detail: detail.isEmpty ? nil : detail.joined(separator: "; "))
    }

    static func subject(_ findings: [Finding], devices: [TicketDevice], account: TicketAccount?, issue: TicketIssue) -> String {
        var head: String
        let main = findings.filter { $0.id != "repeated-cases" }
        if let f = main.first(where: { $0.severity != "info" }) ?? main.first {
            head = f.title
        } else if issue.summary != TicketIssue.notStated {
            head = issue.summary.count > 60 ? String(issue.summary.prefix(59)) + "…" : issue.summary
        } else {
            head = "Support request"
        }
        var parts = [head]
        // The device the lead finding is about, else the only (or first) device.
        let lead = main.first(where: { $0.severity != "info" }) ?? main.first
        if let d = devices.first(where: { $0.id == lead?.device }) ?? devices.first { parts.append(d.tacModel ?? d.name) }
        if let a = account { parts.append("\(a.type) account \(a.id)") }
        if let r = findings.first(where: { $0.id == "repeated-cases" }) {
            parts.append("escalation: " + r.title.split(separator: ":").first.map(String.init)!.lowercased())
        }
        return parts.joined(separator: " - ")
    }

    static func route(_ carrier: CarrierProfile, findings: [Finding], account: TicketAccount?, contacts: [TicketContact],
                      now: Date) -> TicketRouting {
        let top = findings.first { $0.severity != "info" && $0.id != "repeated-cases" } ?? findings.first { $0.id != "repeated-cases" }
            ?? findings.first
        let category = top?.category
        let dept = carrier.departments(category: category, accountType: account?.type).first
            ?? carrier.departments.last!
        let channels = dept.channels.compactMap(carrier.channel).map(channel)
        var reason = category.map { "The findings point at \(categoryWords($0))" } ?? "No specific finding; general care fits"
        if let a = account { reason += "; \(a.type) account" }
        reason += "."
        // Escalate when earlier contacts in the last 90 days did not fix it.
        // Only contacts about the same kind of problem count (a data case says nothing about a bill).
        let words = category.flatMap { relatedWords[$0] } ?? []
        let recent = contacts.filter { c in
            c.date >= now.addingTimeInterval(-90 * 86_400)
                && (words.isEmpty || words.contains { (c.summary ?? "").lowercased().contains($0) })
        }
        let unresolved = !recent.isEmpty && (findings.contains { $0.id == "repeated-cases" }
            || recent.contains { $0.status == "open" || $0.status == "escalated" })
        let quote = unresolved ? recent.map(\.caseNumber) : []
        let escalation = unresolved ? carrier.escalation.map { $0.replacingOccurrences(of: "{cases}", with: quote.joined(separator: ", ")) } : []
        let accessibility = carrier.channels.filter { $0.kind == "tty" }.map(channel)
        return TicketRouting(department: dept.name, askFor: dept.askFor, reason: reason, channels: channels,
                             escalation: escalation, quoteCases: quote, accessibility: accessibility)
    }

    /// Words that make an earlier case "about the same problem" as a finding's category.
    static let relatedWords: [String: [String]] = [
        "sim": ["sim", "service", "signal", "data", "call", "activat", "network"],
        "provisioning": ["service", "data", "sim", "activat", "provision", "apn", "lte", "connect", "network", "call"],
        "coverage": ["signal", "service", "coverage", "outage", "data", "call", "network"],
        "roaming": ["roaming", "abroad", "international", "travel", "call", "data", "service"],
        "billing": ["bill", "charge", "payment", "refund", "fee", "autopay", "credit"],
        "device": ["device", "phone", "modem", "hotspot", "data", "signal", "service", "crash", "battery"],
    ]

    static func channel(_ c: CarrierProfile.SupportChannel) -> TicketChannel {
        TicketChannel(name: c.name, contact: c.contact, hours: c.hours, note: c.note)
    }

    static func categoryWords(_ c: String) -> String {
        switch c {
        case "sim": return "the SIM"
        case "provisioning": return "the account's provisioning, not the device"
        case "coverage": return "the network or coverage"
        case "device": return "the device"
        case "billing": return "billing"
        case "roaming": return "roaming abroad"
        default: return c
        }
    }
}
