/// Parsed replies, one type per message, each from its TLVs with bounds checks. Layouts from
/// libqmi `data/qmi-service-*.json`; enum values from `qmi-enums-*.h`.

/// DMS Get IDs (0x0025): 0x10 ESN, 0x11 IMEI, 0x12 MEID, 0x13 IMEI SV, each a whole-TLV string.
public struct QMIDeviceIDs: Sendable, Equatable {
    public var esn: String?
    public var imei: String?
    public var meid: String?
    public var imeiSV: String?

    public static func parse(_ t: QMITLVs) -> QMIDeviceIDs {
        QMIDeviceIDs(esn: t.string(0x10), imei: t.string(0x11), meid: t.string(0x12), imeiSV: t.string(0x13))
    }
}

/// DMS Get Operating Mode (0x002D): 0x01 mode (0 online, 1 low power, 2 factory test,
/// 3 offline, 4 reset, 5 shutting down, 6 persistent low power, 7 mode-only low power),
/// 0x11 hardware restricted (an RF-kill switch or FCC lock).
public struct QMIOperatingMode: Sendable, Equatable {
    public var mode: UInt8
    public var hardwareRestricted: Bool?

    static let names: [UInt8: String] = [0: "online", 1: "low-power", 2: "factory-test", 3: "offline", 4: "reset",
                                         5: "shutting-down", 6: "persistent-low-power", 7: "mode-only-low-power"]
    public var name: String { Self.names[mode] ?? "mode \(mode)" }

    public static func parse(_ t: QMITLVs) throws(QMIDecodeError) -> QMIOperatingMode {
        guard let v = t[0x01], let mode = v.first else { throw QMIDecodeError("Get Operating Mode: no Mode TLV (0x01)") }
        return QMIOperatingMode(mode: mode, hardwareRestricted: t[0x11]?.first.map { $0 != 0 })
    }

    /// The `+CFUN` level it amounts to: 1 online, 4 radio off (low power), 0 offline.
    public var functionality: Int? {
        switch mode {
        case 0: 1
        case 1, 6, 7: 4
        case 3: 0
        default: nil
        }
    }
}

/// NAS Get Serving System (0x0024).
public struct QMIServingSystem: Sendable, Equatable {
    /// 0 not registered, 1 registered, 2 searching, 3 denied, 4 unknown.
    public var registrationState: UInt8
    public var csAttached: UInt8
    public var psAttached: UInt8
    /// 0 unknown, 1 3GPP2, 2 3GPP.
    public var selectedNetwork: UInt8
    /// QmiNasRadioInterface: 1 cdma1x, 2 evdo, 4 gsm, 5 umts, 8 lte, 9 td-scdma, 12 5G NR.
    public var radioInterfaces: [Int8]
    /// TLV 0x10: 0 roaming, 1 home.
    public var roamingIndicator: UInt8?
    public var mcc: UInt16?
    public var mnc: UInt16?
    public var networkDescription: String?
    /// TLV 0x27: whether the MNC has three digits.
    public var mncHasThreeDigits: Bool?
    public var lac: UInt16?
    public var cellId: UInt32?
    public var tac: UInt16?

    public static let notRegistered: UInt8 = 0, registered: UInt8 = 1, searching: UInt8 = 2, denied: UInt8 = 3

    public static func parse(_ t: QMITLVs) throws(QMIDecodeError) -> QMIServingSystem {
        guard let v = t[0x01] else { throw QMIDecodeError("Get Serving System: no Serving System TLV (0x01)") }
        var r = QMIReader(v, tlv: "Serving System")
        var s = QMIServingSystem(registrationState: try r.u8("Registration State"), csAttached: try r.u8("CS Attach State"),
                                 psAttached: try r.u8("PS Attach State"), selectedNetwork: try r.u8("Selected Network"),
                                 radioInterfaces: [])
        let n = Int(try r.u8("Radio Interfaces count"))
        for _ in 0..<n { s.radioInterfaces.append(try r.i8("Radio Interface")) }
        s.roamingIndicator = t[0x10]?.first
        if let v = t[0x12] {
            var p = QMIReader(v, tlv: "Current PLMN")
            s.mcc = try p.u16("MCC")
            s.mnc = try p.u16("MNC")
            let d = try p.prefixedString("Description")
            s.networkDescription = d.isEmpty ? nil : d
        }
        if let v = t[0x27] {
            var p = QMIReader(v, tlv: "MNC PCS Digit Include Status")
            _ = try p.u16("MCC")
            _ = try p.u16("MNC")
            s.mncHasThreeDigits = try p.u8("Includes PCS Digit") != 0
        }
        s.lac = t[0x1C]?.u16(0)
        s.cellId = t[0x1D]?.u32(0)
        s.tac = t[0x24]?.u16(0)
        return s
    }
}

/// NAS Get Home Network (0x0025): 0x01 {MCC, MNC, Description}, 0x12 {is 3GPP, 3-digit MNC}.
public struct QMIHomeNetwork: Sendable, Equatable {
    public var mcc: UInt16
    public var mnc: UInt16
    public var description: String?
    public var mncHasThreeDigits: Bool?

    public static func parse(_ t: QMITLVs) throws(QMIDecodeError) -> QMIHomeNetwork {
        guard let v = t[0x01] else { throw QMIDecodeError("Get Home Network: no Home Network TLV (0x01)") }
        var r = QMIReader(v, tlv: "Home Network")
        var h = QMIHomeNetwork(mcc: try r.u16("MCC"), mnc: try r.u16("MNC"), description: nil)
        let d = try r.prefixedString("Description")
        h.description = d.isEmpty ? nil : d
        if let x = t[0x12], x.count >= 2 { h.mncHasThreeDigits = x[1] != 0 }
        return h
    }
}

/// NAS Get Signal Info (0x004F): per technology, in dBm and dB.
public struct QMISignalInfo: Sendable, Equatable {
    public var gsmRssi: Int?
    public var wcdmaRssi: Int?
    /// WCDMA Ec/Io in dB (the TLV carries -0.5 dB units).
    public var wcdmaEcio: Double?
    public var lteRssi: Int?
    public var lteRsrq: Int?
    public var lteRsrp: Int?
    /// LTE SNR in dB (the TLV carries 0.1 dB units).
    public var lteSnr: Double?
    public var nrRsrp: Int?
    public var nrSnr: Double?

    public static func parse(_ t: QMITLVs) throws(QMIDecodeError) -> QMISignalInfo {
        var s = QMISignalInfo()
        if let v = t[0x12], let b = v.first { s.gsmRssi = Int(Int8(bitPattern: b)) }
        if let v = t[0x13] {
            var r = QMIReader(v, tlv: "WCDMA Signal Strength")
            s.wcdmaRssi = Int(try r.i8("RSSI"))
            s.wcdmaEcio = Double(try r.i16("ECIO")) * -0.5
        }
        if let v = t[0x14] {
            var r = QMIReader(v, tlv: "LTE Signal Strength")
            s.lteRssi = Int(try r.i8("RSSI"))
            s.lteRsrq = Int(try r.i8("RSRQ"))
            s.lteRsrp = Int(try r.i16("RSRP"))
            s.lteSnr = Double(try r.i16("SNR")) / 10
        }
        if let v = t[0x17] {
            var r = QMIReader(v, tlv: "5G Signal Strength")
            s.nrRsrp = Int(try r.i16("RSRP"))
            s.nrSnr = Double(try r.i16("SNR")) / 10
        }
        return s
    }

    public var isEmpty: Bool { self == QMISignalInfo() }
}

/// NAS Get Signal Strength (0x0020), the older message: 0x01 {strength dBm, radio interface},
/// 0x16 {RSRQ, radio}, 0x17 LTE SNR (0.1 dB), 0x18 LTE RSRP.
public struct QMISignalStrength: Sendable, Equatable {
    public var strength: Int
    public var radioInterface: Int8
    public var lteRsrp: Int?
    public var lteSnr: Double?
    public var rsrq: Int?

    public static func parse(_ t: QMITLVs) throws(QMIDecodeError) -> QMISignalStrength {
        guard let v = t[0x01] else { throw QMIDecodeError("Get Signal Strength: no Signal Strength TLV (0x01)") }
        var r = QMIReader(v, tlv: "Signal Strength")
        var s = QMISignalStrength(strength: Int(try r.i8("Strength")), radioInterface: try r.i8("Radio Interface"))
        if let v = t[0x18], let x = v.u16(0) { s.lteRsrp = Int(Int16(bitPattern: x)) }
        if let v = t[0x17], let x = v.u16(0) { s.lteSnr = Double(Int16(bitPattern: x)) / 10 }
        if let v = t[0x16], let x = v.first { s.rsrq = Int(Int8(bitPattern: x)) }
        return s
    }
}

/// NAS Get System Info (0x004D): service status per technology and the registration reject
/// cause, which only the v2 system info TLVs carry (GSM 0x17, WCDMA 0x18, LTE 0x19).
public struct QMISystemInfo: Sendable, Equatable {
    public struct Reject: Sendable, Equatable {
        /// `gsm`, `wcdma`, `lte`.
        public var technology: String
        /// QmiNasNetworkServiceDomain: 1 CS, 2 PS, 3 CS+PS.
        public var domain: UInt8
        public var cause: UInt8
    }

    /// QmiNasServiceStatus per technology: 0 none, 1 limited, 2 available, 3 limited regional, 4 power save.
    public var lteServiceStatus: UInt8?
    public var reject: [Reject]
    public var lteTac: UInt16?
    public var lteCellId: UInt32?

    public static func parse(_ t: QMITLVs) throws(QMIDecodeError) -> QMISystemInfo {
        var s = QMISystemInfo(reject: [])
        if let v = t[0x14], let st = v.first { s.lteServiceStatus = st }
        for (type, tech) in [(UInt8(0x19), "lte"), (0x18, "wcdma"), (0x17, "gsm")] {
            guard let v = t[type] else { continue }
            var r = QMIReader(v, tlv: "\(tech.uppercased()) System Info v2")
            // Domain, service capability, roaming, forbidden: each a valid flag and a value.
            _ = try r.raw(8, "Domain .. Forbidden")
            let lacValid = try r.u8("LAC Valid")
            let lac = try r.u16("LAC")
            let cidValid = try r.u8("CID Valid")
            let cid = try r.u32("CID")
            let rejectValid = try r.u8("Registration Reject Info Valid")
            let domain = try r.u8("Registration Reject Domain")
            let cause = try r.u8("Registration Reject Cause")
            if rejectValid != 0, cause != 0 { s.reject.append(Reject(technology: tech, domain: domain, cause: cause)) }
            if tech == "lte" {
                if cidValid != 0 { s.lteCellId = cid }
                _ = lacValid
                _ = lac
                // Network ID (valid, MCC[3], MNC[3]), then TAC valid and TAC.
                if r.bytes.count >= r.at + 7 + 3 {
                    _ = try r.raw(7, "Network ID")
                    let tacValid = try r.u8("TAC Valid")
                    let tac = try r.u16("TAC")
                    if tacValid != 0 { s.lteTac = tac }
                }
            }
        }
        return s
    }
}

/// UIM Get Card Status (0x002F), TLV 0x10: the primary GW application index, then per card
/// its state, UPIN state and retries, error code, and applications with their PIN1/PUK1 state
/// and retries.
public struct QMICardStatus: Sendable, Equatable {
    public struct Application: Sendable, Equatable {
        /// 1 SIM, 2 USIM, 3 RUIM, 4 CSIM, 5 ISIM.
        public var type: UInt8
        /// 0 unknown, 1 detected, 2 PIN1 required, 3 PUK1 required, 4 check personalization,
        /// 5 PIN1 blocked, 6 illegal, 7 ready.
        public var state: UInt8
        public var personalizationState: UInt8
        public var upinReplacesPin1: Bool
        /// QmiUimPinState: 0 not initialized, 1 enabled not verified, 2 enabled verified,
        /// 3 disabled, 4 blocked, 5 permanently blocked.
        public var pin1State: UInt8
        public var pin1Retries: UInt8
        public var puk1Retries: UInt8
    }

    public struct Card: Sendable, Equatable {
        /// 0 absent, 1 present, 2 error.
        public var state: UInt8
        public var upinState: UInt8
        public var upinRetries: UInt8
        public var upukRetries: UInt8
        public var errorCode: UInt8
        public var applications: [Application]
    }

    public var indexGWPrimary: UInt16
    public var cards: [Card]

    public static func parse(_ t: QMITLVs) throws(QMIDecodeError) -> QMICardStatus {
        guard let v = t[0x10] else { throw QMIDecodeError("Get Card Status: no Card Status TLV (0x10)") }
        var r = QMIReader(v, tlv: "Card Status")
        let gw = try r.u16("Index GW Primary")
        _ = try r.raw(6, "Index 1x Primary .. 1x Secondary")
        var out = QMICardStatus(indexGWPrimary: gw, cards: [])
        let cards = Int(try r.u8("Cards count"))
        for _ in 0..<cards {
            var card = Card(state: try r.u8("Card State"), upinState: try r.u8("UPIN State"), upinRetries: try r.u8("UPIN Retries"),
                            upukRetries: try r.u8("UPUK Retries"), errorCode: try r.u8("Error code"), applications: [])
            let apps = Int(try r.u8("Applications count"))
            for _ in 0..<apps {
                let type = try r.u8("Type"), state = try r.u8("State"), perso = try r.u8("Personalization State")
                _ = try r.raw(3, "Personalization Feature, Retries, Unblock Retries")
                let aid = Int(try r.u8("Application Identifier length"))
                _ = try r.raw(aid, "Application Identifier")
                let upin = try r.u8("UPIN replaces PIN1") != 0
                let pin1 = try r.u8("PIN1 State"), pin1Retries = try r.u8("PIN1 Retries"), puk1Retries = try r.u8("PUK1 Retries")
                _ = try r.raw(3, "PIN2 State, Retries, PUK2 Retries")
                card.applications.append(Application(type: type, state: state, personalizationState: perso, upinReplacesPin1: upin,
                                                      pin1State: pin1, pin1Retries: pin1Retries, puk1Retries: puk1Retries))
            }
            out.cards.append(card)
        }
        return out
    }

    /// The card and the 3GPP application the modem uses: the GW primary index (slot << 8 |
    /// application) when set, else the first present card's first SIM or USIM application.
    public var primary: (card: Card, application: Application?)? {
        if indexGWPrimary != 0xFFFF {
            let slot = Int(indexGWPrimary >> 8), app = Int(indexGWPrimary & 0xFF)
            if slot < cards.count {
                let card = cards[slot]
                return (card, app < card.applications.count ? card.applications[app] : nil)
            }
        }
        guard let card = cards.first(where: { $0.state == 1 }) ?? cards.first else { return nil }
        return (card, card.applications.first { $0.type == 1 || $0.type == 2 } ?? card.applications.first)
    }
}
