import TMDiagCore

/// Turns parsed MBIM replies into the one model, `ModemFacts`. Pure: no I/O, each reply one
/// call, in any order the client got them.
public struct MBIMFactsBuilder: Sendable {
    public var facts = ModemFacts()
    public init() {}

    /// DEVICE_CAPS: firmware, hardware (MBIM has no model string; HardwareInfo is the nearest,
    /// e.g. `EM7455`), and the device id, which is the IMEI on a 3GPP modem.
    public mutating func add(_ caps: MBIMDeviceCaps) {
        facts.firmware = caps.firmwareInfo ?? facts.firmware
        facts.model = caps.hardwareInfo ?? facts.model
        // A CDMA device id (ESN, MEID) is no IMEI: only 14-15 digits count.
        if let id = caps.deviceId, (14...15).contains(id.count), id.allSatisfy(\.isASCIIDigit) { facts.imei = id }
    }

    /// SUBSCRIBER_READY_STATUS: SIM state, IMSI, ICCID, own number.
    public mutating func add(_ s: MBIMSubscriberReadyStatus) {
        var sim = facts.sim ?? SIMFacts()
        switch s.readyState {
        case MBIMSubscriberReadyStatus.initialized, MBIMSubscriberReadyStatus.notActivated: sim.state = .ready
        case MBIMSubscriberReadyStatus.simNotInserted, MBIMSubscriberReadyStatus.noESIMProfile: sim.state = .absent
        case MBIMSubscriberReadyStatus.badSIM, MBIMSubscriberReadyStatus.failure: sim.state = .failure
        // Which PIN (or PUK) the device waits for comes from the PIN query.
        case MBIMSubscriberReadyStatus.deviceLocked: sim.state = sim.state == .pukRequired ? .pukRequired : .pinRequired
        default: sim.state = .unknown
        }
        sim.detail = s.stateName
        if let v = s.subscriberId { sim.imsi = v }
        // ICCIDs may end in F padding (as +CCID gives them); the AT side drops it too.
        if var v = s.simIccId {
            if v.hasSuffix("F") || v.hasSuffix("f") { v.removeLast() }
            sim.iccid = v
        }
        if let v = s.telephoneNumbers.first { sim.msisdn = v }
        facts.sim = sim
    }

    /// PIN: which PIN is asked for and how many attempts are left.
    public mutating func add(_ p: MBIMPinInfo) {
        var sim = facts.sim ?? SIMFacts()
        if p.pinType == MBIMPinInfo.pin1 {
            sim.pinRetries = p.remainingAttempts.map(Int.init) ?? sim.pinRetries
            if p.locked { sim.state = .pinRequired }
        } else if p.pinType == MBIMPinInfo.puk1 {
            sim.pukRetries = p.remainingAttempts.map(Int.init) ?? sim.pukRetries
            if p.locked { sim.state = .pukRequired }
        } else if p.locked {
            sim.state = .pinRequired
            sim.detail = (sim.detail.map { $0 + ", " } ?? "") + p.typeName + " required"
        }
        facts.sim = sim
    }

    /// RADIO_STATE: the switches; functionality 4 (as `+CFUN: 4`, radio off) when either is off.
    public mutating func add(_ r: MBIMRadioState) {
        facts.radio = RadioFacts(hardware: r.hardwareOn, software: r.softwareOn)
        facts.functionality = r.hardwareOn && r.softwareOn ? 1 : 4
    }

    /// HOME_PROVIDER: the SIM's operator.
    public mutating func add(home p: MBIMProvider) {
        let op = Self.operatorInfo(id: p.providerId, name: p.providerName)
        guard !op.isEmpty else { return }
        var sim = facts.sim ?? SIMFacts()
        sim.operator = op
        facts.sim = sim
    }

    /// REGISTER_STATE: state, serving operator, technology, reject cause (NwError is the 3GPP
    /// cause of TS 24.008 / 24.301: EMM on LTE and 5G, GMM/MM below).
    public mutating func add(_ r: MBIMRegisterState) {
        var reg = facts.registration ?? RegistrationFacts()
        reg.state = switch r.registerState {
        case MBIMRegisterState.home: .home
        case MBIMRegisterState.roaming, MBIMRegisterState.partner: .roaming
        case MBIMRegisterState.searching: .searching
        case MBIMRegisterState.denied: .denied
        case MBIMRegisterState.deregistered: .notRegistered
        default: .unknown
        }
        // Domain lines made from BASE_STATIONS_INFO take the state REGISTER_STATE says.
        for i in reg.domains.indices {
            reg.domains[i].state = reg.state
            reg.domains[i].stat = Self.stat(reg.state)
        }
        let op = Self.operatorInfo(id: r.providerId, name: r.providerName)
        if !op.isEmpty { reg.operator = op }
        if reg.technology == nil { reg.technology = MBIMDataClass.technology(r.availableDataClasses) }
        if r.nwError != 0, !reg.state.isRegistered {
            reg.rejectCause = RejectCause(kind: Self.causeKind(technology: reg.technology), code: Int(r.nwError))
        }
        facts.registration = reg
    }

    /// PACKET_SERVICE: the data class in use while attached is the precise technology.
    public mutating func add(_ p: MBIMPacketService) {
        guard p.state == MBIMPacketService.attached,
              let tech = MBIMDataClass.technology(p.dataClass, v3: p.layout == 3, subclass: p.dataSubclass) else { return }
        var reg = facts.registration ?? RegistrationFacts()
        reg.technology = tech
        facts.registration = reg
    }

    /// SIGNAL_STATE: RSSI on the `+CSQ` scale (the same 0-31/99 coding), RSRP and SNR from the
    /// MBIMEx v2 list; the quality word from RSRP when known, else from RSSI.
    public mutating func add(_ s: MBIMSignalState) {
        var sig = SignalFacts()
        sig.csq = Int(s.rssi)
        sig.rssiDbm = s.rssiDbm
        if s.errorRate <= 7 { sig.ber = Int(s.errorRate) }
        if let best = s.rsrpSnr.first(where: { $0.rsrpDbm != nil }) {
            sig.rsrpDbm = best.rsrpDbm
            sig.sinrDb = best.snrDb
        }
        if let rsrp = sig.rsrpDbm {
            sig.quality = SignalQuality.fromRSRP(rsrp)
        } else if let rssi = sig.rssiDbm {
            sig.quality = SignalQuality.fromRSSI(rssi)
        } else {
            sig.quality = s.rssi == 99 ? .unknown : .none
        }
        facts.signal = sig
    }

    /// `310260` → MCC 310, MNC 260; `23415` → 234, 15. Names are kept as the modem sent them.
    static func operatorInfo(id: String?, name: String?) -> OperatorInfo {
        var op = OperatorInfo(name: name)
        if let id, id.count == 5 || id.count == 6, id.allSatisfy(\.isASCIIDigit) {
            op.mcc = String(id.prefix(3))
            op.mnc = String(id.dropFirst(3))
        }
        return op
    }

    static func causeKind(technology: String?) -> String {
        switch technology {
        case "gsm", "edge", "umts", "hspa", "hspa+": "gmm"
        default: "emm"
        }
    }
}
