import Foundation

/// MCC/MNC to operator names: Debian's mobile-broadband-provider-info when installed, a small
/// shipped table otherwise (and for anything the big list lacks).
public struct OperatorDirectory: Sendable {
    private var names: [String: String]   // "310260" -> "T-Mobile"

    public init(names: [String: String]) { self.names = names }

    public static let providerInfoPath = "/usr/share/mobile-broadband-provider-info/serviceproviders.xml"

    /// Reads `serviceproviders.xml` by scanning for `<name>` and `<network-id mcc= mnc=/>`;
    /// a full XML parser would cost more than the lookup it serves.
    public static func providerInfo(path: String = providerInfoPath) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        var currentName: String?
        var inProvider = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.trimmingSpaces
            if line.hasPrefix("<provider") { inProvider = true; currentName = nil; continue }
            if line.hasPrefix("</provider>") { inProvider = false; continue }
            guard inProvider else { continue }
            if currentName == nil, line.hasPrefix("<name"), let s = line.firstIndex(of: ">"),
               let e = line.range(of: "</name>") {
                currentName = xmlUnescape(String(line[line.index(after: s)..<e.lowerBound]))
            } else if line.hasPrefix("<network-id"), let name = currentName,
                      let mcc = attribute("mcc", in: line), let mnc = attribute("mnc", in: line) {
                if out[mcc + mnc] == nil { out[mcc + mnc] = name }
            }
        }
        return out
    }

    static func attribute(_ name: String, in line: String) -> String? {
        guard let r = line.range(of: name + "=\"") else { return nil }
        let rest = line[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    static func xmlUnescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&apos;", with: "'")
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

    public mutating func merge(_ other: [String: String]) {
        names.merge(other) { a, _ in a }
    }
}
