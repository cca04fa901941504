import Foundation
import TMDiagCore
import Yams

/// Diagnosis rules as data (`Profiles/rules/*.yaml`). A rule's conditions all have to hold
/// (AND); a list inside one condition is a choice (any of). The Ticket layer evaluates them.
public struct DiagnosisRule: Codable, Sendable, Hashable {
    public var id: String
    /// `sim`, `provisioning`, `coverage`, `device`, `billing`, `roaming`.
    public var category: String
    /// `info`, `warning`, `problem`.
    public var severity: String
    public var confidence: Double
    public var title: String
    /// Plain words; placeholders `{event.date}`, `{event.summary}`, `{event.country}`,
    /// `{event.area}`, `{cases}`, `{caseCount}`, `{rejectCause}`, `{sim}`, `{registration}`,
    /// `{signal}`, `{operator}`, `{error}`, `{device}`, `{functionality}`, `{firmware}`,
    /// `{currentFirmware}`, `{pinAttempts}`, `{pukAttempts}` (" (2 attempts left)" or nothing), and for a
    /// `changed` condition `{change.field}`, `{change.before}`, `{change.after}`, `{change.date}` are filled in.
    public var reasoning: String
    public var nextStep: String?
    /// The next step for a kind of device (`modem`, `handset`, `hotspot`), where what a person
    /// can do differs: a USB modem has no screen to enter a PIN on.
    public var nextStepByKind: [String: String]?
    public var when: RuleConditions
    /// Where the knowledge comes from (a standard, a vendor note), when it is not common sense.
    public var source: String?
    /// A later rule with an id in this list replaces nothing; a finding of this rule hides
    /// the findings of the listed rules for the same device (`sim-absent` under `sim-after-swap`).
    public var supersedes: [String]?
    /// Who acts on the finding: `customer`, `device`, `carrier-account` or `network`.
    public var actor: String?
    /// Words `tmdiag explain` knows the finding by (`apn`, `fcc-lock`, `volte`).
    public var subjects: [String]?

    public static let actors: Set<String> = ["customer", "device", "carrier-account", "network"]
    public static let categories: Set<String> = ["sim", "provisioning", "coverage", "device", "billing", "roaming"]
    public static let severities: Set<String> = ["info", "warning", "problem"]
}

public struct RuleConditions: Codable, Sendable, Hashable {
    /// `sim.state` any of (`ready`, `pin-required`, `puk-required`, `absent`, `failure`, `unknown`).
    public var sim: [String]?
    /// `registration.state` any of.
    public var registration: [String]?
    public var rejectCause: CodeMatch?
    /// Some device error matches.
    public var error: CodeMatch?
    /// Signal quality any of (`excellent`, `good`, `fair`, `poor`, `none`, `unknown`).
    public var signal: [String]?
    /// The device says it is roaming (registration `roaming`, or a handset's roaming flag).
    public var roaming: Bool?
    /// Each entry must match at least one history event.
    public var history: [HistoryMatch]?
    /// None of these may match a history event.
    public var notHistory: [HistoryMatch]?
    public var earlierCases: CaseCount?
    /// The customer's summary mentions one of these words (case-insensitive).
    public var issueMentions: [String]?
    /// `consumer` or `business`.
    public var accountType: String?
    /// True: the report shows no device problem at all (SIM ready, registered, no errors).
    public var healthy: Bool?
    /// The modem's `+CFUN` level any of (0 minimum, 1 full, 4 radio off; 3GPP TS 27.007 §8.2).
    public var functionality: [Int]?
    /// True: the modem's firmware sorts before the `currentFirmware` its device profile names.
    public var firmwareBehindProfile: Bool?
    /// The device says whether it is registered with the carrier's IMS core (a modem's
    /// `+CIREG`, a phone's own IMS state); a device that did not say never matches.
    public var imsRegistered: Bool?
    /// Since the device's previous saved report, one of these facts changed (`iccid`, `imsi`,
    /// `firmware`, `operator`, ...; the `changes` fields).
    public var changed: [String]?
    /// The device held against the carrier's facts (`CarrierNetwork`); see `CarrierConditions`.
    public var carrier: CarrierConditions?

    public init() {}

    /// Whether the rule looks at a device (then it is evaluated once per device).
    public var needsDevice: Bool {
        sim != nil || registration != nil || rejectCause != nil || error != nil || signal != nil || roaming != nil
            || healthy != nil || functionality != nil || firmwareBehindProfile != nil || imsRegistered != nil
            || changed != nil || carrier != nil
    }

    /// Whether the rule needs more than the device report: the account's history or type, or
    /// the customer's words. `tmdiag report` evaluates only the rules that need none of these.
    public var needsAccountOrWords: Bool {
        history != nil || notHistory != nil || earlierCases != nil || issueMentions != nil || accountType != nil
    }
}

public struct CodeMatch: Codable, Sendable, Hashable {
    /// `emm`, `gmm` for reject causes; `cme`, `cms`, `ceer`, `emm`, `gmm`, `generic`, `timeout` for errors.
    public var kind: [String]?
    public var code: [Int]?
}

public struct HistoryMatch: Codable, Sendable, Hashable {
    /// Event kinds, any of (`sim_swap`, `outage`, `roaming`, ...).
    public var kind: [String]
    /// The event happened (or, for one with an end, lasted until) within this many days before now.
    public var withinDays: Int?
    /// The event is going on now: started, and not ended (or ends in the future).
    public var active: Bool?
    /// An event older than `withinDays` still counts while a support case opened after it is
    /// unresolved (open or escalated): the problem it started has not gone away.
    public var orWhileUnresolved: Bool?
}

public struct CaseCount: Codable, Sendable, Hashable {
    public var min: Int
    public var withinDays: Int?
    /// Case summaries must mention one of these words (case-insensitive) to count.
    public var about: [String]?
}

public struct RuleFile: Codable, Sendable {
    public var rules: [DiagnosisRule]
}

/// The loaded rules, in file order (shipped files first, then the user's; a user rule with a
/// shipped rule's id replaces it).
public struct DiagnosisRules: Sendable {
    public var rules: [DiagnosisRule]
    public init(rules: [DiagnosisRule]) { self.rules = rules }

    /// Days of history the rules look back: the longest `withinDays`, and 30 days for
    /// `active` conditions (a trip or an outage going on now started within a month).
    public var historyWindowDays: Int {
        var days = 0
        for rule in rules {
            let matches: [HistoryMatch] = (rule.when.history ?? []) + (rule.when.notHistory ?? [])
            for m in matches {
                let d: Int = m.withinDays ?? (m.active == true ? 30 : 0)
                days = Swift.max(days, d, m.orWhileUnresolved == true ? Self.unresolvedLookbackDays : 0)
            }
        }
        return days
    }

    /// The event kinds the rules' `history` and `notHistory` conditions name: an event of any
    /// other kind can never match, so it need not be read.
    public var historyEventKinds: Set<String> {
        var kinds: Set<String> = []
        for rule in rules {
            for m in (rule.when.history ?? []) + (rule.when.notHistory ?? []) { kinds.formUnion(m.kind) }
        }
        return kinds
    }

    /// How far back an event linked by an unresolved case is looked for.
    public static let unresolvedLookbackDays = 180

    static let simStates = Set(SIMState.allCases.map(\.rawValue))
    static let registrationStates = Set(RegistrationState.allCases.map(\.rawValue))
    static let errorKinds = Set(ErrorKind.allCases.map(\.rawValue))
    static let eventKinds: Set<String> = ["plan_change", "sim_swap", "device_change", "port_in", "port_out", "outage",
                                         "roaming", "billing", "support_case", "note"]
    static let signalWords: Set<String> = ["excellent", "good", "fair", "poor", "none", "unknown"]

    /// Loads `rules/*.yaml` (shipped, then the user's). Checked rules are cached like the
    /// device profiles (see `ParsedCache`): every report evaluates them.
    public static func load(_ locations: ProfileLocations,
                            cache: ParsedCache<[DiagnosisRule]>? = .standard("diagnosis-rules")) throws(TMDiagError) -> DiagnosisRules {
        let files = locations.files("rules")
        let parse = { () throws(TMDiagError) -> [DiagnosisRule] in
            var byId: [String: Int] = [:]
            var out: [DiagnosisRule] = []
            for file in files {
                for rule in try loadFile(path: file.path, displayPath: file.display) {
                    if let i = byId[rule.id] {
                        if file.user { out[i] = rule; continue }
                        throw TMDiagError("\(file.display): rule '\(rule.id)' is defined twice", status: .dataError)
                    }
                    byId[rule.id] = out.count
                    out.append(rule)
                }
            }
            return out
        }
        guard let cache else { return DiagnosisRules(rules: try parse()) }
        return DiagnosisRules(rules: try cache.value(for: files.map(\.path), parse: parse))
    }

    /// One rule file, decoded and checked; every error names the file and line.
    public static func loadFile(path: String, displayPath: String) throws(TMDiagError) -> [DiagnosisRule] {
        let file = try YAMLLoading.decode(RuleFile.self, path: path, displayPath: displayPath)
        // Parsed again only to name the line of an error.
        func root() -> Node? {
            let text = ProfileLocations.contents(path).flatMap { String(data: $0, encoding: .utf8) } ?? ""
            return (try? Yams.compose(yaml: text)) ?? nil
        }
        func fail(_ index: Int, _ keys: [String], _ what: String) -> TMDiagError {
            var path: [any CodingKey] = [Key("rules"), Key(index)]
            path += keys.map { Key($0) }
            let line = root().flatMap { YAMLLoading.locate(path, in: $0) }
            let keyText = "rules[\(index)]" + keys.map { "." + $0 }.joined()
            return TMDiagError("\(displayPath)\(line.map { ":\($0)" } ?? ""): \(keyText): \(what)", status: .dataError)
        }
        var seen = Set<String>()
        for (i, r) in file.rules.enumerated() {
            if r.id.isEmpty || !r.id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                throw fail(i, ["id"], "ids are letters, digits, '-' and '_'")
            }
            if !seen.insert(r.id).inserted { throw fail(i, ["id"], "rule '\(r.id)' is defined twice") }
            if !DiagnosisRule.categories.contains(r.category) {
                throw fail(i, ["category"], "unknown category '\(r.category)'; expected one of \(DiagnosisRule.categories.sorted().joined(separator: ", "))")
            }
            if !DiagnosisRule.severities.contains(r.severity) {
                throw fail(i, ["severity"], "unknown severity '\(r.severity)'; expected info, warning or problem")
            }
            if !(0...1).contains(r.confidence) { throw fail(i, ["confidence"], "must be between 0 and 1") }
            if r.title.trimmingSpaces.isEmpty { throw fail(i, ["title"], "must not be empty") }
            if r.reasoning.trimmingSpaces.isEmpty { throw fail(i, ["reasoning"], "must not be empty") }
            let w = r.when
            if let m = problem(w.sim, Self.simStates, "sim state") { throw fail(i, ["when", "sim"], m) }
            if let m = problem(w.registration, Self.registrationStates, "registration state") { throw fail(i, ["when", "registration"], m) }
            if let m = problem(w.signal, Self.signalWords, "signal quality") { throw fail(i, ["when", "signal"], m) }
            if let m = problem(w.rejectCause?.kind, ["emm", "gmm"], "reject cause kind") { throw fail(i, ["when", "rejectCause", "kind"], m) }
            if let m = problem(w.error?.kind, Self.errorKinds, "error kind") { throw fail(i, ["when", "error", "kind"], m) }
            for (key, list) in [("history", w.history ?? []), ("notHistory", w.notHistory ?? [])] {
                for (j, h) in list.enumerated() {
                    func failH(_ what: String) -> TMDiagError {
                        var e = fail(i, ["when", key], what)
                        e.message = e.message.replacingOccurrences(of: "when.\(key):", with: "when.\(key)[\(j)]:")
                        return e
                    }
                    if h.kind.isEmpty { throw failH("kind: name at least one event kind") }
                    for k in h.kind where !Self.eventKinds.contains(k) {
                        throw failH("kind: unknown event kind '\(k)'; expected one of \(Self.eventKinds.sorted().joined(separator: ", "))")
                    }
                    if let d = h.withinDays, d <= 0 || d > 3650 { throw failH("withinDays: must be 1...3650") }
                    if h.withinDays == nil && h.active == nil { throw failH("give withinDays or active: true") }
                }
            }
            if let c = w.earlierCases {
                if c.min < 1 { throw fail(i, ["when", "earlierCases", "min"], "must be at least 1") }
                if let d = c.withinDays, d <= 0 || d > 3650 { throw fail(i, ["when", "earlierCases", "withinDays"], "must be 1...3650") }
            }
            if let f = w.functionality {
                if f.isEmpty { throw fail(i, ["when", "functionality"], "an empty list matches nothing; leave the key out instead") }
                if let bad = f.first(where: { !(0...127).contains($0) }) {
                    throw fail(i, ["when", "functionality"], "\(bad) is not a +CFUN level (0...127)")
                }
            }
            if let a = r.actor, !DiagnosisRule.actors.contains(a) {
                throw fail(i, ["actor"], "unknown actor '\(a)'; expected one of \(DiagnosisRule.actors.sorted().joined(separator: ", "))")
            }
            if let c = w.carrier, let (key, what) = c.problem() { throw fail(i, ["when", "carrier", key], what) }
            if let t = w.accountType, !["consumer", "business"].contains(t) {
                throw fail(i, ["when", "accountType"], "expected consumer or business")
            }
        }
        return file.rules
    }

    private static func problem(_ values: [String]?, _ allowed: Set<String>, _ noun: String) -> String? {
        guard let values else { return nil }
        if values.isEmpty { return "an empty list matches nothing; leave the key out instead" }
        for v in values where !allowed.contains(v) {
            return "unknown \(noun) '\(v)'; expected one of \(allowed.sorted().joined(separator: ", "))"
        }
        return nil
    }
}

/// A coding key for locating a path in a YAML node.
struct Key: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ s: String) { stringValue = s; intValue = nil }
    init(_ i: Int) { stringValue = String(i); intValue = i }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
}
