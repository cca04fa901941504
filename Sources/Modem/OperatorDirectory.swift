import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// MCC/MNC to operator names: Debian's mobile-broadband-provider-info when installed, a small
/// shipped table otherwise (and for anything the big list lacks).
public struct OperatorDirectory: Sendable {
    private var names: [String: String]   // "310260" -> "T-Mobile"

    public init(names: [String: String]) { self.names = names }

    public static let providerInfoPath = "/usr/share/mobile-broadband-provider-info/serviceproviders.xml"

    /// Reads `serviceproviders.xml` (through `XMLParser`; the result is cached parsed by
    /// `load`, so the 2 MB file is parsed once per change of the file, not per lookup).
    ///
    /// Several providers share a code: the network operator and the MVNOs on it (262-02 is
    /// Vodafone, and Bild Mobil and 1&1 list it too; 310-260 is T-Mobile, and Mint lists it).
    /// The operator is the provider marked `primary="true"`; without a mark, the one listing
    /// the most network codes (an operator lists all of its codes, an MVNO the host's one or
    /// few), and on a tie the first in the file.
    public static func providerInfo(path: String = providerInfoPath) -> [String: String] {
        var best: [String: ProviderEntry] = [:]
        for p in providers(path: path) {
            for code in p.codes where best[code].map({ p.outranks($0) }) ?? true { best[code] = p }
        }
        return best.mapValues(\.name)
    }

    /// One `<provider>` of the list, as `providerInfo` needs it.
    struct ProviderEntry {
        var name: String
        var primary: Bool
        /// `mcc + mnc` of each network id.
        var codes: [String]
        /// `<apn value=...>` with its `<usage type=...>` (`internet`, `mms`, `ims`).
        var apns: [(value: String, usage: String?)] = []

        /// Whether this provider, coming later in the file, is the operator of a code rather
        /// than `earlier` (the rule `providerInfo` states).
        func outranks(_ earlier: ProviderEntry) -> Bool {
            !earlier.primary && (primary || codes.count > earlier.codes.count)
        }
    }

    /// An APN Debian's list gives for a network code, and whose it is.
    public struct ProviderAPN: Sendable, Hashable, Codable {
        public var provider: String
        /// The network operator's own (not an MVNO's), by the rule of `providerInfo`.
        public var isOperator: Bool
        public var apn: String
        public var usage: String?
    }

    /// The APNs every provider on `mcc`/`mnc` lists, the operator's first.
    public static func providerAPNs(mcc: String, mnc: String, path: String = providerInfoPath) -> [ProviderAPN] {
        providerAPNs(path: path)[mcc + mnc] ?? []
    }

    /// The APNs of every network code (`mcc + mnc`) from one parse of the list: for each code,
    /// those of every provider listing it, the operator's first.
    public static func providerAPNs(path: String = providerInfoPath) -> [String: [ProviderAPN]] {
        var onCode: [String: [ProviderEntry]] = [:]
        for p in providers(path: path) {
            for code in Set(p.codes) { onCode[code, default: []].append(p) }
        }
        return onCode.compactMapValues { on in
            let op = on.dropFirst().reduce(on[0]) { best, p in p.outranks(best) ? p : best }
            var out: [ProviderAPN] = []
            for p in on {
                for a in p.apns { out.append(ProviderAPN(provider: p.name, isOperator: p.name == op.name, apn: a.value, usage: a.usage)) }
            }
            return out.isEmpty ? nil : out.filter(\.isOperator) + out.filter { !$0.isOperator }
        }
    }

    /// Every provider of the list that has a name and a network code, in file order. A file
    /// that is missing or not well-formed XML gives what was read before the fault (libxml2
    /// stops there), so a damaged list degrades to the shipped table instead of failing a report.
    static func providers(path: String) -> [ProviderEntry] {
        // From bytes, not `contentsOf: URL`: on Linux that path reaches for CFNetwork's stream
        // symbols, which a binary without FoundationNetworking lacks, and logs that it did.
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let parser = XMLParser(data: data)
        let reader = ProviderListReader()
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        reader.finishProvider()
        return reader.providers
    }

    public func name(mcc: String, mnc: String) -> String? { names[mcc + mnc] }

    /// Splits a numeric PLMN (`310260`, `23415`, `310 260`) into MCC and MNC. Three-digit MNCs
    /// are used in North America (MCC 302-316) and a few others; elsewhere two digits.
    public func split(plmn raw: String) -> (mcc: String, mnc: String)? {
        let d = raw.filter(\.isNumber)
        guard d.count == 5 || d.count == 6 else { return nil }
        let mcc = String(d.prefix(3)), mnc = String(d.dropFirst(3))
        return (mcc, mnc)
    }

    /// MCC/MNC of an IMSI: tries the 3-digit MNC first when the directory knows it or the MCC
    /// uses 3-digit MNCs, else 2 digits.
    public func plmn(ofIMSI imsi: String) -> (mcc: String, mnc: String)? {
        let d = imsi.filter(\.isNumber)
        guard d.count >= 6 else { return nil }
        let mcc = String(d.prefix(3))
        let mnc3 = String(d.dropFirst(3).prefix(3)), mnc2 = String(d.dropFirst(3).prefix(2))
        if names[mcc + mnc3] != nil { return (mcc, mnc3) }
        if names[mcc + mnc2] != nil { return (mcc, mnc2) }
        let threeDigit = (302...316).contains(Int(mcc) ?? 0) || ["334", "338", "342", "344", "346", "348",
                                                                  "352", "354", "356", "358", "360", "365",
                                                                  "366", "376", "405", "708", "722", "732"].contains(mcc)
        return (mcc, threeDigit ? mnc3 : mnc2)
    }
}
