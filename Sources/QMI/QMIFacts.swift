import TMDiagCore

/// Turns parsed QMI replies into the one model, `ModemFacts`. Pure: no I/O.
public struct QMIFactsBuilder: Sendable {
    public var facts = ModemFacts()
    public init() {}

    public mutating func add(manufacturer: String?) { if let v = manufacturer { facts.manufacturer = v } }
    public mutating func add(model: String?) { if let v = model { facts.model = v } }
    public mutating func add(revision: String?) { if let v = revision { facts.firmware = v } }

    public mutating func add(_ ids: QMIDeviceIDs) {
        if let imei = ids.imei, (14...15).contains(imei.count), imei.allSatisfy(\.isASCIIDigit) { facts.imei = imei }
    }

    public mutating func add(_ m: QMIOperatingMode) {
        if let f = m.functionality { facts.functionality = f }
        if m.hardwareRestricted == true { facts.radio = RadioFacts(hardware: false, software: m.mode == 0) }
    }

    public mutating func add(iccid: String?) {
        guard var v = iccid, !v.isEmpty else { return }
        if v.hasSuffix("F") || v.hasSuffix("f") { v.removeLast() }
        var sim = facts.sim ?? SIMFacts()
        sim.iccid = v
        facts.sim = sim
    }

    public mutating func add(imsi: String?) {
        guard let v = imsi, !v.isEmpty else { return }
        var sim = facts.sim ?? SIMFacts()
        sim.imsi = v
        facts.sim = sim
    }

    public mutating func add(msisdn: String?) {
        guard let v = msisdn, !v.isEmpty else { return }
        var sim = facts.sim ?? SIMFacts()
        sim.msisdn = v
        facts.sim = sim
    }

    /// Card status: SIM state, PIN1 and PUK1 attempts left. As ModemManager reads it: the
    /// application's state says whether it is usable; its PIN1 state (or the card's UPIN
    /// state where UPIN replaces PIN1) says which code it waits for.
    public mutating func add(_ c: QMICardStatus) {
        var sim = facts.sim ?? SIMFacts()
        guard let (card, app) = c.primary else {
            sim.state = .absent
            sim.detail = "no card"
            facts.sim = sim
            return
        }
        switch card.state {
        case 0:
            sim.state = .absent
            sim.detail = "card absent"
        case 2:
            sim.state = .failure
            sim.detail = "card error \(card.errorCode)"
        default:
            guard let app else {
                sim.state = .unknown
                sim.detail = "no SIM application"
                break
            }
            let pinState = app.upinReplacesPin1 ? card.upinState : app.pin1State
            sim.pinRetries = Int(app.upinReplacesPin1 ? card.upinRetries : app.pin1Retries)
            sim.pukRetries = Int(app.upinReplacesPin1 ? card.upukRetries : app.puk1Retries)
            switch app.state {
            case 2, 3, 5, 7:
                switch pinState {
                case 5: sim.state = .failure; sim.detail = "PIN1 permanently blocked"
                case 4: sim.state = .pukRequired; sim.detail = "PUK1 required"
                case 1: sim.state = .pinRequired; sim.detail = "PIN1 required"
                default:
                    sim.state = app.state == 7 ? .ready : (app.state == 2 ? .pinRequired : .pukRequired)
                    sim.detail = app.state == 7 ? "ready" : nil
                }
            case 4:
                sim.state = .pinRequired
                sim.detail = "personalization (network lock) check"
            case 6:
                sim.state = .failure
                sim.detail = "illegal application"
            default:
                sim.state = .unknown
                sim.detail = "application initializing"
            }
        }
        facts.sim = sim
    }

    /// Home network: the SIM's operator.
    public mutating func add(_ h: QMIHomeNetwork) {
        var sim = facts.sim ?? SIMFacts()
        sim.operator = OperatorInfo(name: h.description, mcc: Self.mcc(h.mcc), mnc: Self.mnc(h.mnc, threeDigits: h.mncHasThreeDigits))
        facts.sim = sim
    }

    /// Serving system: registration state, roaming, operator, technology.
    public mutating func add(_ s: QMIServingSystem) {
        var reg = facts.registration ?? RegistrationFacts()
        switch s.registrationState {
        case QMIServingSystem.registered: reg.state = s.roamingIndicator == 0 ? .roaming : .home
        case QMIServingSystem.searching: reg.state = .searching
        case QMIServingSystem.denied: reg.state = .denied
        case QMIServingSystem.notRegistered: reg.state = .notRegistered
        default: reg.state = .unknown
        }
        if let mcc = s.mcc, let mnc = s.mnc, mcc != 0xFFFF {
            reg.operator = OperatorInfo(name: s.networkDescription, mcc: Self.mcc(mcc), mnc: Self.mnc(mnc, threeDigits: s.mncHasThreeDigits))
        }
        reg.technology = Self.technology(s.radioInterfaces) ?? reg.technology
        facts.registration = reg
    }

    /// System info: the registration reject cause (EMM on LTE, MM/GMM on GSM and WCDMA).
    public mutating func add(_ s: QMISystemInfo) {
        guard let r = s.reject.first else { return }
        var reg = facts.registration ?? RegistrationFacts()
        guard !reg.state.isRegistered else { return }
        reg.rejectCause = RejectCause(kind: r.technology == "lte" ? "emm" : "gmm", code: Int(r.cause))
        facts.registration = reg
    }

    /// Signal info: RSRP/RSRQ/SNR on LTE and NR, RSSI elsewhere; quality from RSRP when known.
    public mutating func add(_ s: QMISignalInfo) {
        var sig = SignalFacts()
        sig.rssiDbm = s.lteRssi ?? s.wcdmaRssi ?? s.gsmRssi
        if let rsrp = s.lteRsrp { sig.rsrpDbm = Double(rsrp) } else if let rsrp = s.nrRsrp { sig.rsrpDbm = Double(rsrp) }
        sig.rsrqDb = s.lteRsrq.map(Double.init)
        sig.sinrDb = s.lteSnr ?? s.nrSnr
        sig.ecnoDb = s.wcdmaEcio
        sig.quality = Self.quality(sig)
        facts.signal = sig
    }

    /// Signal strength (the older message), when signal info is not supported.
    public mutating func add(_ s: QMISignalStrength) {
        var sig = SignalFacts()
        sig.rssiDbm = s.strength
        sig.rsrpDbm = s.lteRsrp.map(Double.init)
        sig.sinrDb = s.lteSnr
        sig.rsrqDb = s.rsrq.map(Double.init)
        sig.quality = Self.quality(sig)
        facts.signal = sig
    }

    static func quality(_ s: SignalFacts) -> SignalQuality {
        if let rsrp = s.rsrpDbm { return SignalQuality.fromRSRP(rsrp) }
        if let rssi = s.rssiDbm { return SignalQuality.fromRSSI(rssi) }
        return .unknown
    }

    /// Radio interfaces as the AT side's technology words: LTE with NR is 5G NSA, NR alone SA.
    static func technology(_ radios: [Int8]) -> String? {
        let set = Set(radios)
        if set.contains(12) { return set.contains(8) ? "nr5g-nsa" : "nr5g-sa" }
        if set.contains(8) { return "lte" }
        if set.contains(5) || set.contains(9) { return "umts" }
        if set.contains(4) { return "gsm" }
        if set.contains(1) || set.contains(2) { return "cdma" }
        return nil
    }

    static func mcc(_ v: UInt16) -> String { pad(v, 3) }

    /// Two digits unless the modem says three (or the value needs them).
    static func mnc(_ v: UInt16, threeDigits: Bool?) -> String { pad(v, threeDigits == true || v >= 100 ? 3 : 2) }

    static func pad(_ v: UInt16, _ n: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, n - s.count)) + s
    }
}
