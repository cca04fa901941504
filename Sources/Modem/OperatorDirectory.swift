import Foundation

/// MCC/MNC to operator names: Debian's mobile-broadband-provider-info when installed, a small
/// shipped table otherwise (and for anything the big list lacks).
public struct OperatorDirectory: Sendable {
    private var names: [String: String]   // "310260" -> "T-Mobile"

    public init(names: [String: String]) { self.names = names }

    public static let providerInfoPath = "/usr/share/mobile-broadband-provider-info/serviceproviders.xml"

    /// Reads `serviceproviders.xml` by scanning its bytes for `<provider>`, its first `<name>`
    /// and its `<network-id mcc= mnc=/>` elements: a full XML parse of the 2 MB file would cost
    /// more than every lookup it serves.
    ///
    /// Several providers share a code: the network operator and the MVNOs on it (262-02 is
    /// Vodafone, and Bild Mobil and 1&1 list it too; 310-260 is T-Mobile, and Mint lists it).
    /// The operator is the provider marked `primary="true"`; without a mark, the one listing
    /// the most network codes (an operator lists all of its codes, an MVNO the host's one or
    /// few), and on a tie the first in the file.
    public static func providerInfo(path: String = providerInfoPath) -> [String: String] {
        var best: [String: (name: String, primary: Bool, codes: Int)] = [:]
        for p in providers(path: path) {
            for code in p.codes {
                if let b = best[code], b.primary || (!p.primary && b.codes >= p.codes.count) { continue }
                best[code] = (p.name, p.primary, p.codes.count)
            }
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
    }

    /// An APN Debian's list gives for a network code, and whose it is.
    public struct ProviderAPN: Sendable, Hashable {
        public var provider: String
        /// The network operator's own (not an MVNO's), by the rule of `providerInfo`.
        public var isOperator: Bool
        public var apn: String
        public var usage: String?
    }

    /// The APNs every provider on `mcc`/`mnc` lists, the operator's first.
    public static func providerAPNs(mcc: String, mnc: String, path: String = providerInfoPath) -> [ProviderAPN] {
        let code = mcc + mnc
        let on = providers(path: path).filter { $0.codes.contains(code) }
        guard !on.isEmpty else { return [] }
        let operatorName = providerInfo(path: path)[code]
        var out: [ProviderAPN] = []
        for p in on {
            for a in p.apns { out.append(ProviderAPN(provider: p.name, isOperator: p.name == operatorName, apn: a.value, usage: a.usage)) }
        }
        return out.filter(\.isOperator) + out.filter { !$0.isOperator }
    }

    static func providers(path: String) -> [ProviderEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let b = [UInt8](data)
        var out: [ProviderEntry] = []
        var current: ProviderEntry?
        var i = 0
        let n = b.count
        func at(_ s: StaticString) -> Bool {
            let len = s.utf8CodeUnitCount
            guard i + len <= n else { return false }
            return s.withUTF8Buffer { p in (0..<len).allSatisfy { b[i + $0] == p[$0] } }
        }
        /// The value of `attr="..."` inside the tag that starts at `i`.
        func attribute(_ attr: String) -> String? {
            var j = i
            let key = Array((" " + attr + "=\"").utf8)
            while j < n, b[j] != UInt8(ascii: ">") {
                if j + key.count <= n, Array(b[j..<j + key.count]) == key {
                    let start = j + key.count
                    var end = start
                    while end < n, b[end] != UInt8(ascii: "\"") { end += 1 }
                    return String(decoding: b[start..<end], as: UTF8.self)
                }
                j += 1
            }
            return nil
        }
        func finish() {
            if let c = current, !c.name.isEmpty, !c.codes.isEmpty { out.append(c) }
            current = nil
        }
        while i < n {
            guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
            if at("<provider") && (i + 9 < n && (b[i + 9] == UInt8(ascii: ">") || b[i + 9] == UInt8(ascii: " "))) {
                finish()
                current = ProviderEntry(name: "", primary: attribute("primary") == "true", codes: [])
            } else if current?.name.isEmpty == true, at("<name") {
                var s = i
                while s < n, b[s] != UInt8(ascii: ">") { s += 1 }
                var e = s + 1
                while e < n, b[e] != UInt8(ascii: "<") { e += 1 }
                if s + 1 <= e, e <= n { current?.name = xmlUnescape(String(decoding: b[(s + 1)..<e], as: UTF8.self)) }
            } else if at("<network-id"), let mcc = attribute("mcc"), let mnc = attribute("mnc") {
                current?.codes.append(mcc + mnc)
            } else if at("<apn "), let value = attribute("value") {
                current?.apns.append((xmlUnescape(value), nil))
            } else if at("<usage "), let type = attribute("type"), current?.apns.isEmpty == false {
                let last = current!.apns.count - 1
                current?.apns[last].usage = type
            }
            i += 1
        }
        finish()
        return out
    }

    static func xmlUnescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
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
