/// Masks identifiers found inside free text: modem replies, pasted logs, the customer's words.
///
/// A run of digits (separators ` -.()` allowed between digits, a leading `+`) is classified by
/// its digit count and checks: 15 digits passing Luhn (or 16, an IMEISV) is an IMEI; 18-22
/// digits starting with `89` is an ICCID; other 15-digit runs are taken for an IMSI; a leading
/// `+` with 8-15 digits, or 10-11 digits (North American forms), is a phone number.
public enum IdentifierScrubber {
    public static func scrub(_ text: String, reveal: RevealSet = .none) -> String {
        if reveal == .all { return text }
        let chars = Array(text)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let startsNumber = c.isASCIIDigit || ((c == "+" || c == "(") && i + 1 < chars.count && chars[i + 1].isASCIIDigit)
            // Don't start inside a word like "CAS-88231" or "v2": only at a boundary.
            let atBoundary = i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isASCIIDigit || chars[i - 1] == "_")
            guard startsNumber, atBoundary else { out.append(c); i += 1; continue }
            var j = i
            var digits = ""
            if chars[j] == "+" || chars[j] == "(" { j += 1 }
            while j < chars.count {
                let x = chars[j]
                if x.isASCIIDigit { digits.append(x); j += 1; continue }
                // A single separator counts only when a digit (or "(" digit) follows.
                if " -.)(".contains(x), j + 1 < chars.count {
                    let n = chars[j + 1]
                    if n.isASCIIDigit || (x == ")" && n == " " && j + 2 < chars.count && chars[j + 2].isASCIIDigit) {
                        j += (x == ")" && n == " ") ? 2 : 1
                        continue
                    }
                }
                if x == ")" { j += 1 }
                break
            }
            // A number glued to letters on the right ("123abc") is not an identifier.
            if j < chars.count, chars[j].isLetter {
                out += String(chars[i..<j]); i = j; continue
            }
            let token = String(chars[i..<j])
            out += classifyAndMask(token: token, digits: digits, reveal: reveal)
            i = j
        }
        return out
    }

    static func classifyAndMask(token: String, digits: String, reveal: RevealSet) -> String {
        let n = digits.count
        let plus = token.hasPrefix("+")
        if !plus, n == 15, Identifiers.luhn(digits.map { Int(String($0))! }) {
            return reveal.reveals(.imei) ? token : Mask.imei(digits)
        }
        if !plus, n == 16 { return reveal.reveals(.imei) ? token : Mask.imei(digits) }
        if !plus, (18...22).contains(n), digits.hasPrefix("89") {
            return reveal.reveals(.iccid) ? token : Mask.iccid(digits)
        }
        if !plus, n == 15 { return reveal.reveals(.imsi) ? token : Mask.imsi(digits) }
        if plus && (8...15).contains(n) || (!plus && (n == 10 || (n == 11 && digits.hasPrefix("1")))) {
            return reveal.reveals(.msisdn) ? token : Mask.msisdn((plus ? "+" : "") + digits)
        }
        return token
    }
}
