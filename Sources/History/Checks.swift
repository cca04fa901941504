import Foundation
import TMDiagCore

/// Where checked values come from: a JSON object, a CSV row or command-line options. Each
/// names its own positions in errors (a JSON path, a CSV line:column, an option).
protocol FieldReader {
    /// The trimmed string at `key`; nil when absent, null or empty. Throws on a wrong type.
    func string(_ key: String) throws(TMDiagError) -> String?
    /// A list of strings (JSON array; `;`-separated in CSV).
    func strings(_ key: String) throws(TMDiagError) -> [String]
    func fail(_ key: String, _ what: String) -> TMDiagError
    /// Remembers normalised numbers across the rows of one import (they repeat a lot).
    var memo: NormalisationMemo? { get }
}

extension FieldReader {
    var memo: NormalisationMemo? { nil }
}

/// Normalised phone numbers of one import, by what the file said.
final class NormalisationMemo {
    var msisdn: [String: String] = [:]
}

/// The checks every way into the store shares, so that an import and `history add-event`
/// accept and refuse the same things.
enum Check {
    static let maxText = 4_000
    static let maxName = 200

    static let lineFields: Set<String> = ["msisdn", "imei", "iccid", "device"]
    static let accountFields: Set<String> = ["id", "holder", "type", "plan", "lines", "events"]

    static func text(_ r: some FieldReader, _ key: String, required: Bool = false, max: Int = maxName,
                     free: Bool = false) throws(TMDiagError) -> String? {
        guard let s = try r.string(key) else {
            if required { throw r.fail(key, "missing (required)") }
            return nil
        }
        if s.utf8.count > max, s.unicodeScalars.count > max { throw r.fail(key, "too long (\(s.unicodeScalars.count) characters; at most \(max))") }
        if s.utf8.contains(0) { throw r.fail(key, "contains a NUL character") }
        if free, SecretFields.textCarriesSecret(s) {
            throw r.fail(key, "looks like it holds a PIN, password or security answer; tmdiag never stores those — remove it")
        }
        return s
    }

    static func time(_ r: some FieldReader, _ key: String, required: Bool = false) throws(TMDiagError) -> Int64? {
        guard let s = try text(r, key, required: required, max: 64) else { return nil }
        guard let t = HistoryDate.parse(s) else {
            throw r.fail(key, "not a possible ISO 8601 time: '\(TerminalText.escape(s, limit: 40))' "
                         + "(expected e.g. 2026-11-02T14:05:00Z or 2026-11-02, years \(HistoryDate.earliestYear)-\(HistoryDate.latestYear))")
        }
        return t
    }

    static func choice<E: CaseIterable & RawRepresentable>(_ r: some FieldReader, _ key: String, _ type: E.Type,
                                                           noun: String, allowed: [E]? = nil,
                                                           required: Bool = false) throws(TMDiagError) -> E?
        where E.RawValue == String {
        guard let s = try text(r, key, required: required, max: 64) else { return nil }
        let lower = s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? s.lowercased() : s
        if let v = E(rawValue: lower), allowed?.contains(where: { $0.rawValue == v.rawValue }) ?? true { return v }
        let options = allowed ?? Array(E.allCases)
        throw r.fail(key, "unknown \(noun) '\(TerminalText.escape(s, limit: 40))'; expected one of "
                     + options.map(\.rawValue).joined(separator: ", "))
    }

    /// 15 digits with a correct Luhn check digit; spaces, dashes and slashes are dropped first.
    static func imei(_ r: some FieldReader, _ key: String = "imei") throws(TMDiagError) -> String? {
        guard let s = try text(r, key, max: 64) else { return nil }
        let d = s.filter { !" -/.".contains($0) }
        guard d.allSatisfy(\.isASCIIDigit), d.count == 15 else {
            throw r.fail(key, "not an IMEI (expected 15 digits, got \(d.count) characters)")
        }
        guard Identifiers.isValidIMEI(d) else { throw r.fail(key, "not a valid IMEI: the check digit (Luhn) is wrong") }
        return d
    }

    static func msisdn(_ r: some FieldReader, _ key: String = "msisdn", required: Bool = false) throws(TMDiagError) -> String? {
        guard let s = try text(r, key, required: required, max: 64) else { return nil }
        if let hit = r.memo?.msisdn[s] { return hit }
        guard let n = Identifiers.e164(s) else {
            throw r.fail(key, "not a phone number (expected E.164: + and 8 to 15 digits, or 10 digits for North America)")
        }
        if let memo = r.memo, memo.msisdn.count < 1_000_000 { memo.msisdn[s] = n }
        return n
    }

    static func iccid(_ r: some FieldReader, _ key: String = "iccid") throws(TMDiagError) -> String? {
        guard let s = try text(r, key, max: 64) else { return nil }
        let d = HistoryStore.normalisedICCID(s)
        guard Identifiers.isPlausibleICCID(d) else {
            throw r.fail(key, "not an ICCID (expected 18-22 digits starting with 89)")
        }
        return d
    }

    static func caseNumber(_ r: some FieldReader, _ key: String = "case", required: Bool = false) throws(TMDiagError) -> String? {
        guard let s = try text(r, key, required: required, max: 64) else { return nil }
        guard s.utf8.allSatisfy({ isASCIIAlphanumeric($0) || "-_./#".utf8.contains($0) }) else {
            throw r.fail(key, "not a case number (letters, digits and - _ . / # only)")
        }
        return s
    }

    static func event(_ r: some FieldReader) throws(TMDiagError) -> EventInput {
        let at = try time(r, "at", required: true)!
        let kind = try choice(r, "kind", EventKind.self, noun: "kind", required: true)!
        var e = EventInput(at: at, kind: kind, summary: try text(r, "summary", max: maxText, free: true) ?? "")
        e.endAt = try time(r, "end")
        if let end = e.endAt, end < at { throw r.fail("end", "is before 'at'") }
        e.msisdn = try msisdn(r)
        e.imei = try imei(r)
        e.iccid = try iccid(r)
        e.device = try text(r, "device")
        e.plan = try text(r, "plan")
        e.country = try text(r, "country", max: 64)
        e.area = try text(r, "area")
        e.caseNumber = try caseNumber(r, required: kind == .supportCase)
        if kind == .supportCase {
            // Optional like `history add-case --channel`: an export of any store re-imports.
            e.channel = try choice(r, "channel", ContactChannel.self, noun: "channel")
            e.rep = try text(r, "rep")
            e.status = try choice(r, "status", CaseStatus.self, noun: "status", allowed: CaseStatus.importable, required: true)
            e.resolution = try text(r, "resolution", max: maxText, free: true)
            e.updatedAt = try time(r, "updated")
            if let u = e.updatedAt, u < at { throw r.fail("updated", "is before 'at' (when the case was opened)") }
            e.reportIds = try r.strings("reports").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
            for id in e.reportIds where id.count > 64 { throw r.fail("reports", "a report id is too long") }
        } else {
            for field in EventField.caseOnly {
                let key = field.rawValue
                let present: Bool
                if key == "reports" { present = !(try r.strings(key)).isEmpty } else { present = try r.string(key) != nil }
                if present { throw r.fail(key, "only support_case events have '\(key)' (this one is \(kind.rawValue))") }
            }
        }
        return e
    }

    static func line(_ r: some FieldReader) throws(TMDiagError) -> LineInput {
        LineInput(msisdn: try msisdn(r, required: true)!, imei: try imei(r), iccid: try iccid(r), device: try text(r, "device"))
    }

    static func accountId(_ r: some FieldReader, _ key: String = "id") throws(TMDiagError) -> String {
        let s = try text(r, key, required: true, max: 64)!
        guard s.utf8.allSatisfy({ isASCIIAlphanumeric($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }) else {
            throw r.fail(key, "not an account id (ASCII letters, digits and - _ . only)")
        }
        return s
    }
}

@inline(__always) func isASCIIAlphanumeric(_ c: UInt8) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
}
