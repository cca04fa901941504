import Foundation
import History
import Profiles
import TMDiagCore

/// Evaluates `DiagnosisRule`s against a report, an account history and the customer's words.
/// Pure: the same inputs and `now` give the same findings in the same order.
public enum RuleEngine {
    public struct Context: Sendable {
        public var report: DeviceReport?
        public var history: AccountHistory?
        public var issueSummary: String?
        public var now: Date
        public var reveal: RevealSet
        /// The current firmware each device's profile names, by device id (when it names one).
        public var currentFirmware: [String: String]
        /// The carrier's windows by event kind, replacing the rules' own `withinDays`.
        public var windowDays: [String: Int]
        /// The carrier's network facts, for `when.carrier`.
        public var carrier: CarrierNetwork?
        /// ModemManager's FCC unlock helpers on the machine that made the report.
        public var fccUnlockHelpers: FCCUnlockHelpers
        /// Internet APNs for an MCC/MNC beyond the carrier's own (Debian's provider list).
        public var providerAPNs: @Sendable (String, String) -> [String]
        public init(report: DeviceReport?, history: AccountHistory?, issueSummary: String?, now: Date,
                    reveal: RevealSet = .none, currentFirmware: [String: String] = [:], windowDays: [String: Int] = [:],
                    carrier: CarrierNetwork? = nil, fccUnlockHelpers: FCCUnlockHelpers = FCCUnlockHelpers(),
                    providerAPNs: @escaping @Sendable (String, String) -> [String] = RuleEngine.debianAPNs) {
            self.carrier = carrier
            self.fccUnlockHelpers = fccUnlockHelpers
            self.providerAPNs = providerAPNs
            self.report = report
            self.history = history
            self.issueSummary = issueSummary
            self.now = now
            self.reveal = reveal
            self.currentFirmware = currentFirmware
            self.windowDays = windowDays
        }
    }

    /// What a device says, in the words the rules use.
    struct DeviceView {
        /// The device as reported, for `when.carrier`.
        var reported: ReportedDevice
        var id: String
        var kind: String
        var name: String
        var sim: String
        var registration: String
        var rejectCause: RejectCause?
        var errors: [ReportedError]
        var signal: String
        var roaming: Bool
        var operatorName: String?
        var functionality: Int?
        var pinRetries: Int?
        var pukRetries: Int?
        var firmware: String?
        /// IMS registration, where the device (modem or phone slot) said.
        var imsRegistered: Bool?
        /// The profile's current firmware, when the device's is older.
        var newerFirmware: String?
        /// What differs from the device's previous saved report.
        var changes: [DeviceChange]

        init(_ d: ReportedDevice, currentFirmware: String?) {
            reported = d
            id = d.device.id
            kind = d.device.kind.rawValue
            name = d.modem.flatMap { m in [m.manufacturer, m.model].compactMap { $0 }.joined(separator: " ").nilIfEmpty }
                ?? d.device.displayName
            let m = d.modem
            let h = d.handset
            var simState = m?.sim?.state.rawValue
            if simState == nil, let s = h?.simStates?.first?.lowercased() {
                simState = s.contains("absent") ? "absent" : s.contains("ready") || s.contains("loaded") ? "ready"
                    : s.contains("puk") ? "puk-required" : s.contains("pin") ? "pin-required" : "unknown"
            }
            sim = simState ?? "unknown"
            var reg = m?.registration?.state.rawValue ?? "unknown"
            roaming = m?.registration?.state == .roaming || (h?.roaming?.contains(true) ?? false)
            if reg == "unknown", let h, h.operators?.contains(where: { !$0.isEmpty }) == true {
                reg = roaming ? "roaming" : "home"
            }
            registration = reg
            errors = d.errors
            rejectCause = m?.registration?.rejectCause
                ?? m?.registration?.domains.compactMap(\.rejectCause).first
                ?? d.errors.first { ($0.kind == .emm || $0.kind == .gmm) && $0.code != nil }
                    .map { RejectCause(kind: $0.kind.rawValue, code: $0.code ?? 0, meaning: $0.meaning) }
            signal = m?.signal?.quality.rawValue ?? "unknown"
            operatorName = m?.registration?.operator?.name ?? h?.operators?.first?.name
            functionality = m?.functionality
            pinRetries = m?.sim?.pinRetries
            pukRetries = m?.sim?.pukRetries
            firmware = m?.firmware
            imsRegistered = m?.ims?.registered
            changes = d.changes ?? []
            if let current = currentFirmware, let fw = firmware, !fw.isEmpty,
               fw.compare(current, options: .numeric) == .orderedAscending {
                newerFirmware = current
            }
        }

        var healthy: Bool {
            sim == "ready" && (registration == "home" || registration == "roaming") && errors.isEmpty
                && signal != "poor" && signal != "none"
        }
    }

    public static func evaluate(_ rules: [DiagnosisRule], _ ctx: Context) -> [Finding] {
        let devices = ruleDevices(ctx.report?.devices ?? []).filter { $0.device.modem != nil || $0.device.handset != nil }
            .map { (view: DeviceView($0.device, currentFirmware: ctx.currentFirmware[$0.device.device.id]), slot: $0.slotEvidence) }
        var found: [(rule: DiagnosisRule, order: Int, finding: Finding)] = []
        for (order, rule) in rules.enumerated() {
            if rule.when.needsDevice {
                for (d, slot) in devices {
                    if var f = match(rule, device: d, ctx) {
                        if let slot { f.evidence = [slot] + (f.evidence ?? []) }
                        found.append((rule, order, f))
                    }
                }
            } else if let f = match(rule, device: nil, ctx) {
                found.append((rule, order, f))
            }
        }
        // A more specific finding hides the general ones it explains (same device, or all).
        var hidden = Set<Int>()
        for (i, a) in found.enumerated() {
            for s in a.rule.supersedes ?? [] {
                for (j, b) in found.enumerated() where j != i && b.rule.id == s
                    && (a.finding.device == nil || a.finding.device == b.finding.device) {
                    hidden.insert(j)
                }
            }
        }
        let kept = found.enumerated().filter { !hidden.contains($0.offset) }.map(\.element)
        return kept.sorted { a, b in
            let ra = severityRank(a.finding.severity), rb = severityRank(b.finding.severity)
            if ra != rb { return ra > rb }
            if a.finding.confidence != b.finding.confidence { return a.finding.confidence > b.finding.confidence }
            return a.order < b.order
        }.map(\.finding)
    }

    static func severityRank(_ s: String) -> Int { s == "problem" ? 2 : s == "warning" ? 1 : 0 }

    static func match(_ rule: DiagnosisRule, device d: DeviceView?, _ ctx: Context) -> Finding? {
        let w = rule.when
        var values: [String: String] = [:]
        var evidence: [String] = []
        if let d {
            if let sim = w.sim, !sim.contains(d.sim) { return nil }
            if let reg = w.registration, !reg.contains(d.registration) { return nil }
            if let sig = w.signal, !sig.contains(d.signal) { return nil }
            if let r = w.roaming, r != d.roaming { return nil }
            if let h = w.healthy, h != d.healthy { return nil }
            if let f = w.functionality {
                guard let level = d.functionality, f.contains(level) else { return nil }
                values["functionality"] = String(level)
                evidence.append("+CFUN: \(level)")
            }
            if let c = w.carrier {
                guard let m = matchCarrier(c, d.reported, ctx) else { return nil }
                values.merge(m.values) { _, new in new }
                evidence += m.evidence
            }
            if let behind = w.firmwareBehindProfile, behind != (d.newerFirmware != nil) { return nil }
            if let ims = w.imsRegistered {
                guard let said = d.imsRegistered, said == ims else { return nil }
            }
            if let fields = w.changed {
                guard let c = d.changes.first(where: { fields.contains($0.field) })?.masked(ctx.reveal) else { return nil }
                values["change.field"] = c.fieldWords
                values["change.before"] = c.before
                values["change.after"] = c.after
                values["change.date"] = c.previousAt.map(day) ?? "the previous report"
            }
            if let fw = d.firmware { values["firmware"] = fw }
            if let newer = d.newerFirmware { values["currentFirmware"] = newer }
            if let rc = w.rejectCause {
                guard let cause = d.rejectCause, rc.kind?.contains(cause.kind) ?? true,
                      rc.code?.contains(cause.code) ?? true else { return nil }
            }
            if let em = w.error {
                guard let e = d.errors.first(where: { e in
                    (em.kind?.contains(e.kind.rawValue) ?? true) && (em.code.map { c in e.code.map(c.contains) ?? false } ?? true)
                }) else { return nil }
                values["error"] = "\(e.raw) (\(e.meaning))"
            }
            values["device"] = d.name
            // "(2 attempts left)" where the device said; nothing where it did not.
            values["pinAttempts"] = d.pinRetries.map { " (\(Plural.count($0, "attempt")) left)" } ?? ""
            values["pukAttempts"] = d.pukRetries.map { " (\(Plural.count($0, "attempt")) left)" } ?? ""
            values["sim"] = d.sim
            values["registration"] = d.registration
            values["signal"] = d.signal
            values["operator"] = d.operatorName ?? "an unnamed network"
            if let c = d.rejectCause {
                values["rejectCause"] = "\(c.kind.uppercased()) cause \(c.code)" + (c.meaning.map { " (\($0))" } ?? "")
            }
        }
        if let t = w.accountType, ctx.history?.account.type.rawValue != t { return nil }
        let events = ctx.history?.events ?? []
        for h in w.history ?? [] {
            guard let e = events.filter({ matches($0, h, ctx) }).max(by: { $0.at < $1.at }) else { return nil }
            values["event.date"] = day(e.at)
            values["event.summary"] = e.summary
            values["event.country"] = e.country ?? "another country"
            values["event.area"] = e.area ?? "area not named"
        }
        for h in w.notHistory ?? [] where events.contains(where: { matches($0, h, ctx) }) { return nil }
        if let c = w.earlierCases {
            let since = ctx.now.addingTimeInterval(-Double(c.withinDays ?? 90) * 86_400)
            let about = (c.about ?? []).map { $0.lowercased() }
            let cases = (ctx.history?.cases ?? []).filter { sc in
                sc.status != .draft && sc.openedAt >= since && sc.openedAt <= ctx.now
                    && (about.isEmpty || about.contains { (sc.summary ?? "").lowercased().contains($0) })
            }
            guard cases.count >= c.min else { return nil }
            values["cases"] = cases.sorted { $0.openedAt > $1.openedAt }.map(\.handle).joined(separator: ", ")
            values["caseCount"] = String(cases.count)
        }
        if let words = w.issueMentions {
            let said = (ctx.issueSummary ?? "").lowercased()
            let tokens = Set(said.split { !$0.isLetter }.map(String.init))
            guard words.contains(where: { tokens.contains($0.lowercased()) }) else { return nil }
        }
        func fill(_ s: String) -> String {
            var out = s
            for (k, v) in values { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
            return IdentifierScrubber.scrub(out, reveal: ctx.reveal)
        }
        return Finding(id: rule.id, category: rule.category, severity: rule.severity, confidence: rule.confidence,
                       title: fill(rule.title), reasoning: fill(rule.reasoning),
                       nextStep: (d.flatMap { rule.nextStepByKind?[$0.kind] } ?? rule.nextStep).map(fill),
                       device: d?.id, actor: rule.actor,
                       evidence: evidence.isEmpty ? nil : evidence.map { IdentifierScrubber.scrub($0, reveal: ctx.reveal) })
    }

    static func matches(_ e: ServiceEvent, _ h: HistoryMatch, _ ctx: Context) -> Bool {
        let now = ctx.now
        guard h.kind.contains(e.kind.rawValue), e.at <= now else { return false }
        if h.active == true {
            guard e.endAt.map({ $0 >= now }) ?? true else { return false }
        }
        if let ruleDays = h.withinDays {
            let days = ctx.windowDays[e.kind.rawValue] ?? ruleDays
            let from = now.addingTimeInterval(-Double(days) * 86_400)
            let recent = e.at >= from || (e.endAt.map { $0 >= from } ?? false)
            guard recent || (h.orWhileUnresolved == true && unresolvedCaseSince(e.at, ctx)) else { return false }
        }
        return true
    }

    /// Whether a support case opened after `date` (and by now) is still open or escalated.
    static func unresolvedCaseSince(_ date: Date, _ ctx: Context) -> Bool {
        (ctx.history?.cases ?? []).contains { c in
            (c.status == .open || c.status == .escalated) && c.openedAt >= date && c.openedAt <= ctx.now
        }
    }

    static func day(_ d: Date) -> String { String(Timestamp.format(d).prefix(10)) }
}
