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
    public static func providerInfo(path: String = providerInfoPath) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        let b = [UInt8](data)
        var out: [String: String] = [:]
        var name: String?
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
            let key = Array((attr + "=\"").utf8)
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
        while i < n {
            guard b[i] == UInt8(ascii: "<") else { i += 1; continue }
            if at("<provider") {
                name = nil
            } else if name == nil, at("<name") {
                var s = i
                while s < n, b[s] != UInt8(ascii: ">") { s += 1 }
                var e = s + 1
                while e < n, b[e] != UInt8(ascii: "<") { e += 1 }
                if s + 1 <= e, e <= n { name = xmlUnescape(String(decoding: b[(s + 1)..<e], as: UTF8.self)) }
            } else if at("<network-id"), let nm = name, let mcc = attribute("mcc"), let mnc = attribute("mnc") {
                if out[mcc + mnc] == nil { out[mcc + mnc] = nm }
            }
            i += 1
        }
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
