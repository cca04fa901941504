/// Showing untrusted text (USB strings, modem replies, pasted logs, history files) safely.
///
/// A USB product string or a modem reply can carry ESC sequences that recolour a terminal,
/// move the cursor, set the window title or hide text; bidirectional overrides can reorder
/// what a reader sees. Everything that is not plainly printable is shown as a visible escape.
public enum TerminalText {
    /// Longest untrusted string shown whole; longer ones are cut with a note of their size.
    public static let defaultLimit = 512

    /// Escapes control characters (C0, DEL, C1), bidi controls and other invisible format
    /// characters as `\xNN` / `\u{NNNN}`; cuts strings longer than `limit` characters.
    public static func escape(_ s: String, limit: Int = defaultLimit) -> String {
        var out = ""
        out.reserveCapacity(min(s.utf8.count, limit) + 8)
        var count = 0
        for scalar in s.unicodeScalars {
            if count >= limit {
                out += "…(\(s.utf8.count) bytes)"
                break
            }
            count += 1
            out += escaped(scalar)
        }
        return out
    }

    /// Decodes bytes as UTF-8, showing every invalid byte as `\xNN` instead of dropping it.
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        if let s = String(validating: Array(bytes), as: UTF8.self) { return s }
        var out = ""
        var buffer = Array(bytes)[...]
        while !buffer.isEmpty {
            // Find the longest valid prefix; escape one bad byte; go on.
            var decoder = UTF8()
            var iterator = buffer.makeIterator()
            var consumed = 0
            var stop = false
            while !stop {
                switch decoder.decode(&iterator) {
                case .scalarValue(let s):
                    out.unicodeScalars.append(s)
                    consumed += UTF8.width(s)
                case .emptyInput:
                    stop = true
                case .error:
                    stop = true
                }
            }
            buffer = buffer.dropFirst(consumed)
            if let bad = buffer.first {
                out += "\\x" + hex2(bad)
                buffer = buffer.dropFirst()
            }
        }
        return out
    }

    /// True when `s` would be shown changed by `escape`.
    public static func needsEscaping(_ s: String) -> Bool {
        s.unicodeScalars.contains { isUnsafe($0) }
    }

    static func isUnsafe(_ v: Unicode.Scalar) -> Bool {
        let x = v.value
        if x < 0x20 || (0x7F...0x9F).contains(x) { return true }
        switch x {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    private static func escaped(_ v: Unicode.Scalar) -> String {
        guard isUnsafe(v) else { return String(v) }
        switch v {
        case "\t": return "\\t"
        case "\n": return "\\n"
        case "\r": return "\\r"
        default:
            return v.value <= 0xFF ? "\\x" + hex2(UInt8(v.value)) : "\\u{" + String(v.value, radix: 16, uppercase: true) + "}"
        }
    }

    public static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
