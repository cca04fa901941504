import Foundation

/// One fact about a device that differs from the same device's previous saved report: the
/// "what changed" a customer is asked for, found rather than remembered (a firmware update, a
/// new SIM, another network).
public struct DeviceChange: Codable, Sendable, Hashable {
    /// `firmware`, `model`, `iccid`, `imsi`, `imei`, `msisdn`, `operator`, `simState`,
    /// `registration`, `technology`.
    public var field: String
    public var before: String
    public var after: String
    public var previousReportId: String
    /// When the previous report was made ("Changed since <date>").
    public var previousAt: Date?

    public init(field: String, before: String, after: String, previousReportId: String, previousAt: Date? = nil) {
        self.field = field
        self.before = before
        self.after = after
        self.previousReportId = previousReportId
        self.previousAt = previousAt
    }

    /// The change as it may leave the machine: identifier values masked like everywhere else
    /// (masks are idempotent, so a change read back from a masked report stays as it is).
    public func masked(_ reveal: RevealSet) -> DeviceChange {
        var c = self
        let mask: ((String) -> String)?
        switch field {
        case "imei": mask = reveal.reveals(.imei) ? nil : { Mask.imei($0) }
        case "iccid": mask = reveal.reveals(.iccid) ? nil : { Mask.iccid($0) }
        case "imsi": mask = reveal.reveals(.imsi) ? nil : { Mask.imsi($0) }
        case "msisdn": mask = reveal.reveals(.msisdn) ? nil : { Mask.msisdn($0) }
        case "serial": mask = reveal.reveals(.serial) ? nil : { Mask.serial($0) }
        default: mask = { IdentifierScrubber.scrub($0, reveal: reveal) }
        }
        if let mask {
            c.before = mask(before)
            c.after = mask(after)
        }
        return c
    }

    /// The field in words, for text, tickets and pages.
    public var fieldWords: String {
        switch field {
        case "firmware": return "Firmware"
        case "model": return "Model"
        case "iccid": return "SIM (ICCID)"
        case "imsi": return "Subscriber (IMSI)"
        case "imei": return "IMEI"
        case "msisdn": return "Phone number"
        case "operator": return "Network"
        case "simState": return "SIM state"
        case "registration": return "Registration"
        case "technology": return "Technology"
        default: return field
        }
    }
}

extension ReportedDevice {
    /// The facts compared between two reports of the same device, by change field. A fact
    /// that one of the two reports could not read (nil, `unknown`) is not a change: a probe
    /// that timed out says nothing about the SIM.
    public var comparableFacts: [(String, String?)] {
        let m = modem
        let h = handset
        let firmware = m?.firmware ?? [h?.osVersion, h?.build].compactMap { $0 }.joined(separator: ", ").nilIfEmpty
        let op = m?.registration?.operator.flatMap { o in o.name ?? [o.mcc, o.mnc].compactMap { $0 }.joined(separator: "-").nilIfEmpty }
            ?? h?.operators?.first?.name
        let simState = m?.sim?.state.rawValue ?? h?.simStates?.joined(separator: ", ").nilIfEmpty
        return [
            ("firmware", firmware),
            ("model", m?.model ?? h?.model),
            ("imei", m?.imei ?? h?.imei?.first),
            ("iccid", m?.sim?.iccid),
            ("imsi", m?.sim?.imsi),
            ("msisdn", m?.sim?.msisdn),
            ("simState", simState == "unknown" ? nil : simState),
            ("registration", m?.registration.flatMap { $0.state == .unknown ? nil : $0.state.rawValue }),
            ("operator", op),
            ("technology", m?.registration?.technology),
        ]
    }

    /// What differs from `previous` (the same device in an earlier report).
    public func changes(since previous: ReportedDevice, reportId: String, at: Date?) -> [DeviceChange] {
        let before = Dictionary(previous.comparableFacts.compactMap { k, v in v.map { (k, $0) } }, uniquingKeysWith: { a, _ in a })
        return comparableFacts.compactMap { field, value in
            guard let after = value, let was = before[field], was != after else { return nil }
            // A masked value read back cannot be compared with a full one: equal when the masks are.
            if Mask.isMasked(was) || Mask.isMasked(after),
               DeviceChange(field: field, before: was, after: after, previousReportId: reportId).masked(.none).before
                == DeviceChange(field: field, before: after, after: after, previousReportId: reportId).masked(.none).before {
                return nil
            }
            return DeviceChange(field: field, before: was, after: after, previousReportId: reportId, previousAt: at)
        }
    }
}
