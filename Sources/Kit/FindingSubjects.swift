import Modem
import Profiles
import TMDiagCore

/// `tmdiag explain apn`, `explain fcc-lock`, `explain volte`: the findings a subject word names,
/// told in the rule's own words, so that the explanation and the next steps are the ones the
/// finding gives. What only a device can fill in (its APN, its bands) is said in general
/// words; what the carrier's facts know (its APN, its key bands) is filled from them.
public enum FindingSubjects {
    /// Every subject word the rules know, sorted.
    public static func words(_ rules: DiagnosisRules) -> [String] {
        Array(Set(rules.rules.flatMap { $0.subjects ?? [] })).sorted()
    }

    /// The explanations for `word`, or nil when no rule has that subject.
    public static func explain(_ word: String, rules: DiagnosisRules, carrier: CarrierNetwork?) -> [Explanation]? {
        let key = word.trimmingSpaces.lowercased()
        let matching = rules.rules.filter { ($0.subjects ?? []).contains(key) }
        guard !matching.isEmpty else { return nil }
        let values = generalValues(carrier)
        func fill(_ s: String) -> String {
            var out = s
            for (k, v) in values { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
            return out
        }
        return matching.map { r in
            Explanation(kind: "finding", table: "rules", code: nil, name: fill(r.title), meaning: fill(r.reasoning),
                        advice: fill(r.nextStepByKind?["modem"] ?? r.nextStep ?? ""), actor: actor(r.actor), source: r.source)
        }
    }

    static func actor(_ word: String?) -> Actor {
        switch word {
        case "customer": .customer
        case "carrier-account": .carrier
        case "network": .network
        default: .device
        }
    }

    /// Placeholder words for a finding without a device.
    static func generalValues(_ carrier: CarrierNetwork?) -> [String: String] {
        var v: [String: String] = [
            "apn": "the one set", "expectedApn": "the carrier's APN", "firmwareConfig": "another carrier's",
            "missingBands": "the carrier's key bands", "technology": "a closed technology", "technologies": "older technologies", "retiredSince": "its closing date",
            "retiredNetwork": "a network the carrier closed", "servingNetwork": "another network", "deviceId": "the modem",
            "fccHelper": "none enabled", "imeiState": "missing or invalid", "functionality": "4", "operator": "the network",
            "pinAttempts": "", "pukAttempts": "", "usbNetMode": "its",
        ]
        if let c = carrier {
            if let apn = c.internetAPNs(spn: nil).first { v["expectedApn"] = apn }
            if let key = c.lteBands?.key {
                v["missingBands"] = "one of " + key.map { $0.map { "B\($0)" }.joined(separator: "/") }.joined(separator: ", ")
            }
        }
        return v
    }
}
