import TMDiagCore

/// What a carrier runs (`network:` in `Profiles/carriers/<id>.yaml`): its network codes, APNs,
/// bands, the technologies it has closed, whether calls need VoLTE, and how its firmware
/// carrier configurations are named. Each fact carries its `source:`. The diagnosis rules
/// hold a device against these facts when its SIM belongs to the carrier.
public struct CarrierNetwork: Codable, Sendable, Hashable {
    public var plmns: [PLMN]
    public var apns: [APN]
    public var lteBands: Bands?
    public var nrBands: Bands?
    public var retired: [Retirement]?
    public var volteRequired: Flag?
    public var firmwareConfigs: FirmwareConfigs?

    public struct PLMN: Codable, Sendable, Hashable {
        public var mcc: String
        public var mnc: String
        /// `Sprint (former)`, `Metro`: where the code came from.
        public var note: String?
        public var source: String
    }

    public struct APN: Codable, Sendable, Hashable {
        public var apn: String
        /// `internet`, `ims`, `mms`.
        public var use: String
        /// `postpaid`, `prepaid`, or the MVNO's brand for an MVNO's APN.
        public var plan: String?
        /// An MVNO's SIMs: matched by the SIM's service provider name (any of, case-insensitive,
        /// contained), where the network code alone cannot tell them from the carrier's own.
        public var spn: [String]?
        public var source: String
    }

    public struct Bands: Codable, Sendable, Hashable {
        /// Bands the carrier runs.
        public var inUse: [Int]
        /// Bands a device needs for the carrier's coverage: each group needs one of its bands
        /// enabled (`[4, 66]`: AWS as band 4 or band 66).
        public var key: [[Int]]
        public var source: String
    }

    public struct Retirement: Codable, Sendable, Hashable {
        /// Technology words as the registration reports them (`umts`, `hspa+`, `cdma`).
        public var technologies: [String]
        /// The network closed (`T-Mobile UMTS`, `Sprint CDMA`).
        public var network: String
        /// The day it closed, `YYYY-MM-DD`.
        public var since: String
        public var source: String
    }

    public struct Flag: Codable, Sendable, Hashable {
        public var value: Bool
        public var note: String?
        public var source: String
    }

    public struct FirmwareConfigs: Codable, Sendable, Hashable {
        /// Words in a configuration's name that mark it as this carrier's (`TMO`).
        public var carrier: [String]
        /// Words that mark a generic configuration that works on any carrier (`ROW_Generic`).
        public var generic: [String]
        public var source: String
    }

    /// Whether an MCC/MNC belongs to the carrier.
    public func owns(mcc: String?, mnc: String?) -> Bool {
        guard let mcc, let mnc else { return false }
        return plmns.contains { $0.mcc == mcc && $0.mnc == mnc }
    }

    /// The internet APNs a SIM of this carrier may use: an MVNO's when its SPN names one, else
    /// every internet APN the carrier and its MVNOs use (without the SPN, which one is unknown).
    public func internetAPNs(spn: String?) -> [String] {
        let internet = apns.filter { $0.use == "internet" }
        if let spn = spn?.lowercased(), !spn.isEmpty {
            let mvno = internet.filter { a in (a.spn ?? []).contains { spn.contains($0.lowercased()) } }
            if !mvno.isEmpty { return mvno.map(\.apn) }
        }
        return internet.map(\.apn)
    }

    /// The retirement covering a technology word, if it is closed.
    public func retirement(of technology: String?) -> Retirement? {
        guard let t = technology?.lowercased() else { return nil }
        return retired?.first { $0.technologies.contains(t) }
    }

    /// Key band groups with none of their bands in `enabled`.
    public static func missingKeyBands(_ bands: Bands?, enabled: [Int]?) -> [[Int]] {
        guard let bands, let enabled, !enabled.isEmpty else { return [] }
        return bands.key.filter { group in !group.contains(where: enabled.contains) }
    }

    /// The first fact without a source, or a malformed one, in the `network:` section's words.
    func problem() -> String? {
        for (i, p) in plmns.enumerated() {
            if p.source.trimmingSpaces.isEmpty { return "plmns[\(i)]: every code needs a source" }
            if p.mcc.count != 3 || !(2...3).contains(p.mnc.count) || !(p.mcc + p.mnc).allSatisfy(\.isASCIIDigit) {
                return "plmns[\(i)]: '\(p.mcc)-\(p.mnc)' is not an MCC-MNC"
            }
        }
        for (i, a) in apns.enumerated() where a.source.trimmingSpaces.isEmpty { return "apns[\(i)]: every APN needs a source" }
        for (i, r) in (retired ?? []).enumerated() where r.source.trimmingSpaces.isEmpty || r.since.count != 10 {
            return "retired[\(i)]: needs a source and a YYYY-MM-DD date"
        }
        for (name, b) in [("lteBands", lteBands), ("nrBands", nrBands)] where b != nil && b!.source.trimmingSpaces.isEmpty {
            return "\(name): needs a source"
        }
        if let v = volteRequired, v.source.trimmingSpaces.isEmpty { return "volteRequired: needs a source" }
        if let f = firmwareConfigs, f.source.trimmingSpaces.isEmpty { return "firmwareConfigs: needs a source" }
        return nil
    }
}
