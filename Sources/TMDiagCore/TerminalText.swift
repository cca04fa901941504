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
    /// Works byte by byte (hostile logs are mostly invalid bytes, and this runs on every one).
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        let b = Array(bytes)
        if let s = String(validating: b, as: UTF8.self) { return s }
        var out: [UInt8] = []
        out.reserveCapacity(b.count * 2)
        var i = 0
        while i < b.count {
            let n = validSequenceLength(b, at: i)
            if n > 0 {
                out.append(contentsOf: b[i..<(i + n)])
                i += n
            } else {
                out.append(contentsOf: [0x5C, 0x78, hexDigits[Int(b[i] >> 4)], hexDigits[Int(b[i] & 0xF)]])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// The length of the well-formed UTF-8 sequence (RFC 3629) starting at `i`, or 0.
    static func validSequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        if lead < 0x80 { return 1 }
        func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < b.count && b[i + k] >= lo && b[i + k] <= hi
        }
        switch lead {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE, 0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
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
        String(decoding: [hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]], as: UTF8.self)
    }
}
