import Foundation

/// A fake MBIM function, written from the MBIM 1.0 specification and libmbim's message
/// layouts independently of tmdiag's own codec (so a bug shared by both cannot hide): it keeps
/// the function's state (closed, open, a data context up), answers OPEN, CLOSE and the Basic
/// Connect queries from a scenario, logs every message, and flags whatever is not on its own
/// read-only allowlist.
public struct FakeMBIMModem: FakeWWANModel {
    public struct Behaviour: Sendable {
        public var scenario = "healthy"
        /// Send nothing, ever.
        public var silent = false
        /// Answer every message with bytes that are no MBIM message.
        public var garbage = false
        /// The function is already open when the fake starts (a program opened it and exited
        /// without CLOSE), with a data context up; OPEN or CLOSE would tear that down.
        public var openAtStart = false
        public var contextAtStart = false
        /// Split every COMMAND_DONE into fragments of at most this many bytes.
        public var fragmentSize: Int?
        /// Layouts of MBIMEx: 1 (MBIM 1.0), 2 or 3 (REGISTER_STATE/SIGNAL_STATE v2, PACKET_SERVICE
        /// and SUBSCRIBER_READY_STATUS v3 where 3).
        public var mbimex = 1
        /// Indications and a stale reply (another transaction id) before each reply.
        public var noiseBeforeReply = 0
        /// The first reply's MessageLength says 1 MiB.
        public var lyingLength = false
        /// Replies stop half way.
        public var truncate = false
        /// Answer queries with endless first fragments, each announcing a million fragments.
        public var fragmentFlood = false
        /// Answer queries with endless indications instead of the reply.
        public var indicationFlood = false
        /// REGISTER_STATE fails (status FAILURE) yet carries its buffer, as MBIM 1.0 §9.4.5 allows.
        public var registerFailureWithBuffer = false
        /// Close the port after this many messages.
        public var hangUpAfter: Int?
        /// DEVICE_SERVICES lists MS Basic Connect Extensions with BASE_STATIONS_INFO, which then
        /// answers an LTE serving cell; otherwise it lists Basic Connect alone, and a query of
        /// the unlisted command is a violation.
        public var cellInfo = false
        public init() {}
    }

    /// Scenarios by name: healthy, sim-absent, pin-required, puk-required, denied, roaming,
    /// radio-off, silent, garbage.
    public static func scenario(_ name: String) -> Behaviour? {
        var b = Behaviour()
        b.scenario = name
        switch name {
        case "healthy": b.cellInfo = true
        case "sim-absent", "pin-required", "puk-required", "denied", "roaming", "radio-off": break
        case "silent": b.silent = true
        case "garbage": b.garbage = true
        default: return nil
        }
        return b
    }

    public let behaviour: Behaviour
    public private(set) var received: [String] = []
    public private(set) var violations: [String] = []
    public private(set) var isOpen: Bool
    public private(set) var contextActive: Bool
    public private(set) var opens = 0
    public private(set) var closes = 0
    private var count = 0

    public init(_ b: Behaviour = Behaviour()) {
        behaviour = b
        isOpen = b.openAtStart
        contextActive = b.contextAtStart
    }

    /// Another program connects a data session on the open function (as ModemManager would).
    public mutating func connectData() {
        if isOpen { contextActive = true }
    }

    // MARK: Framing

    public static let headerBytes = 12
    public static func length(ofHeader h: ArraySlice<UInt8>) -> Int? { Int(le32(h, h.startIndex + 4)) }

    static let basicConnect: [UInt8] = [0xa2, 0x89, 0xcc, 0x33, 0xbc, 0xbb, 0x8b, 0x4f, 0xb6, 0xb0, 0x13, 0x3e, 0xc2, 0xaa, 0xe6, 0xdf]
    static let cidNames: [UInt32: String] = [1: "DEVICE_CAPS", 2: "SUBSCRIBER_READY_STATUS", 3: "RADIO_STATE", 4: "PIN",
                                             5: "PIN_LIST", 6: "HOME_PROVIDER", 7: "PREFERRED_PROVIDERS",
                                             8: "VISIBLE_PROVIDERS", 9: "REGISTER_STATE", 10: "PACKET_SERVICE",
                                             11: "SIGNAL_STATE", 12: "CONNECT", 16: "DEVICE_SERVICES",
                                             19: "DEVICE_SERVICE_SUBSCRIBE_LIST"]
    /// The fake's own allowlist: Basic Connect queries that only read.
    static let readOnlyQueries: Set<UInt32> = [1, 2, 3, 4, 6, 9, 10, 11, 16]
    /// MS Basic Connect Extensions (Microsoft's MBIM extensions; libmbim `mbim-uuid.c`).
    static let msBasicConnectExtensions: [UInt8] = [0x3d, 0x01, 0xdc, 0xc5, 0xfe, 0xf5, 0x4d, 0x05,
                                                    0x0d, 0x3a, 0xbe, 0xf7, 0x05, 0x8e, 0x9a, 0xaf]
    static let extensionNames: [UInt32: String] = [4: "LTE_ATTACH_INFO", 10: "DEVICE_RESET", 11: "BASE_STATIONS_INFO", 15: "VERSION"]
    /// BASE_STATIONS_INFO's query: at most 15 neighbours of each of GSM, UMTS, TD-SCDMA, LTE,
    /// CDMA (the MBIM 1.0 layout), the one parameter set the fake accepts.
    static let baseStationsQuery: [UInt8] = u32s(15, 15, 15, 15, 15)

    // MARK: Answers

    public mutating func answer(_ m: [UInt8]) -> [FakeWWANOutput] {
        let type = Self.le32(m, 0), tid = Self.le32(m, 8)
        var name: String
        var allowed = true
        switch type {
        case 1: name = "OPEN"
        case 2: name = "CLOSE"
        case 3 where m.count >= 48:
            let uuid = Array(m[20..<36]), cid = Self.le32(m, 36), commandType = Self.le32(m, 40)
            let isBasic = uuid == Self.basicConnect, isExtensions = uuid == Self.msBasicConnectExtensions
            let what = isBasic ? "BASIC_CONNECT " + (Self.cidNames[cid] ?? "\(cid)")
                : isExtensions ? "MS_BASIC_CONNECT_EXTENSIONS " + (Self.extensionNames[cid] ?? "\(cid)")
                : uuid.map { String(format: "%02x", $0) }.joined() + " \(cid)"
            name = (commandType == 0 ? "QUERY " : commandType == 1 ? "SET " : "COMMAND(\(commandType)) ") + what
            let basicQuery = isBasic && Self.readOnlyQueries.contains(cid) && Self.le32(m, 44) == 0
            // Only with the exact parameters, and only when DEVICE_SERVICES listed it.
            let cellQuery = isExtensions && cid == 11 && behaviour.cellInfo
                && Self.le32(m, 44) == UInt32(Self.baseStationsQuery.count) && Array(m[48...]) == Self.baseStationsQuery
            allowed = commandType == 0 && (basicQuery || cellQuery) && Self.le32(m, 12) == 1
        default:
            name = String(format: "message type 0x%08x", type)
            allowed = false
        }
        received.append(allowed ? name : "NOT ALLOWED: " + name)
        if !allowed { violations.append(name) }
        count += 1
        if let h = behaviour.hangUpAfter, count > h { return [.hangUp] }
        if behaviour.silent { return [] }
        if behaviour.garbage { return [.raw(Array("\r\nNO CARRIER\r\n+CME ERROR: 10\r\n\u{7}\u{0}\u{1}".utf8))] }

        switch type {
        case 1:
            // MBIM 1.0 §9.3.1: an OPEN to an open function first does what CLOSE does.
            contextActive = false
            isOpen = true
            opens += 1
            return [.message(Self.message(0x8000_0001, tid: tid, body: Self.u32s(0)))]
        case 2:
            // §9.3.2: CLOSE terminates every active context.
            contextActive = false
            isOpen = false
            closes += 1
            return [.message(Self.message(0x8000_0002, tid: tid, body: Self.u32s(0)))]
        case 3:
            guard m.count >= 48 else { return [] }
            guard isOpen else {
                // §9.3.2: a closed function answers MBIM_ERROR_NOT_OPENED.
                return [.message(Self.message(0x8000_0004, tid: tid, body: Self.u32s(5)))]
            }
            return command(tid: tid, uuid: Array(m[20..<36]), cid: Self.le32(m, 36), commandType: Self.le32(m, 40))
        default:
            return []
        }
    }

    mutating func command(tid: UInt32, uuid: [UInt8], cid: UInt32, commandType: UInt32) -> [FakeWWANOutput] {
        var (status, buffer) = (uuid == Self.basicConnect && commandType == 0) ? reply(cid)
            : (uuid == Self.msBasicConnectExtensions && commandType == 0 && cid == 11 && behaviour.cellInfo) ? (0, Self.baseStationsInfo())
            : (UInt32(9), [UInt8]())
        if cid == 9, behaviour.registerFailureWithBuffer { status = 2 }
        let done = Self.commandDone(tid: tid, uuid: uuid, cid: cid, status: status, buffer: buffer)
        var out: [FakeWWANOutput] = []
        for i in 0..<behaviour.noiseBeforeReply {
            // An indication (transaction 0) and a stale reply to a transaction never sent.
            out.append(.message(Self.indication(uuid: Self.basicConnect, cid: 11, buffer: Self.u32s(10 + UInt32(i), 99, 0, 0, 0))))
            out.append(.message(Self.commandDone(tid: tid &+ 1000, uuid: Self.basicConnect, cid: 1, status: 0, buffer: [])))
        }
        if behaviour.fragmentFlood {
            var first = done
            Self.put32(&first, 12, 1_000_000)
            return out + [.flood(first, count: 100_000)]
        }
        if behaviour.indicationFlood {
            return out + [.flood(Self.indication(uuid: Self.basicConnect, cid: 11, buffer: Self.u32s(20, 99, 0, 0, 0)), count: 100_000)]
        }
        if behaviour.lyingLength {
            var lie = done
            Self.put32(&lie, 4, 1 << 20)
            return out + [.raw(lie)]
        }
        if behaviour.truncate { return out + [.raw(Array(done.prefix(done.count / 2)))] }
        if let size = behaviour.fragmentSize { return out + Self.fragments(done, size: size).map { .message($0) } }
        return out + [.message(done)]
    }

    /// Status and buffer of each Basic Connect query in the scenario.
    func reply(_ cid: UInt32) -> (UInt32, [UInt8]) {
        let s = behaviour.scenario
        let simAbsent = s == "sim-absent", locked = s == "pin-required" || s == "puk-required"
        let radioOff = s == "radio-off"
        let v2 = behaviour.mbimex >= 2, v3 = behaviour.mbimex >= 3
        switch cid {
        case 1:
            // DEVICE_CAPS: embedded, GSM, no voice, removable SIM, GPRS..LTE, SMS, reg manual, 8 sessions.
            return (0, Self.build([.u32(1), .u32(1), .u32(1), .u32(2), .u32(0x3F), .u32(3), .u32(1), .u32(8),
                                   .str(""), .str("356938035643809"), .str("SWI9X30C_02.33.03.00"), .str("EM7455")]))
        case 2:
            let state: UInt32 = simAbsent ? 2 : (locked ? 6 : 1)
            let imsi = simAbsent || locked ? nil : "310260123456789"
            let iccid = simAbsent ? nil : "8901260123456789012"
            let numbers = simAbsent || locked ? [] : ["+12065550142"]
            var fields: [Field] = [.u32(state)]
            if v3 { fields.append(.u32(0)) }
            fields += [.str(imsi), .str(iccid), .u32(0), .u32(UInt32(numbers.count))] + numbers.map { .str($0) }
            return (0, Self.build(fields))
        case 3:
            return (0, Self.u32s(1, radioOff ? 0 : 1))
        case 4:
            if simAbsent { return (3, []) }
            if s == "puk-required" { return (0, Self.u32s(11, 1, 10)) }
            return (0, Self.u32s(2, locked ? 1 : 0, 3))
        case 6:
            if simAbsent { return (3, []) }
            if locked { return (5, []) }
            return (0, Self.build([.str("310260"), .u32(1), .str("T-Mobile"), .u32(1), .u32(99), .u32(99)]))
        case 9:
            var f: [Field]
            switch s {
            case "healthy": f = [.u32(0), .u32(3), .u32(1), .u32(0x3F), .u32(1), .str("310260"), .str("T-Mobile"), .str(nil), .u32(0)]
            case "roaming": f = [.u32(0), .u32(4), .u32(1), .u32(0x3F), .u32(1), .str("23415"), .str("Vodafone UK"), .str("Roaming"), .u32(0)]
            case "denied": f = [.u32(7), .u32(6), .u32(1), .u32(0x20), .u32(1), .str(nil), .str(nil), .str(nil), .u32(0)]
            default: f = [.u32(0), .u32(radioOff ? 1 : 1), .u32(1), .u32(0), .u32(1), .str(nil), .str(nil), .str(nil), .u32(0)]
            }
            if v2 { f.append(.u32(0x20)) }
            return (radioOff ? 20 : 0, Self.build(f))
        case 10:
            let attached = s == "healthy" || s == "roaming"
            var f: [Field] = [.u32(s == "denied" ? 7 : 0), .u32(attached ? 2 : 4), .u32(attached ? 0x20 : 0), .u64(50_000_000), .u64(150_000_000)]
            if v2 { f.append(.u32(1)) }
            if v3 { f += [.u32(0), .u16(310), .u16(260), .u32(0x1A2B)] }
            return (radioOff ? 20 : 0, Self.build(f))
        case 11:
            let rssi: UInt32 = radioOff || simAbsent ? 99 : 21
            var f: [Field] = [.u32(rssi), .u32(99), .u32(0), .u32(0), .u32(0)]
            if v2 {
                // An (offset, size) pair to a count and one {Rsrp, Snr, thresholds, system type}: -96 dBm, 12.5 dB.
                f += [.u32(28), .u32(24), .u32(1), .u32(61), .u32(72), .u32(0), .u32(0), .u32(0x20)]
            }
            return (0, Self.build(f))
        case 16:
            return (0, deviceServices())
        default:
            return (9, [])
        }
    }

    /// DEVICE_SERVICES: count, MaxDssSessions, an (offset, length) pair per service, then each
    /// service: UUID, DssPayload, MaxDssInstances, CidsCount, CIDs.
    func deviceServices() -> [UInt8] {
        var services: [[UInt8]] = [Self.basicConnect + Self.u32s(0, 0, 16) + Self.u32s(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)]
        if behaviour.cellInfo {
            services.append(Self.msBasicConnectExtensions + Self.u32s(0, 0, 6) + Self.u32s(1, 3, 4, 5, 10, 11))
        }
        var head = Self.u32s(UInt32(services.count), 0), data: [UInt8] = []
        let fixed = 8 + 8 * services.count
        for s in services {
            head += Self.u32s(UInt32(fixed + data.count), UInt32(s.count))
            data += s
        }
        return head + data
    }

    /// BASE_STATIONS_INFO, MBIM 1.0 layout: an LTE serving cell of T-Mobile US on band 12
    /// (EARFCN 5110), cell 01A2D101 in TAC 1A2B, -88 dBm RSRP, -11 dB RSRQ; no other cells.
    public static func baseStationsInfoForTests() -> [UInt8] { baseStationsInfo() }

    static func baseStationsInfo() -> [UInt8] {
        let lte = build([.str("310260"), .u32(0x01A2_D101), .u32(5110), .u32(123), .u32(0x1A2B),
                         .u32(UInt32(bitPattern: -88)), .u32(UInt32(bitPattern: -11)), .u32(3)])
        let fixed: UInt32 = 4 + 9 * 8
        // SystemType LTE; GSM, UMTS, TD-SCDMA serving cells absent; the LTE one; five empty lists.
        return u32s(0x20, 0, 0, 0, 0, 0, 0, fixed, UInt32(lte.count)) + u32s(0, 0, 0, 0, 0, 0, 0, 0, 0, 0) + lte
    }

    // MARK: Encoding (independent of tmdiag's)

    public enum Field {
        case u32(UInt32), u64(UInt64), u16(UInt16)
        case str(String?)
    }

    /// A structure: fixed fields (strings as offset/length pairs), then the strings' UTF-16LE
    /// bytes, each padded to 4 bytes, offsets from the structure's start.
    public static func build(_ fields: [Field]) -> [UInt8] {
        var fixedSize = 0
        for f in fields {
            switch f {
            case .u32: fixedSize += 4
            case .u64, .str: fixedSize += 8
            case .u16: fixedSize += 2
            }
        }
        var fixed: [UInt8] = [], data: [UInt8] = []
        for f in fields {
            switch f {
            case .u32(let v): fixed += u32s(v)
            case .u64(let v): fixed += u32s(UInt32(v & 0xFFFF_FFFF), UInt32(v >> 32))
            case .u16(let v): fixed += [UInt8(v & 0xFF), UInt8(v >> 8)]
            case .str(let s):
                guard let s, !s.isEmpty else { fixed += u32s(0, 0); continue }
                let bytes = s.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
                fixed += u32s(UInt32(fixedSize + data.count), UInt32(bytes.count))
                data += bytes
                while data.count % 4 != 0 { data.append(0) }
            }
        }
        return fixed + data
    }

    public static func message(_ type: UInt32, tid: UInt32, body: [UInt8]) -> [UInt8] {
        u32s(type, UInt32(12 + body.count), tid) + body
    }

    public static func commandDone(tid: UInt32, uuid: [UInt8], cid: UInt32, status: UInt32, buffer: [UInt8]) -> [UInt8] {
        message(0x8000_0003, tid: tid, body: u32s(1, 0) + uuid + u32s(cid, status, UInt32(buffer.count)) + buffer)
    }

    public static func indication(uuid: [UInt8], cid: UInt32, buffer: [UInt8]) -> [UInt8] {
        message(0x8000_0007, tid: 0, body: u32s(1, 0) + uuid + u32s(cid, UInt32(buffer.count)) + buffer)
    }

    /// MBIM 1.0 §9.2: each fragment is the 12-byte header and the fragment header, then the
    /// next part of what follows byte 20 of the whole message.
    public static func fragments(_ whole: [UInt8], size: Int) -> [[UInt8]] {
        let chunk = max(1, size - 20)
        let payload = Array(whole[20...])
        let parts = stride(from: 0, to: payload.count, by: chunk).map { Array(payload[$0..<min(payload.count, $0 + chunk)]) }
        return parts.enumerated().map { i, part in
            var m = Array(whole[0..<12]) + u32s(UInt32(parts.count), UInt32(i)) + part
            put32(&m, 4, UInt32(m.count))
            return m
        }
    }

    public static func u32s(_ vs: UInt32...) -> [UInt8] {
        vs.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8 & 0xFF), UInt8($0 >> 16 & 0xFF), UInt8($0 >> 24)] }
    }

    static func le32(_ b: ArraySlice<UInt8>, _ i: Int) -> UInt32 {
        guard i >= b.startIndex, i + 4 <= b.endIndex else { return 0 }
        return UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    static func le32(_ b: [UInt8], _ i: Int) -> UInt32 { le32(b[...], i) }

    public static func put32(_ b: inout [UInt8], _ i: Int, _ v: UInt32) {
        b[i] = UInt8(v & 0xFF); b[i + 1] = UInt8(v >> 8 & 0xFF); b[i + 2] = UInt8(v >> 16 & 0xFF); b[i + 3] = UInt8(v >> 24)
    }
}
