/// What terminal programs and logging scripts put around an AT line, and how to see past it:
/// `[2026-11-20 14:03:22.123] `, `2026-11-20 14:03:22 `, `14:03:22.123 `, direction markers
/// (`>`, `<`, `->`, `TX:`, `[RX]`), a leading `#`. Worked on the raw bytes: every line of a
/// pasted log passes through here, and a timestamped log would otherwise never repeat a line.
enum LogDecorations {
    /// The part of `line` that is the AT text, as a range of byte offsets.
    static func content(of line: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var s = 0
        var e = line.count
        while e > s, line[e - 1] == 0x20 || line[e - 1] == 0x09 { e -= 1 }
        // Decorations start with a bracket, a digit, a marker or a space; most lines have none.
        guard e > s, mayStartDecoration(line[s]) else { return s..<e }
        func isDigit(_ i: Int) -> Bool { i < e && line[i] >= 0x30 && line[i] <= 0x39 }
        func at(_ i: Int, _ c: UInt8) -> Bool { i < e && line[i] == c }
        func skipSpaces() { while s < e, line[s] == 0x20 || line[s] == 0x09 { s += 1 } }
        func hasPrefix(_ p: StaticString) -> Bool {
            let n = p.utf8CodeUnitCount
            guard e - s >= n else { return false }
            for k in 0..<n where line[s + k] != p.utf8Start[k] { return false }
            return true
        }
        skipSpaces()
        if at(s, 0x23), at(s + 1, 0x5B) { s += 1 }          // "#[" → "["
        for _ in 0..<3 {
            let before = s
            if at(s, 0x5B), let close = (s + 1..<e).first(where: { line[$0] == 0x5D }) {   // [ ... ]
                if isStampOrDirection(UnsafeBufferPointer(rebasing: line[(s + 1)..<close])) {
                    s = close + 1
                    skipSpaces()
                }
            }
            // An ISO date: 2026-11-20 or 2026-11-20T
            if e - s >= 11, isDigit(s), isDigit(s + 1), isDigit(s + 2), isDigit(s + 3),
               at(s + 4, 0x2D), at(s + 7, 0x2D), at(s + 10, 0x20) || at(s + 10, 0x54) {
                s += 11
            }
            // A time: 14:03:22, then fractions and a zone letter.
            if e - s >= 8, isDigit(s), at(s + 2, 0x3A), at(s + 5, 0x3A), isDigit(s + 7) {
                s += 8
                while s < e, isDigit(s) || line[s] == 0x2E || line[s] == 0x2C { s += 1 }
                if at(s, 0x5A) { s += 1 }
                skipSpaces()
            }
            if s < e, mayStartMarker(line[s]) {
                for marker: StaticString in ["->", "<-", ">>", "<<", "TX:", "RX:", "Tx:", "Rx:", "SEND:", "RECV:", ">", "<"] where hasPrefix(marker) {
                    s += marker.utf8CodeUnitCount
                    skipSpaces()
                    break
                }
            }
            if at(s, 0x3A) { s += 1; skipSpaces() }
            if s == before { break }
        }
        return s..<e
    }

    /// The first bytes of the direction markers: `-` `<` `>` `T` `R` `S`.
    static func mayStartMarker(_ b: UInt8) -> Bool {
        b == 0x2D || b == 0x3C || b == 0x3E || b == UInt8(ascii: "T") || b == UInt8(ascii: "R") || b == UInt8(ascii: "S")
    }

    static func mayStartDecoration(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x5B, 0x3C, 0x3E, 0x23, 0x2D, 0x20, 0x09,
             UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: "R"), UInt8(ascii: "r"), UInt8(ascii: "S"):
            return true
        default:
            return false
        }
    }

    /// The inside of a bracket that is a timestamp (`2026-11-20 14:03:22.123`, `14:03:22`) or a
    /// direction (`TX`, `RX`, `<`, `>`, `SEND`, `RECV`, `IN`, `OUT`, any case).
    static func isStampOrDirection(_ inner: UnsafeBufferPointer<UInt8>) -> Bool {
        var colon = false
        var stamp = !inner.isEmpty
        for b in inner {
            switch b {
            case 0x3A: colon = true
            case 0x30...0x39, 0x2D, 0x2E, 0x2F, 0x20, 0x54, 0x2C: break
            default: stamp = false
            }
            if !stamp { break }
        }
        if stamp && colon { return true }
        guard inner.count <= 4 else { return false }
        var word: [UInt8] = []
        for b in inner { word.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b) }
        switch String(decoding: word, as: UTF8.self) {
        case "TX", "RX", "<", ">", "SEND", "RECV", "IN", "OUT": return true
        default: return false
        }
    }
}
