/// Why an information buffer could not be read: which field, and what was wrong with it.
public struct MBIMDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var what: String
    public init(_ what: String) { self.what = what }
    public var description: String { what }
}

/// A bounds-checked reader over one information buffer. Every offset and length a device
/// sends is checked against the buffer before it is used.
///
/// Strings (MBIM 1.0 §10.3): a pair of u32 (offset, byte length), the offset counted from the
/// start of the enclosing structure (the buffer itself for top-level fields), UTF-16LE, padded
/// to 4 bytes; length 0 means none.
public struct MBIMBufferReader: Sendable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func u32(_ at: Int, _ field: String) throws(MBIMDecodeError) -> UInt32 {
        guard let v = bytes.u32(at) else { throw MBIMDecodeError("\(field): the buffer ends at \(bytes.count) bytes, before offset \(at)") }
        return v
    }

    public func u16(_ at: Int, _ field: String) throws(MBIMDecodeError) -> UInt16 {
        guard let v = bytes.u16(at) else { throw MBIMDecodeError("\(field): the buffer ends at \(bytes.count) bytes, before offset \(at)") }
        return v
    }

    public func u64(_ at: Int, _ field: String) throws(MBIMDecodeError) -> UInt64 {
        guard let v = bytes.u64(at) else { throw MBIMDecodeError("\(field): the buffer ends at \(bytes.count) bytes, before offset \(at)") }
        return v
    }

    /// The string whose (offset, length) pair is at `at`; nil when its length is 0. `base` is
    /// where the enclosing structure starts; `fixedEnd` where its fixed part ends (data never
    /// starts inside it).
    public func string(pairAt at: Int, base: Int = 0, fixedEnd: Int, _ field: String) throws(MBIMDecodeError) -> String? {
        let offset = Int(try u32(at, field + " offset"))
        let length = Int(try u32(at + 4, field + " length"))
        if length == 0 { return nil }
        guard length % 2 == 0 else { throw MBIMDecodeError("\(field): an odd byte length (\(length)) for UTF-16") }
        guard offset >= fixedEnd - base, base + offset <= bytes.count, length <= bytes.count - (base + offset) else {
            throw MBIMDecodeError("\(field): \(length) bytes at offset \(offset) lie outside the \(bytes.count)-byte buffer")
        }
        let start = base + offset
        var units: [UInt16] = []
        units.reserveCapacity(length / 2)
        var i = start
        while i < start + length {
            units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
            i += 2
        }
        while units.last == 0 { units.removeLast() }
        return units.isEmpty ? nil : String(decoding: units, as: UTF16.self)
    }

    /// Whether the pair at `at` is an empty string or one that lies wholly in the data part
    /// (after `fixedEnd`), 4-byte aligned, of an even length: how a layout guess is checked.
    func pairFits(at: Int, fixedEnd: Int) -> Bool {
        guard let offset = bytes.u32(at).map(Int.init), let length = bytes.u32(at + 4).map(Int.init) else { return false }
        if length == 0 { return offset == 0 || (offset >= fixedEnd && offset <= bytes.count) }
        return offset >= fixedEnd && offset % 4 == 0 && length % 2 == 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    /// The smallest offset of a non-empty string among the pairs at `pairs`: where the data part
    /// begins (libmbim and the devices write it right after the fixed part).
    func firstDataOffset(pairs: [Int]) -> Int? {
        pairs.compactMap { at -> Int? in
            guard let o = bytes.u32(at), let l = bytes.u32(at + 4), l > 0 else { return nil }
            return Int(o)
        }.min()
    }
}

// MARK: - Basic Connect replies (MBIM 1.0 §10.5, libmbim data/mbim-service-basic-connect.json;
// MBIMEx layouts from data/mbim-service-ms-basic-connect-v2.json and -v3.json)

/// DEVICE_CAPS (CID 1): 8 u32, then CustomDataClass, DeviceId, FirmwareInfo, HardwareInfo.
/// No manufacturer: MBIM has none. The layout is the same under MBIMEx (v3 changes the
/// extensions service's DEVICE_CAPS, not this one).
public struct MBIMDeviceCaps: Sendable, Equatable {
    public var deviceType: UInt32
    public var cellularClass: UInt32
    public var voiceClass: UInt32
    public var simClass: UInt32
    public var dataClass: UInt32
    public var smsCaps: UInt32
    public var controlCaps: UInt32
    public var maxSessions: UInt32
    public var customDataClass: String?
    /// IMEI on 3GPP devices, ESN/MEID on CDMA ones.
    public var deviceId: String?
    public var firmwareInfo: String?
    public var hardwareInfo: String?

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMDeviceCaps {
        let r = MBIMBufferReader(b)
        let fixed = 64
        return MBIMDeviceCaps(
            deviceType: try r.u32(0, "DeviceType"), cellularClass: try r.u32(4, "CellularClass"),
            voiceClass: try r.u32(8, "VoiceClass"), simClass: try r.u32(12, "SimClass"),
            dataClass: try r.u32(16, "DataClass"), smsCaps: try r.u32(20, "SmsCaps"),
            controlCaps: try r.u32(24, "ControlCaps"), maxSessions: try r.u32(28, "MaxSessions"),
            customDataClass: try r.string(pairAt: 32, fixedEnd: fixed, "CustomDataClass"),
            deviceId: try r.string(pairAt: 40, fixedEnd: fixed, "DeviceId"),
            firmwareInfo: try r.string(pairAt: 48, fixedEnd: fixed, "FirmwareInfo"),
            hardwareInfo: try r.string(pairAt: 56, fixedEnd: fixed, "HardwareInfo"))
    }
}

/// SUBSCRIBER_READY_STATUS (CID 2). MBIM 1.0: ReadyState, SubscriberId (IMSI), SimIccId,
/// ReadyInfo, TelephoneNumbersCount, TelephoneNumbers (pairs). MBIMEx v3 puts a Flags u32 after
/// ReadyState; which one a modem sent is read from the buffer's shape, because a modem that
/// ModemManager switched to v3 keeps answering in v3 to everyone.
public struct MBIMSubscriberReadyStatus: Sendable, Equatable {
    public var readyState: UInt32
    /// v3 only: eSIM, SIM removability.
    public var flags: UInt32?
    public var subscriberId: String?
    public var simIccId: String?
    public var readyInfo: UInt32
    public var telephoneNumbers: [String]
    /// 1 (MBIM 1.0) or 3 (MBIMEx v3).
    public var layout: Int

    public static let notInitialized: UInt32 = 0, initialized: UInt32 = 1, simNotInserted: UInt32 = 2,
                      badSIM: UInt32 = 3, failure: UInt32 = 4, notActivated: UInt32 = 5, deviceLocked: UInt32 = 6,
                      noESIMProfile: UInt32 = 7

    static let stateNames: [UInt32: String] = [0: "not-initialized", 1: "initialized", 2: "sim-not-inserted", 3: "bad-sim",
                                               4: "failure", 5: "not-activated", 6: "device-locked", 7: "no-esim-profile"]
    public var stateName: String { Self.stateNames[readyState] ?? "ready-state-\(readyState)" }

    /// The layout whose string pairs all fit, preferring the one whose data part starts right
    /// after its fixed part (or, with no strings, whose fixed part is the whole buffer).
    static func layout(of b: [UInt8]) -> Int? {
        let r = MBIMBufferReader(b)
        func check(_ flags: Int) -> MBIMLayoutFit {
            let base = 4 + flags
            guard let count = b.u32(base + 20).map(Int.init), count <= 64 else { return .none }
            let fixed = base + 24 + 8 * count
            guard fixed <= b.count else { return .none }
            let pairs = [base, base + 8] + (0..<count).map { base + 24 + 8 * $0 }
            guard pairs.allSatisfy({ r.pairFits(at: $0, fixedEnd: fixed) }) else { return .none }
            let exact = r.firstDataOffset(pairs: pairs).map { $0 == fixed } ?? (b.count == fixed)
            return MBIMLayoutFit(fits: true, exact: exact)
        }
        return MBIMLayoutFit.choose(v1: check(0), v3: check(4))
    }

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMSubscriberReadyStatus {
        guard let layout = layout(of: b) else {
            throw MBIMDecodeError("SUBSCRIBER_READY_STATUS: \(b.count) bytes fit neither the MBIM 1.0 nor the MBIMEx v3 layout")
        }
        let r = MBIMBufferReader(b)
        let base = layout == 3 ? 8 : 4
        let count = Int(try r.u32(base + 20, "TelephoneNumbersCount"))
        let fixed = base + 24 + 8 * count
        var numbers: [String] = []
        for i in 0..<count {
            if let n = try r.string(pairAt: base + 24 + 8 * i, fixedEnd: fixed, "TelephoneNumbers[\(i)]") { numbers.append(n) }
        }
        return MBIMSubscriberReadyStatus(
            readyState: try r.u32(0, "ReadyState"), flags: layout == 3 ? try r.u32(4, "Flags") : nil,
            subscriberId: try r.string(pairAt: base, fixedEnd: fixed, "SubscriberId"),
            simIccId: try r.string(pairAt: base + 8, fixedEnd: fixed, "SimIccId"),
            readyInfo: try r.u32(base + 16, "ReadyInfo"), telephoneNumbers: numbers, layout: layout)
    }
}

/// RADIO_STATE (CID 3): HwRadioState, SwRadioState (0 off, 1 on).
public struct MBIMRadioState: Sendable, Equatable {
    public var hardwareOn: Bool
    public var softwareOn: Bool

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMRadioState {
        let r = MBIMBufferReader(b)
        return MBIMRadioState(hardwareOn: try r.u32(0, "HwRadioState") == 1, softwareOn: try r.u32(4, "SwRadioState") == 1)
    }
}

/// PIN (CID 4) query: PinType (the PIN the device waits for, or the last one), PinState
/// (0 unlocked, 1 locked), RemainingAttempts (0xFFFFFFFF unknown).
public struct MBIMPinInfo: Sendable, Equatable {
    public var pinType: UInt32
    public var locked: Bool
    public var remainingAttempts: UInt32?

    public static let pin1: UInt32 = 2, puk1: UInt32 = 11
    static let typeNames: [UInt32: String] = [0: "unknown", 1: "custom", 2: "PIN1", 3: "PIN2", 4: "device SIM PIN",
                                              5: "device first SIM PIN", 6: "network PIN", 7: "network subset PIN",
                                              8: "service provider PIN", 9: "corporate PIN", 10: "subsidy PIN", 11: "PUK1",
                                              12: "PUK2", 13: "device first SIM PUK", 14: "network PUK", 15: "network subset PUK",
                                              16: "service provider PUK", 17: "corporate PUK"]
    public var typeName: String { Self.typeNames[pinType] ?? "PIN type \(pinType)" }

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMPinInfo {
        let r = MBIMBufferReader(b)
        let left = try r.u32(8, "RemainingAttempts")
        return MBIMPinInfo(pinType: try r.u32(0, "PinType"), locked: try r.u32(4, "PinState") == 1,
                           remainingAttempts: left == 0xFFFF_FFFF ? nil : left)
    }
}

/// HOME_PROVIDER (CID 6): one MbimProvider structure inline at the buffer's start
/// (ProviderId, ProviderState, ProviderName, CellularClass, Rssi, ErrorRate).
public struct MBIMProvider: Sendable, Equatable {
    public var providerId: String?
    public var providerState: UInt32
    public var providerName: String?
    public var cellularClass: UInt32

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMProvider {
        let r = MBIMBufferReader(b)
        let fixed = 32
        return MBIMProvider(providerId: try r.string(pairAt: 0, fixedEnd: fixed, "ProviderId"),
                            providerState: try r.u32(8, "ProviderState"),
                            providerName: try r.string(pairAt: 12, fixedEnd: fixed, "ProviderName"),
                            cellularClass: try r.u32(20, "CellularClass"))
    }
}

/// REGISTER_STATE (CID 9): NwError (the 3GPP reject cause), RegisterState, RegisterMode,
/// AvailableDataClasses, CurrentCellularClass, ProviderId, ProviderName, RoamingText,
/// RegistrationFlag; MBIMEx v2 appends PreferredDataClasses.
public struct MBIMRegisterState: Sendable, Equatable {
    public var nwError: UInt32
    public var registerState: UInt32
    public var registerMode: UInt32
    public var availableDataClasses: UInt32
    public var currentCellularClass: UInt32
    public var providerId: String?
    public var providerName: String?
    public var roamingText: String?
    public var registrationFlag: UInt32
    public var preferredDataClasses: UInt32?

    public static let unknown: UInt32 = 0, deregistered: UInt32 = 1, searching: UInt32 = 2, home: UInt32 = 3,
                      roaming: UInt32 = 4, partner: UInt32 = 5, denied: UInt32 = 6

    public var layout: Int { preferredDataClasses == nil ? 1 : 2 }

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMRegisterState {
        let r = MBIMBufferReader(b)
        // Strings start after the fixed part of whichever layout the modem used.
        let v2 = b.count >= 52 && MBIMBufferReader(b).firstDataOffset(pairs: [20, 28, 36]).map { $0 >= 52 } ?? (b.count == 52)
        let fixed = v2 ? 52 : 48
        return MBIMRegisterState(
            nwError: try r.u32(0, "NwError"), registerState: try r.u32(4, "RegisterState"),
            registerMode: try r.u32(8, "RegisterMode"), availableDataClasses: try r.u32(12, "AvailableDataClasses"),
            currentCellularClass: try r.u32(16, "CurrentCellularClass"),
            providerId: try r.string(pairAt: 20, fixedEnd: fixed, "ProviderId"),
            providerName: try r.string(pairAt: 28, fixedEnd: fixed, "ProviderName"),
            roamingText: try r.string(pairAt: 36, fixedEnd: fixed, "RoamingText"),
            registrationFlag: try r.u32(44, "RegistrationFlag"),
            preferredDataClasses: v2 ? try r.u32(48, "PreferredDataClasses") : nil)
    }
}

/// PACKET_SERVICE (CID 10): NwError, PacketServiceState (2 attached, 4 detached), the data
/// class, uplink and downlink speeds; v2 appends FrequencyRange; v3 DataSubclass and the TAI
/// (MCC u16, MNC u16, TAC u32), and its data class uses the v3 bits (bit 6 = any 5G).
public struct MBIMPacketService: Sendable, Equatable {
    public var nwError: UInt32
    public var state: UInt32
    public var dataClass: UInt32
    public var uplinkSpeed: UInt64
    public var downlinkSpeed: UInt64
    public var frequencyRange: UInt32?
    public var dataSubclass: UInt32?
    public var tac: UInt32?
    public var layout: Int

    public static let attached: UInt32 = 2, detached: UInt32 = 4

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMPacketService {
        let r = MBIMBufferReader(b)
        let layout = b.count >= 44 ? 3 : (b.count >= 32 ? 2 : 1)
        return MBIMPacketService(
            nwError: try r.u32(0, "NwError"), state: try r.u32(4, "PacketServiceState"), dataClass: try r.u32(8, "DataClass"),
            uplinkSpeed: try r.u64(12, "UplinkSpeed"), downlinkSpeed: try r.u64(20, "DownlinkSpeed"),
            frequencyRange: layout >= 2 ? try r.u32(28, "FrequencyRange") : nil,
            dataSubclass: layout >= 3 ? try r.u32(32, "DataSubclass") : nil,
            tac: layout >= 3 ? try r.u32(40, "Tai.Tac") : nil, layout: layout)
    }
}

/// SIGNAL_STATE (CID 11): Rssi (0-31 → -113 + 2n dBm, 99 unknown), ErrorRate (0-7, 99
/// unknown), three reporting settings; MBIMEx v2 appends RsrpSnr, an (offset, size) pair to a
/// u32 count followed by that many {Rsrp, Snr, RsrpThreshold, SnrThreshold, SystemType}.
public struct MBIMSignalState: Sendable, Equatable {
    public struct RsrpSnr: Sendable, Equatable {
        /// 0-126 → -157 + n dBm; 127 and above unknown (libmbim's mbimcli).
        public var rsrp: UInt32
        /// 0-127 → -23.5 + n/2 dB; 128 and above unknown.
        public var snr: UInt32
        public var systemType: UInt32
        public var rsrpDbm: Double? { rsrp < 127 ? Double(-157 + Int(rsrp)) : nil }
        public var snrDb: Double? { snr < 128 ? -23.5 + Double(snr) * 0.5 : nil }
    }

    public var rssi: UInt32
    public var errorRate: UInt32
    public var rsrpSnr: [RsrpSnr]
    public var layout: Int

    public var rssiDbm: Int? { rssi <= 31 ? -113 + 2 * Int(rssi) : nil }

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMSignalState {
        let r = MBIMBufferReader(b)
        var out = MBIMSignalState(rssi: try r.u32(0, "Rssi"), errorRate: try r.u32(4, "ErrorRate"), rsrpSnr: [], layout: 1)
        guard b.count >= 28 else { return out }
        out.layout = 2
        let offset = Int(try r.u32(20, "RsrpSnr offset"))
        guard offset != 0 else { return out }
        guard offset >= 28, offset <= b.count - 4 else {
            throw MBIMDecodeError("RsrpSnr: offset \(offset) lies outside the \(b.count)-byte buffer")
        }
        let count = Int(try r.u32(offset, "RsrpSnr count"))
        guard count <= (b.count - offset - 4) / 20 else {
            throw MBIMDecodeError("RsrpSnr: \(count) entries do not fit the \(b.count)-byte buffer")
        }
        for i in 0..<count {
            let at = offset + 4 + 20 * i
            out.rsrpSnr.append(RsrpSnr(rsrp: try r.u32(at, "Rsrp"), snr: try r.u32(at + 4, "Snr"),
                                       systemType: try r.u32(at + 16, "SystemType")))
        }
        return out
    }
}

/// Data classes as technology words (the AT side's words): MBIM 1.0 bits, or MBIMEx v3's where
/// bit 6 is any 5G and the subclass says which.
public enum MBIMDataClass {
    public static func technology(_ c: UInt32, v3: Bool = false, subclass: UInt32? = nil) -> String? {
        if v3, c & 1 << 6 != 0 {
            // DataSubclass: 1 ENDC, 2 NR, 4 NEDC, 16 NGENDC.
            if let s = subclass, s & (1 | 4 | 16) != 0 { return "nr5g-nsa" }
            return "nr5g-sa"
        }
        if !v3, c & 1 << 7 != 0 { return "nr5g-sa" }
        if !v3, c & 1 << 6 != 0 { return "nr5g-nsa" }
        if c & 1 << 5 != 0 { return "lte" }
        if c & (1 << 3 | 1 << 4) != 0 { return "hspa" }
        if c & 1 << 2 != 0 { return "umts" }
        if c & 1 << 1 != 0 { return "edge" }
        if c & 1 << 0 != 0 { return "gsm" }
        if c & 0x007F_0000 != 0 { return "cdma" }
        return nil
    }
}
