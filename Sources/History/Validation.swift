import Foundation
import TMDiagCore

/// The closed vocabularies of the history document, as the issue names them.
public enum AccountType: String, Codable, Sendable, CaseIterable {
    case consumer, business
}

public enum EventKind: String, Codable, Sendable, CaseIterable {
    case planChange = "plan_change", simSwap = "sim_swap", deviceChange = "device_change"
    case portIn = "port_in", portOut = "port_out", outage, roaming, billing
    case supportCase = "support_case", note
}

public enum ContactChannel: String, Codable, Sendable, CaseIterable {
    case voice, chat, email, social, app, store
}

/// `draft` is a contact recorded by `tmdiag ticket` before the customer has a case number;
/// imports accept only the other three.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    case draft, open, closed, escalated
    public static let importable: [CaseStatus] = [.open, .closed, .escalated]
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    static var choices: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Strict ISO 8601 for history data: a calendar date (`2026-11-02`, midnight UTC) or a date and
/// time with `Z` or an offset (`2026-11-02T14:05:00Z`, `...T14:05+01:00`, fractions dropped).
/// Impossible dates (February 30, hour 25) are refused rather than rolled over.
public enum HistoryDate {
    public static let earliestYear = 1970
    public static let latestYear = 2200

    /// Seconds since 1970, or nil when `s` is not such a time.
    public static func parse(_ s: String) -> Int64? {
        // Read in place: a copy of the bytes per time was a noticeable share of an import.
        var s = s
        return s.withUTF8 { parse(utf8: $0) }
    }

    static func parse(utf8 b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                let c = b[k]
                guard c >= 0x30, c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = digits(4), expect(0x2D), let mo = digits(2), expect(0x2D), let d = digits(2) else { return nil }
        guard (earliestYear...latestYear).contains(y), (1...12).contains(mo), d >= 1, d <= daysIn(month: mo, year: y) else {
            return nil
        }
        let day = daysFromCivil(year: y, month: mo, day: d)
        if i == b.count { return Int64(day) * 86_400 }
        guard b[i] == 0x54 || b[i] == 0x74 || b[i] == 0x20 else { return nil } // T, t or a space
        i += 1
        guard let h = digits(2), expect(0x3A), let mi = digits(2) else { return nil }
        var sec = 0
        if expect(0x3A) {
            guard let s2 = digits(2) else { return nil }
            sec = s2
            if expect(0x2E) || expect(0x2C) {
                var n = 0
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; n += 1 }
                guard n > 0 else { return nil }
            }
        }
        guard h <= 23, mi <= 59, sec <= 60 else { return nil }
        var offset = 0
        guard i < b.count else { return nil } // a time needs its zone
        if b[i] == 0x5A || b[i] == 0x7A { i += 1 } else if b[i] == 0x2B || b[i] == 0x2D {
            let sign = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = digits(2) else { return nil }
            _ = expect(0x3A)
            guard let om = digits(2), oh <= 14, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else { return nil }
        guard i == b.count else { return nil }
        return Int64(day) * 86_400 + Int64(h * 3600 + mi * 60 + min(sec, 59)) - Int64(offset)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (years ≥ 1970 only, so no eras).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let monthStarts = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        let y1 = year - 1
        let leapDays = (y1 / 4 - y1 / 100 + y1 / 400) - (1969 / 4 - 1969 / 100 + 1969 / 400)
        var days = (year - 1970) * 365 + leapDays + monthStarts[month - 1] + (day - 1)
        if month > 2 && isLeap(year) { days += 1 }
        return days
    }
}

/// Field names that hold secrets a support tool must never take in: account PINs, SIM PIN/PUK,
/// passwords, security answers, government ids, card codes.
public enum SecretFields {
    static let tokens: Set<String> = [
        "pin", "pin1", "pin2", "puk", "puk1", "puk2", "pincode", "passcode", "password", "passwd", "pwd",
        "passphrase", "secret", "ssn", "sin", "cvv", "cvc", "otp", "totp", "credential", "credentials",
    ]
    static let phrases = ["securityanswer", "secretanswer", "password", "passcode", "socialsecurity",
                          "securitycode", "accountpin", "transferpin", "portpin", "nationalid", "taxid"]

    /// True when a field (a JSON key or a CSV column) is named like a secret.
    public static func isSecret(fieldName raw: String) -> Bool {
        // Split camelCase, snake_case, kebab-case and spaces into lower-case words.
        var words: [String] = []
        var current = ""
        var previousLower = false
        for ch in raw {
            if ch.isLetter || ch.isNumber {
                if ch.isUppercase && previousLower { words.append(current); current = "" }
                current.append(Character(ch.lowercased()))
                previousLower = ch.isLowercase || ch.isNumber
            } else {
                if !current.isEmpty { words.append(current); current = "" }
                previousLower = false
            }
        }
        if !current.isEmpty { words.append(current) }
        if words.contains(where: { tokens.contains($0) }) { return true }
        let joined = words.joined()
        return phrases.contains { joined.contains($0) }
    }

    /// True when free text carries a secret value ("PIN is 4821", "password hunter2"): the
    /// same judgement as the ticket's, so the store refuses what a ticket would redact.
    public static func textCarriesSecret(_ text: String) -> Bool { SecretRedactor.containsSecret(text) }
}

/// A 64-bit FNV-1a digest: the natural key of an event (its content), so that re-importing a
/// file adds nothing. Not cryptographic; collisions among a store's events are negligible.
struct Fingerprint {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ s: String?) {
        if let s {
            for b in s.utf8 { mix(b) }
        } else {
            mix(0xFE)
        }
        mix(0xFF) // field separator
    }

    mutating func add(_ n: Int64) { add(String(n)) }

    private mutating func mix(_ b: UInt8) {
        value ^= UInt64(b)
        value = value &* 0x0000_0100_0000_01B3
    }

    var signed: Int64 { Int64(bitPattern: value) }
}

