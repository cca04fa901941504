import TMDiagCore

/// `Profiles/carriers/operators.yaml`: the small MCC/MNC table used when Debian's
/// mobile-broadband-provider-info is not installed.
public enum ShippedOperators {
    struct File: Codable {
        var source: String?
        var operators: [Entry]
    }
    struct Entry: Codable {
        var mcc: String
        var mnc: String
        var name: String
    }

    public static func load(_ locations: ProfileLocations) -> [String: String] {
        guard let shipped = locations.shipped else { return [:] }
        let path = shipped + "/carriers/operators.yaml"
        guard let f = try? YAMLLoading.decode(File.self, path: path, displayPath: "carriers/operators.yaml") else { return [:] }
        var out: [String: String] = [:]
        for e in f.operators { out[e.mcc + e.mnc] = e.name }
        return out
    }
}
