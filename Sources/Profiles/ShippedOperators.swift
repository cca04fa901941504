import Modem
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

    /// The table's path: in the shipped Profiles folder, or built in.
    static func path(_ locations: ProfileLocations) -> String? {
        locations.shippedFile("carriers/operators.yaml")
    }

    public static func load(_ locations: ProfileLocations) -> [String: String] {
        guard let path = path(locations) else { return [:] }
        guard let f = try? YAMLLoading.decode(File.self, path: path, displayPath: "carriers/operators.yaml") else { return [:] }
        var out: [String: String] = [:]
        for e in f.operators { out[e.mcc + e.mnc] = e.name }
        return out
    }
}

extension OperatorDirectory {
    /// Debian's provider list when installed, plus the shipped table for what it lacks; cached
    /// like the device profiles (the list is 2 MB of XML, read on every probe and decode).
    public static func load(_ locations: ProfileLocations,
                            providerInfo path: String = OperatorDirectory.providerInfoPath,
                            cache: ParsedCache<[String: String]>? = .standard("operators")) -> OperatorDirectory {
        let parse = { () -> [String: String] in
            var names = OperatorDirectory.providerInfo(path: path)
            names.merge(ShippedOperators.load(locations)) { a, _ in a }
            return names
        }
        let sources = [path] + (ShippedOperators.path(locations).map { [$0] } ?? [])
        return OperatorDirectory(names: cache?.value(for: sources, parse: parse) ?? parse())
    }
}

extension OperatorDirectory {
    /// Debian's provider list's APNs by network code, cached like the names: a carrier APN
    /// rule asks for them on every ticket and report, and a parse of the 2 MB list costs far
    /// more than reading the cached table.
    public static func loadAPNs(providerInfo path: String = OperatorDirectory.providerInfoPath,
                                cache: ParsedCache<[String: [ProviderAPN]]>? = .standard("operator-apns"))
        -> [String: [ProviderAPN]] {
        cache?.value(for: [path]) { providerAPNs(path: path) } ?? providerAPNs(path: path)
    }
}
