/// The contract's `sim.state` words.
public enum SIMState: String, Codable, Sendable, CaseIterable {
    case ready
    case pinRequired = "pin-required"
    case pukRequired = "puk-required"
    case absent, failure, unknown
}

/// The contract's `registration.state` words.
public enum RegistrationState: String, Codable, Sendable, CaseIterable {
    case home, roaming, searching, denied
    case notRegistered = "not-registered"
    case unknown

    public var isRegistered: Bool { self == .home || self == .roaming }
}

public struct OperatorInfo: Codable, Sendable, Hashable {
    public var name: String?
    public var mcc: String?
    public var mnc: String?
    public init(name: String? = nil, mcc: String? = nil, mnc: String? = nil) {
        self.name = name
        self.mcc = mcc
        self.mnc = mnc
    }
    public var isEmpty: Bool { name == nil && mcc == nil && mnc == nil }
}

public struct SIMFacts: Codable, Sendable, Hashable {
    public var state: SIMState
    /// The raw `+CPIN:` word (`READY`, `SIM PIN`, `PH-NET PIN`, ...), for the agent.
    public var detail: String?
    public var iccid: String?
    public var imsi: String?
    public var msisdn: String?
    /// The home operator, from the IMSI's MCC/MNC.
    public var `operator`: OperatorInfo?
    /// PIN1 and PUK1 attempts left, where the modem says (QMI card status, MBIM PIN query).
    public var pinRetries: Int?
    public var pukRetries: Int?
    /// The service provider name the SIM carries (an MVNO's brand on its host network).
    public var spn: String?
    public init(state: SIMState = .unknown, detail: String? = nil, iccid: String? = nil, imsi: String? = nil,
                msisdn: String? = nil, operator: OperatorInfo? = nil) {
        self.state = state
        self.detail = detail
        self.iccid = iccid
        self.imsi = imsi
        self.msisdn = msisdn
        self.operator = `operator`
    }
}

/// The radio switches as MBIM's RADIO_STATE reports them: `hardware` false is a physical
/// switch or an FCC lock holding the radio off; `software` false is flight mode.
public struct RadioFacts: Codable, Sendable, Hashable {
    public var hardware: Bool?
    public var software: Bool?
    public init(hardware: Bool? = nil, software: Bool? = nil) {
        self.hardware = hardware
        self.software = software
    }
}

/// IMS (the carrier's voice core: VoLTE, VoNR, Wi-Fi calling, SMS over IP) as the device
/// reports it: `+CIREG?` and `+CAVIMS?` on a modem, the phone's own IMS state through adb.
/// A carrier whose 2G/3G networks are closed needs IMS registered for any call.
public struct IMSFacts: Codable, Sendable, Hashable {
    /// Registered with the IMS core (`+CIREG: n,1`).
    public var registered: Bool?
    /// Voice over IMS available (`+CAVIMS: 1`, a phone's VoLTE/VoNR voice state).
    public var voiceAvailable: Bool?
    /// IMS switched on in the device's own configuration (vendor commands such as `+QCFG="ims"`).
    public var enabled: Bool?
    public init(registered: Bool? = nil, voiceAvailable: Bool? = nil, enabled: Bool? = nil) {
        self.registered = registered
        self.voiceAvailable = voiceAvailable
        self.enabled = enabled
    }
}

/// A network reject cause as the modem reported it (`+CEER`, `+CEREG` with cause, vendor commands).
public struct RejectCause: Codable, Sendable, Hashable {
    /// `emm` or `gmm` (the MM/GMM table of TS 24.008).
    public var kind: String
    public var code: Int
    public var meaning: String?
    public init(kind: String, code: Int, meaning: String? = nil) {
        self.kind = kind
        self.code = code
        self.meaning = meaning
    }
}

/// One domain's registration line (`+CREG`, `+CGREG`, `+CEREG`, `+C5GREG`).
public struct DomainRegistration: Codable, Sendable, Hashable {
    /// `cs`, `ps`, `eps` or `5gs`.
    public var domain: String
    public var stat: Int
    public var state: RegistrationState
    public var lac: String?
    public var cellId: String?
    public var technology: String?
    public var rejectCause: RejectCause?
    public init(domain: String, stat: Int, state: RegistrationState, lac: String? = nil,
                cellId: String? = nil, technology: String? = nil, rejectCause: RejectCause? = nil) {
        self.domain = domain
        self.stat = stat
        self.state = state
        self.lac = lac
        self.cellId = cellId
        self.technology = technology
        self.rejectCause = rejectCause
    }
}

public struct RegistrationFacts: Codable, Sendable, Hashable {
    public var state: RegistrationState
    /// `gsm`, `umts`, `lte`, `nr5g-nsa`, `nr5g-sa`, ... (from `+COPS` AcT or vendor commands,
    /// else from the newest registered domain's AcT).
    public var technology: String?
    public var `operator`: OperatorInfo?
    public var rejectCause: RejectCause?
    public var domains: [DomainRegistration]
    /// Whether `technology` was worked out from the domains (so a domain read later may
    /// change it) rather than said by `+COPS` or a vendor command. Not part of the JSON.
    public var technologyFromDomains = false

    enum CodingKeys: String, CodingKey {
        case state, technology, `operator`, rejectCause, domains
    }
    public init(state: RegistrationState = .unknown, technology: String? = nil, operator: OperatorInfo? = nil,
                rejectCause: RejectCause? = nil, domains: [DomainRegistration] = []) {
        self.state = state
        self.technology = technology
        self.operator = `operator`
        self.rejectCause = rejectCause
        self.domains = domains
    }
}

/// Signal as raw values plus one quality word. Thresholds are documented in `SignalQuality`.
public struct SignalFacts: Codable, Sendable, Hashable {
    public var quality: SignalQuality
    public var rssiDbm: Int?
    public var csq: Int?
    public var ber: Int?
    public var rsrpDbm: Double?
    public var rsrqDb: Double?
    public var sinrDb: Double?
    public var rscpDbm: Double?
    public var ecnoDb: Double?
    public init(quality: SignalQuality = .unknown, rssiDbm: Int? = nil, csq: Int? = nil, ber: Int? = nil,
                rsrpDbm: Double? = nil, rsrqDb: Double? = nil, sinrDb: Double? = nil,
                rscpDbm: Double? = nil, ecnoDb: Double? = nil) {
        self.quality = quality
        self.rssiDbm = rssiDbm
        self.csq = csq
        self.ber = ber
        self.rsrpDbm = rsrpDbm
        self.rsrqDb = rsrqDb
        self.sinrDb = sinrDb
        self.rscpDbm = rscpDbm
        self.ecnoDb = ecnoDb
    }
}

/// Signal quality words.
///
/// LTE/NR use RSRP when known (excellent ≥ -80 dBm, good ≥ -90, fair ≥ -100, poor ≥ -120,
/// none below); otherwise RSSI from `+CSQ` (excellent ≥ -65 dBm, good ≥ -75, fair ≥ -85,
/// poor ≥ -105 i.e. CSQ 4, none below or CSQ 99 = not detectable). These are the bands most
/// vendors' connection managers show as bars; they are advice, not a standard.
public enum SignalQuality: String, Codable, Sendable {
    case excellent, good, fair, poor, none, unknown

    public static func fromRSRP(_ dbm: Double) -> SignalQuality {
        if dbm >= -80 { return .excellent }
        if dbm >= -90 { return .good }
        if dbm >= -100 { return .fair }
        if dbm >= -120 { return .poor }
        return .none
    }

    public static func fromRSSI(_ dbm: Int) -> SignalQuality {
        if dbm >= -65 { return .excellent }
        if dbm >= -75 { return .good }
        if dbm >= -85 { return .fair }
        if dbm >= -105 { return .poor }
        return .none
    }
}

/// Everything an AT port told us. Every field is optional: a partial probe is still a result.
public struct ModemFacts: Codable, Sendable, Hashable {
    public var manufacturer: String?
    public var model: String?
    public var firmware: String?
    public var imei: String?
    /// `ATI` as the modem printed it (first lines only), for odd devices whose +CGMx fail.
    public var identification: String?
    public var sim: SIMFacts?
    public var registration: RegistrationFacts?
    public var signal: SignalFacts?
    /// `+CFUN?`: 1 full, 0 minimum, 4 airplane (radio off) ...
    public var functionality: Int?
    /// Vendor command replies by command, kept raw (escaped on output) for the agent.
    public var vendor: [String: String]?
    /// Radio switches (MBIM); `functionality` is 4 when either is off.
    public var radio: RadioFacts?
    /// IMS registration and voice over IMS, where the device says.
    public var ims: IMSFacts?
    /// The radio technologies the device can use (`gsm`, `umts`, `lte`, `nr5g`), from
    /// `+WS46=?`; unknown when it did not say.
    public var technologies: [String]?
    /// Packet data contexts (APN, active, address), where the profile asks.
    public var dataContexts: [DataContext]?
    /// The firmware's carrier configuration, where the vendor reports one.
    public var carrierConfig: CarrierConfigFacts?
    /// Bands the modem is set to use.
    public var bands: BandFacts?
    /// The USB network function the modem is set to present: `qmi`, `ecm`, `mbim`, `rndis`, `ncm`.
    public var usbNetMode: String?
    public init() {}

    public var isEmpty: Bool { self == ModemFacts() }
}
