/// Splitting AT reply lines into their parts, tolerant of the forms real modems send.
public enum ATParams {
    /// `+CREG: 2,"1A2B",01A2D001,7` → name `+CREG`, rest `2,"1A2B",01A2D001,7`.
    /// Accepts a missing space, lower case, and vendor prefixes (`^`, `!`, `#`, `$`, `*`).
    public static func split(line: String) -> (name: String, rest: String)? {
        // Checked on the UTF-8 bytes: this runs for every reply line of a log.
        let u = line.utf8
        guard let colon = u.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var start = u.startIndex
        while start < colon, u[start] == 0x20 || u[start] == 0x09 { start = u.index(after: start) }
        var end = colon
        while end > start, u[u.index(before: end)] == 0x20 { end = u.index(before: end) }
        let nameBytes = u[start..<end]
        guard let f = nameBytes.first, "+^!#$%*".utf8.contains(f), nameBytes.count >= 2,
              nameBytes.dropFirst().allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F })
        else { return nil }
        var name = String(line[start..<end])
        if nameBytes.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) { name = name.uppercased() }
        return (name, String(line[line.utf8.index(after: colon)...]).trimmingSpaces)
    }

    /// Comma-separated values; quotes removed (and recorded), spaces around values trimmed.
    public static func values(_ s: String) -> [Value] {
        var out: [Value] = []
        var cur = ""
        var quoted = false, wasQuoted = false
        for c in s {
            if c == "\"" { quoted.toggle(); wasQuoted = true; continue }
            if c == ",", !quoted {
                out.append(Value(text: wasQuoted ? cur : cur.trimmingSpaces, quoted: wasQuoted))
                cur = ""; wasQuoted = false
                continue
            }
            if !quoted, wasQuoted, c == " " { continue }
            cur.append(c)
        }
        out.append(Value(text: wasQuoted ? cur : cur.trimmingSpaces, quoted: wasQuoted))
        return out
    }

    public struct Value: Sendable, Hashable {
        public var text: String
        public var quoted: Bool
        public var int: Int? { Int(text.trimmingSpaces) }
        public var isEmpty: Bool { text.trimmingSpaces.isEmpty }
    }

    /// The value after a prefix on any of `lines` (`+CGMI: Quectel` → `Quectel`), or the first
    /// line itself when no line carries the prefix (bare replies).
    public static func payload(_ lines: [String], prefixes: [String]) -> String? {
        for l in lines {
            if let (name, rest) = split(line: l), prefixes.contains(name) { return unquote(rest) }
        }
        return lines.first.map(unquote)
    }

    public static func unquote(_ s: String) -> String {
        var t = s.trimmingSpaces
        if t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\"") { t = String(t.dropFirst().dropLast()) }
        return t
    }
}

import Foundation
