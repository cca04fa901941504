import Foundation
import TMDiagCore
import Yams

/// A carrier's support channels and departments (`Profiles/carriers/<id>.yaml`), so that a
/// ticket can say whom to contact, how, and how to escalate.
public struct CarrierProfile: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var channels: [SupportChannel]
    /// In order of preference: the first department that fits a ticket is the one suggested.
    public var departments: [Department]
    /// Lines on escalating; `{cases}` becomes the earlier case numbers.
    public var escalation: [String]
    /// What the ticket reminds the customer of (PINs and passwords).
    public var privacyReminder: String
    /// How many days after an event of a kind (`sim_swap`, `port_in`...) the diagnosis rules
    /// still link a problem to it, where this carrier's experience differs from a rule's own
    /// `withinDays`.
    public var ruleWindowDays: [String: Int]?
    /// The network's facts (codes, APNs, bands, closed technologies), for the diagnosis rules.
    public var network: CarrierNetwork?

    public struct SupportChannel: Codable, Sendable, Hashable {
        public var id: String
        /// `phone`, `tty`, `chat`, `social`, `store`, `email`.
        public var kind: String
        public var name: String
        /// The number or the place ("T-Life app or t-mobile.com").
        public var contact: String
        public var note: String?
        public var hours: String?
        /// Where the number or fact comes from. Required for every channel.
        public var source: String
    }

    public struct Department: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        /// Finding categories it handles (`sim`, `roaming`, ...); `general` fits anything.
        public var categories: [String]
        /// Account types it serves; absent means all.
        public var accountTypes: [String]?
        /// Channel ids, best first.
        public var channels: [String]
        /// When the department has no number of its own: what to ask for on the general line.
        public var askFor: String?
    }

    /// The departments that fit, best first; the last resort is one that handles `general`.
    public func departments(category: String?, accountType: String?) -> [Department] {
        func serves(_ d: Department) -> Bool { d.accountTypes.map { accountType.map($0.contains) ?? false } ?? true }
        var out = departments.filter { d in serves(d) && category.map(d.categories.contains) == true }
        if out.isEmpty { out = departments.filter { serves($0) && $0.categories.contains("general") } }
        if out.isEmpty { out = departments.filter { $0.categories.contains("general") } }
        return out
    }

    public func channel(_ id: String) -> SupportChannel? { channels.first { $0.id == id } }

    public static let channelKinds: Set<String> = ["phone", "tty", "chat", "social", "store", "email"]

    /// `carriers/<id>.yaml`, the user's copy first. Checked profiles are cached like the rules
    /// (see `ParsedCache`): every report and ticket reads it, and parsing its YAML was the
    /// largest single cost of a report on a modem.
    public static func load(_ locations: ProfileLocations, id: String = "tmobile-us",
                            cache: ParsedCache<CarrierProfile>? = .standard("carrier-profile")) throws(TMDiagError) -> CarrierProfile {
        let file = locations.files("carriers").last { ($0.path as NSString).lastPathComponent == id + ".yaml" }
        guard let file else { throw TMDiagError("no carrier profile carriers/\(id).yaml", status: .noInput) }
        let parse = { () throws(TMDiagError) -> CarrierProfile in try loadFile(path: file.path, displayPath: file.display) }
        guard let cache else { return try parse() }
        return try cache.value(for: [file.path], parse: parse)
    }

    public static func loadFile(path: String, displayPath: String) throws(TMDiagError) -> CarrierProfile {
        let p = try YAMLLoading.decode(CarrierProfile.self, path: path, displayPath: displayPath)
        // Parsed again only to name the line of an error.
        func root() -> Node? {
            let text = ProfileLocations.contents(path).flatMap { String(data: $0, encoding: .utf8) } ?? ""
            return (try? Yams.compose(yaml: text)) ?? nil
        }
        func fail(_ path: [any CodingKey], _ what: String) -> TMDiagError {
            let line = root().flatMap { YAMLLoading.locate(path, in: $0) }
            let keyText = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
            return TMDiagError("\(displayPath)\(line.map { ":\($0)" } ?? ""): \(keyText): \(what)", status: .dataError)
        }
        var ids = Set<String>()
        for (i, c) in p.channels.enumerated() {
            if !ids.insert(c.id).inserted { throw fail([Key("channels"), Key(i), Key("id")], "channel '\(c.id)' is defined twice") }
            if !channelKinds.contains(c.kind) {
                throw fail([Key("channels"), Key(i), Key("kind")], "unknown kind '\(c.kind)'; expected one of \(channelKinds.sorted().joined(separator: ", "))")
            }
            if c.source.trimmingSpaces.isEmpty { throw fail([Key("channels"), Key(i), Key("source")], "every channel needs a source") }
        }
        for (i, d) in p.departments.enumerated() {
            for (j, c) in d.channels.enumerated() where !ids.contains(c) {
                throw fail([Key("departments"), Key(i), Key("channels"), Key(j)], "no channel '\(c)'")
            }
        }
        if let problem = p.network?.problem() { throw fail([Key("network")], problem) }
        if !p.departments.contains(where: { $0.categories.contains("general") }) {
            throw fail([Key("departments")], "one department must handle 'general'")
        }
        return p
    }
}
