/// Rule conditions that hold a device against what its carrier runs (`CarrierNetwork`) and
/// against the diagnosis queries' facts (`when.carrier` in `Profiles/rules/*.yaml`). All given
/// conditions have to hold; a list is a choice. The Ticket layer evaluates them.
public struct CarrierConditions: Codable, Sendable, Hashable {
    /// The SIM's network code is one of the carrier's (the carrier's facts apply to it).
    public var simIsCarrier: Bool?
    /// The default data context's APN: `missing` (none set), `wrong` (not one the carrier or
    /// Debian's provider list gives for this SIM), `right`.
    public var apn: [String]?
    /// Some data context is active and has an address.
    public var dataActive: Bool?
    /// The firmware's carrier configuration: `other` (another carrier's), `generic`, `carrier`.
    public var firmwareConfig: [String]?
    /// The modem picks its configuration from the SIM by itself.
    public var firmwareAutoSelect: Bool?
    /// The device's `vendor:product` id (USB or PCI, lower-case hex) any of.
    public var deviceIds: [String]?
    /// ModemManager's FCC unlock helper for the device: `enabled`, `available` (shipped but not
    /// enabled), `none`.
    public var fccUnlockHelper: [String]?
    /// IMS registered (`+CIREG`), as far as the device says.
    public var imsRegistered: Bool?
    /// The carrier needs VoLTE for calls.
    public var volteRequired: Bool?
    /// A key band group of the carrier (LTE or NR) has none of its bands enabled.
    public var keyBandsMissing: Bool?
    /// At most this many PIN (PUK) attempts are left.
    public var pinAttemptsAtMost: Int?
    public var pukAttemptsAtMost: Int?
    /// The IMEI: `missing`, `zero` (all zeros), `invalid` (fails the Luhn check), `valid`.
    public var imei: [String]?
    /// Registered on a technology the carrier has closed.
    public var technologyRetired: Bool?
    /// Not registered, and every radio technology the device can use (`+WS46=?`) is one the
    /// carrier has closed: it searches for networks it will never find.
    public var noTechnologyStillRun: Bool?
    /// Roaming: `domestic` (another network in the SIM's own country), `abroad`.
    public var roaming: [String]?
    /// A USB network function (CDC MBIM/ECM/NCM, RNDIS) with no driver bound to it.
    public var netDriverMissing: Bool?

    public init() {}

    static let apnWords: Set<String> = ["missing", "wrong", "right"]
    static let configWords: Set<String> = ["other", "generic", "carrier"]
    static let helperWords: Set<String> = ["enabled", "available", "none"]
    static let imeiWords: Set<String> = ["missing", "zero", "invalid", "valid"]
    static let roamingWords: Set<String> = ["domestic", "abroad"]

    /// The first bad value, as (key, what is wrong).
    func problem() -> (String, String)? {
        for (key, values, allowed) in [("apn", apn, Self.apnWords), ("firmwareConfig", firmwareConfig, Self.configWords),
                                       ("fccUnlockHelper", fccUnlockHelper, Self.helperWords), ("imei", imei, Self.imeiWords),
                                       ("roaming", roaming, Self.roamingWords)] {
            guard let values else { continue }
            if values.isEmpty { return (key, "an empty list matches nothing; leave the key out instead") }
            if let bad = values.first(where: { !allowed.contains($0) }) {
                return (key, "unknown value '\(bad)'; expected one of \(allowed.sorted().joined(separator: ", "))")
            }
        }
        for id in deviceIds ?? [] {
            let parts = id.split(separator: ":")
            if parts.count != 2 || !parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isHexDigit) }) {
                return ("deviceIds", "'\(id)' is not vvvv:pppp hex")
            }
        }
        for (key, n) in [("pinAttemptsAtMost", pinAttemptsAtMost), ("pukAttemptsAtMost", pukAttemptsAtMost)] {
            if let n, !(0...10).contains(n) { return (key, "must be 0...10") }
        }
        return nil
    }
}
