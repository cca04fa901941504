import TMDiagCore

/// Splitting AT reply lines into their parts, tolerant of the forms real modems send.
///
/// Everything here works on the UTF-8 bytes and builds a String only for what it returns:
/// these run for every reply line of a log, and a 50 MB log has a few million of them.
public enum ATParams {
    /// `+CREG: 2,"1A2B",01A2D001,7` → name `+CREG`, rest `2,"1A2B",01A2D001,7`.
    /// Accepts a missing space, lower case, and vendor prefixes (`^`, `!`, `#`, `$`, `*`).
    public static func split(line: String) -> (name: String, rest: String)? {
        if let r = line.utf8.withContiguousStorageIfAvailable({ split(bytes: $0) }) { return r }
        return Array(line.utf8).withUnsafeBufferPointer { split(bytes: $0) }
    }

    static func split(bytes u: UnsafeBufferPointer<UInt8>) -> (name: String, rest: String)? {
        guard let colon = u.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        var start = 0
        while start < colon, u[start] == 0x20 || u[start] == 0x09 { start += 1 }
        var end = colon
        while end > start, u[end - 1] == 0x20 { end -= 1 }
        guard end - start >= 2, isPrefixCharacter(u[start]) else { return nil }
        var lower = false
        for i in (start + 1)..<end {
            let b = u[i]
            guard isNameByte(b) else { return nil }
            if b >= 0x61 && b <= 0x7A { lower = true }
        }
        var name = String(decoding: UnsafeBufferPointer(rebasing: u[start..<end]), as: UTF8.self)
        if lower { name = name.uppercased() }
        var a = colon + 1, b = u.count
        while a < b, isSpace(u[a]) { a += 1 }
        while b > a, isSpace(u[b - 1]) { b -= 1 }
        var rest = String(decoding: UnsafeBufferPointer(rebasing: u[a..<b]), as: UTF8.self)
        // Only a non-ASCII byte at an end can be other whitespace (no-break space ...).
        if a < b, u[a] >= 0x80 || u[b - 1] >= 0x80 { rest = rest.trimmingSpaces }
        return (name, rest)
    }

    /// The name of a prefixed line (`+CSQ` for `+csq: 21,99`) without building the rest.
    public static func name(of line: String) -> String? {
        let u = line.utf8
        guard let f = u.first, isPrefixCharacter(f) else { return nil }
        return split(line: line)?.name
    }

    /// True when `line` starts with `name` (already upper case), in any case: `+csq: 1` has `+CSQ`.
    public static func hasName(_ line: String, _ name: StaticString) -> Bool {
        var line = line
        return line.withUTF8 { hasName(bytes: $0[...], name) }
    }

    static func hasName(bytes u: Slice<UnsafeBufferPointer<UInt8>>, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard u.count >= n else { return false }
        for k in 0..<n where URCs.upperByte(u[u.startIndex + k]) != name.utf8Start[k] { return false }
        return true
    }

    static func isPrefixCharacter(_ b: UInt8) -> Bool {
        switch b {
        case 0x2B, 0x5E, 0x21, 0x23, 0x24, 0x25, 0x2A: true   // + ^ ! # $ % *
        default: false
        }
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || b == 0x5F
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// `s` without surrounding whitespace; ASCII on the bytes, other whitespace (no-break
    /// space ...) through `trimmingSpaces` only when a non-ASCII byte is at an end.
    static func trimmed(_ s: Substring) -> String {
        let u = s.utf8
        var a = u.startIndex, b = u.endIndex
        while a < b, isSpace(u[a]) { a = u.index(after: a) }
        while b > a, isSpace(u[u.index(before: b)]) { b = u.index(before: b) }
        let t = s[a..<b]
        if let f = t.utf8.first, let l = t.utf8.last, f >= 0x80 || l >= 0x80 { return t.trimmingSpaces }
        return String(t)
    }

    /// Comma-separated values; quotes removed (and recorded), spaces outside quotes trimmed.
    public static func values(_ s: String) -> [Value] {
        if let r = s.utf8.withContiguousStorageIfAvailable({ values(bytes: $0) }) { return r }
        return Array(s.utf8).withUnsafeBufferPointer { values(bytes: $0) }
    }

    static func values(bytes u: UnsafeBufferPointer<UInt8>) -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(8)
        var i = 0
        let n = u.count
        while true {
            // One value: spaces outside quotes count only between other characters of an
            // unquoted value; quoted parts are taken as they are.
            var quoted = false, wasQuoted = false
            var value = ValueBytes(line: u)
            var pendingSpace = -1   // start of spaces inside an unquoted value, kept if more follows
            while i < n {
                let b = u[i]
                if b == 0x22 {
                    if pendingSpace >= 0 { value.add(pendingSpace, i); pendingSpace = -1 }
                    quoted.toggle(); wasQuoted = true; i += 1
                    continue
                }
                if quoted { value.add(i, i + 1); i += 1; continue }
                if b == 0x2C { break }
                if isSpace(b) {
                    if !wasQuoted, !value.isEmpty, pendingSpace < 0 { pendingSpace = i }
                    i += 1
                    continue
                }
                if pendingSpace >= 0 { value.add(pendingSpace, i); pendingSpace = -1 }
                value.add(i, i + 1)
                i += 1
            }
            var text = value.text
            if !wasQuoted, let f = text.utf8.first, let l = text.utf8.last, f >= 0x80 || l >= 0x80 { text = text.trimmingSpaces }
            out.append(Value(text: text, quoted: wasQuoted))
            if i >= n { return out }
            i += 1   // the comma
        }
    }

    /// The bytes of one value as they are found: one run of the line while they follow each
    /// other (nearly always), else gathered into an array. A struct, not a closure over local
    /// variables, so that nothing is boxed on the heap for each value.
    private struct ValueBytes {
        let line: UnsafeBufferPointer<UInt8>
        var start = -1, end = -1
        var gathered: [UInt8]?

        init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

        var isEmpty: Bool { start < 0 && gathered == nil }

        mutating func add(_ from: Int, _ to: Int) {
            if gathered == nil, start < 0 { start = from; end = to; return }
            if gathered == nil, end == from { end = to; return }
            if gathered == nil { gathered = Array(UnsafeBufferPointer(rebasing: line[start..<end])) }
            gathered!.append(contentsOf: UnsafeBufferPointer(rebasing: line[from..<to]))
        }

        var text: String {
            if let gathered { return String(decoding: gathered, as: UTF8.self) }
            if start >= 0 { return String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self) }
            return ""
        }
    }

    public struct Value: Sendable, Hashable {
        public var text: String
        public var quoted: Bool

        public init(text: String, quoted: Bool) {
            self.text = text
            self.quoted = quoted
        }

        /// The value as a decimal integer (an optional sign, digits), or nil. Plain digits are
        /// read on the bytes; anything else (spaces, huge numbers) goes through `Int.init`.
        public var int: Int? {
            let u = text.utf8
            var i = u.startIndex
            var negative = false
            if let f = u.first, f == 0x2D || f == 0x2B { negative = f == 0x2D; i = u.index(after: i) }
            guard i < u.endIndex else { return Int(text.trimmingSpaces) }
            var n = 0, digits = 0
            while i < u.endIndex {
                let b = u[i]
                guard b >= 0x30, b <= 0x39, digits < 18 else { return Int(text.trimmingSpaces) }
                n = n * 10 + Int(b - 0x30)
                digits += 1
                i = u.index(after: i)
            }
            return negative ? -n : n
        }

        public var isEmpty: Bool { text.utf8.allSatisfy(ATParams.isSpace) || text.trimmingSpaces.isEmpty }
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
        if t.utf8.count >= 2, t.utf8.first == 0x22, t.utf8.last == 0x22 { t = String(t.dropFirst().dropLast()) }
        return t
    }
}
