/// Splitting AT reply lines into their parts, tolerant of the forms real modems send.
public enum ATParams {
    /// `+CREG: 2,"1A2B",01A2D001,7` → name `+CREG`, rest `2,"1A2B",01A2D001,7`.
    /// Accepts a missing space, lower case, and vendor prefixes (`^`, `!`, `#`, `$`, `*`).
    public static func split(line: String) -> (name: String, rest: String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon].trimmingSpaces
        guard let f = name.first, "+^!#$%*".contains(f), name.count >= 2,
              name.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        return (name.uppercased(), String(line[line.index(after: colon)...]).trimmingSpaces)
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
