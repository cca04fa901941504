import Foundation

/// What a phone told us through `adb`, `ideviceinfo` or `mmcli`.
///
/// The radio facts per SIM slot use the same `SIMFacts`, `RegistrationFacts`, `SignalFacts` and
/// `IMSFacts` a modem fills, so one renderer and one rule set serve phones and modems.
/// `simStates`, `operators`, `networkTypes` and `roaming` are the older per-slot lists from
/// `getprop`, kept for reports written before `slots` existed and for phones whose telephony
/// dump could not be read.
public struct HandsetFacts: Codable, Sendable, Hashable {
    /// `adb`, `ideviceinfo` or `mmcli`.
    public var source: String
    public var manufacturer: String?
    public var model: String?
    public var osVersion: String?
    public var build: String?
    public var securityPatch: String?
    public var baseband: String?
    /// Every IMEI the phone exposes (dual-SIM and eSIM phones have two).
    public var imei: [String]?
    public var simStates: [String]?
    public var operators: [OperatorInfo]?
    public var networkTypes: [String]?
    public var roaming: [Bool]?
    /// One entry per SIM slot the phone reported, in slot order.
    public var slots: [HandsetSlot]?
    /// When the facts were read from the phone (the reads run at once; this is when they ended).
    public var readAt: Date?
    /// How far the phone let tmdiag in; nil in reports written before tmdiag said so.
    public var access: HandsetAccess?
    /// What the customer can do so that the phone tells more (turn on USB debugging, tap Trust).
    public var customerSteps: [String]?
    /// iPhone: the carrier settings bundle (`CarrierBundleName`, `CarrierBundleVersion`), trusted pairing only.
    public var carrierBundle: String?
    /// Why facts are missing: tool not installed, device unauthorised, timed out.
    public var note: String?

    public init(source: String) { self.source = source }

    /// The slot a one-line summary speaks for: the first that holds a SIM, else the first.
    public var primarySlot: HandsetSlot? {
        slots?.first { $0.sim?.state != .absent } ?? slots?.first
    }
}

/// One SIM slot of a phone, in the shapes a modem's facts use.
public struct HandsetSlot: Codable, Sendable, Hashable {
    /// The slot index as the phone counts it (Android's phone id), from 0.
    public var slot: Int
    public var sim: SIMFacts?
    public var registration: RegistrationFacts?
    /// The signal of the technology the phone is on: what the rules weigh.
    public var signal: SignalFacts?
    /// Every technology the phone measured (`lte`, `nr5g`, `umts`, `gsm`): with 5G NSA both
    /// the LTE anchor and the NR leg.
    public var signalByTechnology: [String: SignalFacts]?
    public var ims: IMSFacts?

    public init(slot: Int, sim: SIMFacts? = nil, registration: RegistrationFacts? = nil, signal: SignalFacts? = nil,
                ims: IMSFacts? = nil) {
        self.slot = slot
        self.sim = sim
        self.registration = registration
        self.signal = signal
        self.ims = ims
    }

    /// The slot as a modem's facts, so the modem's rules and renderer apply unchanged.
    public func asModemFacts(manufacturer: String?, model: String?) -> ModemFacts {
        var m = ModemFacts()
        m.manufacturer = manufacturer
        m.model = model
        m.sim = sim
        m.registration = registration
        m.signal = signal
        m.ims = ims
        return m
    }
}

/// How far a phone let tmdiag in.
public enum HandsetAccess: String, Codable, Sendable, CaseIterable {
    /// Everything tmdiag asks was answered.
    case read
    /// Some facts were read, some were not (a dump that timed out or was refused).
    case partial
    /// The helper tool (adb, ideviceinfo) is not installed on this computer.
    case toolMissing = "tool-missing"
    /// The phone shows no data function: USB is set to "charging only".
    case chargingOnly = "charging-only"
    /// The phone's USB is set to tethering (RNDIS/NCM): a network card, no file transfer or debugging.
    case usbTethering = "usb-tethering"
    /// An Android phone with USB debugging off (no ADB interface).
    case debuggingOff = "debugging-off"
    /// The phone has not accepted this computer's USB debugging key.
    case unauthorized
    /// An iPhone that has not trusted this computer: only what lockdown tells anyone.
    case notTrusted = "not-trusted"
    /// The tool ran but failed or did not answer in time.
    case failed
}
