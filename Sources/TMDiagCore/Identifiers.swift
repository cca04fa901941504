/// Checks and normal forms of the identifiers tmdiag handles.
public enum Identifiers {
    /// True for 15 ASCII digits whose Luhn check digit is right (3GPP TS 23.003 §6.2.1).
    public static func isValidIMEI(_ s: String) -> Bool {
        let digits = Array(s.utf8)
        guard digits.count == 15, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return luhn(digits.map { Int($0 - 0x30) })
    }

    public static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (i, d) in digits.reversed().enumerated() {
            if i % 2 == 1 {
                let x = d * 2
                sum += x > 9 ? x - 9 : x
            } else {
                sum += d
            }
        }
        return sum % 10 == 0
    }

    /// The Type Allocation Code: the first 8 digits of an IMEI, which name the model.
    public static func tac(ofIMEI imei: String) -> String? {
        let d = imei.filter(\.isASCIIDigit)
        return d.count >= 14 ? String(d.prefix(8)) : nil
    }

    /// ICCIDs are 18-22 digits (ITU-T E.118), the last one may be `F` padding.
    public static func isPlausibleICCID(_ s: String) -> Bool {
        let d = s.hasSuffix("F") || s.hasSuffix("f") ? String(s.dropLast()) : s
        return (18...22).contains(d.count) && d.allSatisfy(\.isASCIIDigit) && d.hasPrefix("89")
    }

    /// IMSI: 6-15 digits starting with the MCC.
    public static func isPlausibleIMSI(_ s: String) -> Bool {
        (6...15).contains(s.count) && s.allSatisfy(\.isASCIIDigit)
    }

    /// Normalises a phone number to E.164 (`+12065550142`). National US/Canada numbers of 10
    /// digits (or 11 starting with 1) get `+1`; separators ( ) - . and spaces are dropped.
    /// Returns nil for anything that is not a plausible number.
    public static func e164(_ raw: String, defaultCountryCode: String = "1") -> String? {
        var s = raw.trimmingSpaces
        guard !s.isEmpty else { return nil }
        var plus = false
        if s.hasPrefix("+") { plus = true; s.removeFirst() }
        else if s.hasPrefix("00") { plus = true; s.removeFirst(2) }
        var digits = ""
        for c in s {
            if c.isASCIIDigit { digits.append(c) }
            else if " -().\u{00A0}".contains(c) { continue }
            else { return nil }
        }
        if plus {
            guard (8...15).contains(digits.count), digits.first != "0" else { return nil }
            return "+" + digits
        }
        if digits.count == 10, defaultCountryCode == "1" { return "+1" + digits }
        if digits.count == 11, digits.hasPrefix("1") { return "+" + digits }
        return nil
    }
}

extension Character {
    public var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}

extension String {
    /// nil for the empty string: for optional text that should be left out when empty.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension StringProtocol {
    /// Without leading and trailing whitespace. ASCII spaces, tabs and line ends are trimmed on
    /// the UTF-8 bytes (the parsers call this for every line of a log); other whitespace
    /// (no-break space ...) through Character. Inlinable: a generic getter called from another
    /// module is otherwise not specialised, and costs several times as much.
    @inlinable public var trimmingSpaces: String {
        let whole = Substring(self)
        let u = whole.utf8
        // Nothing to trim when both ends are printable ASCII (nearly every value).
        if let f = u.first, let l = u.last, f > 0x20, f < 0x80, l > 0x20, l < 0x80 { return String(whole) }
        var start = u.startIndex, end = u.endIndex
        func space(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        while start < end, space(u[start]) { start = u.index(after: start) }
        while end > start, space(u[u.index(before: end)]) { end = u.index(before: end) }
        var s = whole[start..<end]
        // Only a non-ASCII first or last byte can be other whitespace (no-break space ...).
        if let f = s.utf8.first, f >= 0x80, let c = s.first, c.isWhitespace {
            while let f = s.first, f.isWhitespace { s.removeFirst() }
        }
        if let l = s.utf8.last, l >= 0x80, let c = s.last, c.isWhitespace {
            while let l = s.last, l.isWhitespace { s.removeLast() }
        }
        return String(s)
    }
}
