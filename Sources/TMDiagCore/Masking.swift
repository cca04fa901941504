/// Which identifiers may leave the machine unmasked (`--reveal imei,iccid,...`).
public struct RevealSet: Sendable, Hashable {
    public enum Field: String, Sendable, CaseIterable, Codable {
        case imei, iccid, imsi, msisdn, serial
    }

    public var fields: Set<Field>
    public init(_ fields: Set<Field> = []) { self.fields = fields }

    public static let none = RevealSet()
    public static let all = RevealSet(Set(Field.allCases))

    /// Parses `imei,iccid`; `all` reveals everything. Unknown names are an error naming them.
    public init(parsing list: [String]) throws(RevealError) {
        var set = Set<Field>()
        for item in list.flatMap({ $0.split(separator: ",") }) {
            let name = item.trimmingSpaces.lowercased()
            if name.isEmpty { continue }
            if name == "all" { set = Set(Field.allCases); continue }
            guard let f = Field(rawValue: name) else { throw RevealError(name: name) }
            set.insert(f)
        }
        fields = set
    }

    public func reveals(_ f: Field) -> Bool { fields.contains(f) }
}

public struct RevealError: Error, CustomStringConvertible {
    public var name: String
    public var description: String {
        "--reveal: unknown identifier '\(TerminalText.escape(name))'; use imei, iccid, imsi, msisdn, serial or all"
    }
}

/// Masking per the design: IMEI to its TAC plus the last 4 digits, ICCID and MSISDN to the last 4,
/// IMSI to MCC/MNC, serial numbers to the last 4.
///
/// Masking is idempotent and one-way: a masked value carries the mask mark, and a value that
/// carries it is never masked again (a report read back from a file or a bundle keeps its
/// `35209900****1234`; masking it again would make a plausible 12-digit IMEI of it).
public enum Mask {
    public static let mark: Character = "*"

    /// True when `s` is already a masked value (it holds the mask mark).
    public static func isMasked(_ s: String) -> Bool { s.contains(mark) }

    public static func imei(_ s: String) -> String {
        if isMasked(s) { return s }
        let d = s.filter(\.isASCIIDigit)
        guard d.count >= 12 else { return String(repeating: mark, count: max(4, d.count)) }
        return String(d.prefix(8)) + String(repeating: mark, count: d.count - 12) + String(d.suffix(4))
    }

    public static func lastFour(_ s: String) -> String {
        if isMasked(s) { return s }
        let chars = Array(s)
        guard chars.count > 4 else { return String(repeating: mark, count: chars.count) }
        return String(repeating: mark, count: 4) + String(chars.suffix(4))
    }

    public static func iccid(_ s: String) -> String { lastFour(s) }

    public static func msisdn(_ s: String) -> String {
        if isMasked(s) { return s }
        let d = s.filter(\.isASCIIDigit)
        guard d.count > 4 else { return String(repeating: mark, count: 4) }
        return (s.hasPrefix("+") ? "+" : "") + String(repeating: mark, count: 4) + String(d.suffix(4))
    }

    /// Keeps MCC and a 3-digit MNC window (`310260`), masks the subscriber part (MSIN).
    public static func imsi(_ s: String, mncLength: Int = 3) -> String {
        if isMasked(s) { return s }
        let d = s.filter(\.isASCIIDigit)
        let keep = min(d.count, 3 + mncLength)
        return String(d.prefix(keep)) + String(repeating: mark, count: max(0, d.count - keep))
    }

    public static func serial(_ s: String) -> String { lastFour(s) }
}

extension ModemFacts {
    public func masked(_ reveal: RevealSet) -> ModemFacts {
        var m = self
        if let v = m.imei, !reveal.reveals(.imei) { m.imei = Mask.imei(v) }
        if var sim = m.sim {
            if let v = sim.iccid, !reveal.reveals(.iccid) { sim.iccid = Mask.iccid(v) }
            if let v = sim.imsi, !reveal.reveals(.imsi) {
                sim.imsi = Mask.imsi(v, mncLength: sim.operator?.mnc?.count ?? 3)
            }
            if let v = sim.msisdn, !reveal.reveals(.msisdn) { sim.msisdn = Mask.msisdn(v) }
            m.sim = sim
        }
        if var vendor = m.vendor {
            // Vendor replies can repeat identifiers (Samsung +DEVCONINFO, Sierra !GSTATUS...).
            for (k, v) in vendor { vendor[k] = IdentifierScrubber.scrub(SecretRedactor.redact(v).text, reveal: reveal) }
            m.vendor = vendor
        }
        if let v = m.identification {
            m.identification = IdentifierScrubber.scrub(SecretRedactor.redact(v).text, reveal: reveal)
        }
        return m
    }
}

extension HandsetFacts {
    public func masked(_ reveal: RevealSet) -> HandsetFacts {
        var h = self
        if let v = h.imei, !reveal.reveals(.imei) { h.imei = v.map(Mask.imei) }
        // Each slot's SIM is masked exactly as a modem's is.
        h.slots = h.slots?.map { slot in
            var slot = slot
            var m = ModemFacts()
            m.sim = slot.sim
            slot.sim = m.masked(reveal).sim
            return slot
        }
        return h
    }
}

extension USBDevice {
    public func masked(_ reveal: RevealSet) -> USBDevice {
        var d = self
        if let v = d.serial, !reveal.reveals(.serial) { d.serial = Mask.serial(v) }
        return d
    }
}

extension ReportedDevice {
    public func masked(_ reveal: RevealSet) -> ReportedDevice {
        var r = self
        r.device = device.masked(reveal)
        r.modem = modem?.masked(reveal)
        r.handset = handset?.masked(reveal)
        r.errors = errors.map { $0.masked(reveal) }
        r.changes = changes?.map { $0.masked(reveal) }
        return r
    }
}

extension ReportedError {
    /// The error as it may leave the machine: identifiers masked, and a PIN or password the
    /// command carried (`AT+CPIN="1234"` in a pasted log) removed — secrets are never revealed.
    public func masked(_ reveal: RevealSet) -> ReportedError {
        var e = self
        e.raw = IdentifierScrubber.scrub(SecretRedactor.redact(raw).text, reveal: reveal)
        e.command = command.map { SecretRedactor.redact($0).text }
        // Explanations quote the command ("The modem answered AT+CPWD=… with ERROR").
        e.meaning = IdentifierScrubber.scrub(SecretRedactor.redact(meaning).text, reveal: reveal)
        e.advice = advice.map { SecretRedactor.redact($0).text }
        return e
    }
}

extension DeviceReport {
    /// The report as it may leave the machine.
    public func masked(_ reveal: RevealSet) -> DeviceReport {
        var r = self
        r.devices = devices.map { $0.masked(reveal) }
        r.revealed = reveal.fields.map(\.rawValue).sorted()
        return r
    }
}

extension DeviceReport {
    /// The identifiers this report holds only in masked form: `--reveal` cannot bring them
    /// back (masking is one-way), and the person asking should be told so.
    public func maskedFields() -> Set<RevealSet.Field> {
        var out = Set<RevealSet.Field>()
        for d in devices {
            if let v = d.modem?.imei, Mask.isMasked(v) { out.insert(.imei) }
            if d.handset?.imei?.contains(where: Mask.isMasked) == true { out.insert(.imei) }
            if let v = d.modem?.sim?.iccid, Mask.isMasked(v) { out.insert(.iccid) }
            if let v = d.modem?.sim?.imsi, Mask.isMasked(v) { out.insert(.imsi) }
            if let v = d.modem?.sim?.msisdn, Mask.isMasked(v) { out.insert(.msisdn) }
            for sim in (d.handset?.slots ?? []).compactMap(\.sim) {
                if let v = sim.iccid, Mask.isMasked(v) { out.insert(.iccid) }
                if let v = sim.imsi, Mask.isMasked(v) { out.insert(.imsi) }
            }
            if let v = d.device.serial, Mask.isMasked(v) { out.insert(.serial) }
        }
        return out
    }

    /// A note for `--reveal` of fields this report holds only masked; nil when there is none.
    public func unrevealableNote(_ reveal: RevealSet) -> String? {
        let lost = reveal.fields.intersection(maskedFields()).map(\.rawValue).sorted()
        guard !lost.isEmpty else { return nil }
        return "--reveal \(lost.joined(separator: ",")): the full value is not in this report (it was written masked); "
            + "it shows as masked"
    }
}
