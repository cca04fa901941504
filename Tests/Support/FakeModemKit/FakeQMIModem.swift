import Foundation

/// A fake QMI modem behind QMUX, written from libqmi's message layouts independently of
/// tmdiag's codec: it allocates and releases client ids as CTL does, answers the DMS, NAS and
/// UIM reads from a scenario, logs every message, flags whatever is not on its own read-only
/// allowlist (CTL Sync above all), and keeps the client ids still allocated so that a test can
/// check every one was released.
public struct FakeQMIModem: FakeWWANModel {
    public struct Behaviour: Sendable {
        public var scenario = "healthy"
        public var silent = false
        public var garbage = false
        /// Unrelated indications before each reply.
        public var noiseBeforeReply = 0
        /// Replies' QMUX length says 60000 bytes.
        public var lyingLength = false
        /// Replies stop half way.
        public var truncate = false
        /// Answer nothing but CTL (client ids), as a modem whose services hang.
        public var servicesSilent = false
        /// Answer the first Allocate CID this many ms late.
        public var lateAllocationMs = 0
        /// Close the port after this many messages.
        public var hangUpAfter: Int?
        /// Services whose Allocate CID fails with "client ids exhausted".
        public var exhausted: Set<UInt8> = []
        public init() {}
    }

    /// Scenarios by name: healthy, sim-absent, pin-required, puk-required, denied, roaming,
    /// radio-off, silent, garbage.
    public static func scenario(_ name: String) -> Behaviour? {
        var b = Behaviour()
        b.scenario = name
        switch name {
        case "healthy", "sim-absent", "pin-required", "puk-required", "denied", "roaming", "radio-off": break
        case "silent": b.silent = true
        case "garbage": b.garbage = true
        default: return nil
        }
        return b
    }

    public let behaviour: Behaviour
    public private(set) var received: [String] = []
    public private(set) var violations: [String] = []
    /// Client ids allocated and not released: (service, cid).
    public private(set) var allocated: [(UInt8, UInt8)] = []
    public private(set) var everAllocated = 0
    private var nextCID: UInt8 = 0x10
    private var count = 0
    private var allocations = 0

    public init(_ b: Behaviour = Behaviour()) { behaviour = b }

    public static let headerBytes = 3
    public static func length(ofHeader h: ArraySlice<UInt8>) -> Int? {
        guard h[h.startIndex] == 0x01 else { return nil }
        return (Int(h[h.startIndex + 1]) | Int(h[h.startIndex + 2]) << 8) + 1
    }

    static let serviceNames: [UInt8: String] = [0: "CTL", 1: "WDS", 2: "DMS", 3: "NAS", 0x0B: "UIM"]
    /// The fake's own allowlist: reads, and CTL client id bookkeeping.
    static let reads: [UInt8: Set<UInt16>] = [
        0: [0x0021, 0x0022, 0x0023],
        2: [0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x002D, 0x003C, 0x0043],
        3: [0x0020, 0x0024, 0x0025, 0x004D, 0x004F],
        0x0B: [0x002F],
    ]

    public mutating func answer(_ m: [UInt8]) -> [FakeWWANOutput] {
        guard m.count >= 12 else { return [] }
        let service = m[4], cid = m[5], isCTL = service == 0
        let tid: UInt16 = isCTL ? UInt16(m[7]) : UInt16(m[7]) | UInt16(m[8]) << 8
        let msgAt = isCTL ? 8 : 9
        guard m.count >= msgAt + 4 else { return [] }
        let msg = UInt16(m[msgAt]) | UInt16(m[msgAt + 1]) << 8
        let tlvs = Self.tlvs(m, from: msgAt + 4)
        var name = "\(Self.serviceNames[service] ?? "service \(service)") 0x" + String(format: "%04x", msg)
        var allowed = Self.reads[service]?.contains(msg) ?? false
        if isCTL, msg == 0x0027 { name = "CTL Sync" }
        if isCTL, msg == 0x0022 {
            let s = tlvs[0x01]?.first ?? 0xFF
            name = "CTL Allocate CID (\(Self.serviceNames[s] ?? "\(s)"))"
            allowed = [2, 3, 0x0B].contains(s)
        }
        if isCTL, msg == 0x0023 {
            let v = tlvs[0x01] ?? []
            name = "CTL Release CID (\(v.first.flatMap { Self.serviceNames[$0] } ?? "?") \(v.count > 1 ? v[1] : 0))"
            allowed = v.count == 2 && allocated.contains { $0 == (v[0], v[1]) }
        }
        if !isCTL, !allocated.contains(where: { $0 == (service, cid) }) {
            allowed = false
            name += " on client id \(cid) never allocated"
        }
        received.append(allowed ? name : "NOT ALLOWED: " + name)
        if !allowed { violations.append(name) }
        count += 1
        if let h = behaviour.hangUpAfter, count > h { return [.hangUp] }
        if behaviour.silent { return [] }
        if behaviour.garbage { return [.raw([0x7E, 0x00, 0x13, 0x37] + Array("garbage, not QMUX".utf8))] }

        var out: [FakeWWANOutput] = []
        if isCTL {
            switch msg {
            case 0x0022:
                let s = tlvs[0x01]?.first ?? 0
                allocations += 1
                guard [2, 3, 0x0B].contains(s) else { return [.message(Self.ctl(tid, msg, error: 0x30))] }
                if behaviour.exhausted.contains(s) { return [.message(Self.ctl(tid, msg, error: 5))] }
                let c = nextCID
                nextCID &+= 1
                allocated.append((s, c))
                everAllocated += 1
                if allocations == 1, behaviour.lateAllocationMs > 0 { out.append(.pause(ms: behaviour.lateAllocationMs)) }
                out.append(.message(Self.ctl(tid, msg, tlvs: [(0x01, [s, c])])))
                return out
            case 0x0023:
                let v = tlvs[0x01] ?? []
                guard v.count == 2, let i = allocated.firstIndex(where: { $0 == (v[0], v[1]) }) else {
                    return [.message(Self.ctl(tid, msg, error: 7))]
                }
                allocated.remove(at: i)
                return [.message(Self.ctl(tid, msg, tlvs: [(0x01, v)]))]
            case 0x0021:
                return [.message(Self.ctl(tid, msg, tlvs: [(0x01, [3, 2, 1, 0, 25, 0, 3, 1, 0, 100, 0, 0x0B, 1, 0, 60, 0])]))]
            default:
                return [.message(Self.ctl(tid, msg, error: 71))]
            }
        }
        if behaviour.servicesSilent { return [] }
        for _ in 0..<behaviour.noiseBeforeReply {
            // A NAS indication (Serving System), and a response on someone else's client id.
            out.append(.message(Self.service(3, cid: 0xFF, tid: 0, msg: 0x0024, flags: 0x04, tlvs: [(0x01, [1, 1, 1, 2, 1, 8])])))
            out.append(.message(Self.service(service, cid: cid &+ 1, tid: tid, msg: msg, tlvs: [(0x02, [0, 0, 0, 0])])))
        }
        let (error, payload) = reply(service, msg)
        var done = Self.service(service, cid: cid, tid: tid, msg: msg, tlvs: [(0x02, error == 0 ? [0, 0, 0, 0] : [1, 0, UInt8(error & 0xFF), UInt8(error >> 8)])] + payload)
        if behaviour.lyingLength {
            done[1] = 0x60
            done[2] = 0xEA
            return out + [.raw(done)]
        }
        if behaviour.truncate { return out + [.raw(Array(done.prefix(done.count / 2)))] }
        return out + [.message(done)]
    }

    /// The error code (0 for success) and TLVs of each read in the scenario.
    typealias Reply = (UInt16, [(UInt8, [UInt8])])

    func reply(_ service: UInt8, _ msg: UInt16) -> Reply {
        func fail(_ e: UInt16) -> Reply { (e, []) }
        func ok(_ t: [(UInt8, [UInt8])]) -> Reply { (0, t) }
        let s = behaviour.scenario
        let absent = s == "sim-absent", locked = s == "pin-required" || s == "puk-required", radioOff = s == "radio-off"
        switch (service, msg) {
        case (2, 0x0021): return (0, [(0x01, Array("Sierra Wireless, Incorporated".utf8))])
        case (2, 0x0022): return (0, [(0x01, Array("EM7455".utf8))])
        case (2, 0x0023): return (0, [(0x01, Array("SWI9X30C_02.33.03.00 r8209 CARMD-EV-FRMWR2 2019/10/01".utf8))])
        case (2, 0x0025): return (0, [(0x10, Array("0".utf8)), (0x11, Array("356938035643809".utf8)), (0x13, Array("22".utf8))])
        case (2, 0x002D): return (0, [(0x01, [radioOff ? 1 : 0])])
        case (2, 0x003C): return absent ? fail(37) : ok([(0x01, Array("8901260123456789012F".utf8))])
        case (2, 0x0043): return absent || locked ? fail(37) : ok([(0x01, Array("310260123456789".utf8))])
        case (2, 0x0024): return absent || locked ? fail(37) : ok([(0x01, Array("+12065550142".utf8))])
        case (0x0B, 0x002F): return (0, [(0x10, cardStatus())])
        case (3, 0x0024): return (0, servingSystem())
        case (3, 0x0025):
            if absent || locked { return (37, []) }
            return ok([(0x01, Self.plmn(310, 260, "T-Mobile")), (0x12, [1, 1])])
        case (3, 0x004D): return (0, systemInfo())
        case (3, 0x004F):
            if radioOff || absent { return (0, []) }
            // LTE: RSSI -65, RSRQ -10, RSRP -96, SNR 12.5 dB (tenths).
            return (0, [(0x14, [UInt8(bitPattern: -65), UInt8(bitPattern: -10)] + Self.le16(UInt16(bitPattern: -96)) + Self.le16(125))])
        case (3, 0x0020): return radioOff ? fail(74) : ok([(0x01, [UInt8(bitPattern: -65), 8]), (0x18, Self.le16(UInt16(bitPattern: -96)))])
        default: return (71, [])
        }
    }

    public func cardStatus() -> [UInt8] {
        let s = behaviour.scenario
        if s == "sim-absent" {
            // GW primary index unset, one card, absent, no applications.
            return Self.le16(0xFFFF) + Self.le16(0xFFFF) + Self.le16(0xFFFF) + Self.le16(0xFFFF) + [1, 0, 0, 0, 0, 0, 0]
        }
        // App state: 7 ready, 2 PIN1 required, 3 PUK1 required; PIN1 state 2 verified, 1 not verified, 4 blocked.
        let (appState, pin1State, pin1Left): (UInt8, UInt8, UInt8) = switch s {
        case "pin-required": (2, 1, 3)
        case "puk-required": (3, 4, 0)
        default: (7, 2, 3)
        }
        let aid: [UInt8] = [0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x89, 0x06, 0x19, 0x00, 0x00]
        let app: [UInt8] = [2, appState, 0, 0, 0, 0, UInt8(aid.count)] + aid + [0, pin1State, pin1Left, 10, 1, 3, 10]
        return Self.le16(0x0000) + Self.le16(0xFFFF) + Self.le16(0xFFFF) + Self.le16(0xFFFF) + [1, 1, 0, 0, 0, 0, 1] + app
    }

    func servingSystem() -> [(UInt8, [UInt8])] {
        switch behaviour.scenario {
        case "healthy":
            return [(0x01, [1, 1, 1, 2, 1, 8]), (0x10, [1]), (0x12, Self.plmn(310, 260, "T-Mobile")),
                    (0x1D, [0x01, 0xD0, 0xA2, 0x01]), (0x24, Self.le16(0x1A2B)), (0x27, Self.le16(310) + Self.le16(260) + [1])]
        case "roaming":
            return [(0x01, [1, 1, 1, 2, 1, 8]), (0x10, [0]), (0x12, Self.plmn(234, 15, "Vodafone UK"))]
        case "denied":
            return [(0x01, [3, 2, 2, 2, 1, 8])]
        case "radio-off":
            return [(0x01, [0, 0, 0, 0, 0])]
        default:
            return [(0x01, [2, 2, 2, 2, 1, 8])]
        }
    }

    func systemInfo() -> [(UInt8, [UInt8])] {
        let s = behaviour.scenario
        let status: UInt8 = s == "healthy" || s == "roaming" ? 2 : (s == "denied" ? 1 : 0)
        var lte: [UInt8] = [1, 2, 1, 2, 1, s == "roaming" ? 1 : 0, 1, 0]        // domain .. forbidden
        lte += [1] + Self.le16(0x1A2B) + [1, 0x01, 0xD0, 0xA2, 0x01]             // LAC, CID
        lte += s == "denied" ? [1, 2, 7] : [0, 0, 0]                              // reject: PS, EMM cause 7
        lte += [1] + Array("310".utf8) + Array("260".utf8) + [1] + Self.le16(0x1A2B)
        return [(0x14, [status, status, 1]), (0x19, lte)]
    }

    // MARK: Encoding (independent of tmdiag's)

    static func tlvs(_ m: [UInt8], from: Int) -> [UInt8: [UInt8]] {
        var out: [UInt8: [UInt8]] = [:]
        var i = from
        while i + 3 <= m.count {
            let n = Int(m[i + 1]) | Int(m[i + 2]) << 8
            guard i + 3 + n <= m.count else { break }
            out[m[i]] = Array(m[(i + 3)..<(i + 3 + n)])
            i += 3 + n
        }
        return out
    }

    public static func body(_ tlvs: [(UInt8, [UInt8])]) -> [UInt8] {
        tlvs.flatMap { [$0.0] + le16(UInt16($0.1.count)) + $0.1 }
    }

    public static func ctl(_ tid: UInt16, _ msg: UInt16, error: UInt16 = 0, tlvs: [(UInt8, [UInt8])] = []) -> [UInt8] {
        let result: [UInt8] = error == 0 ? [0, 0, 0, 0] : [1, 0] + le16(error)
        let b = body([(0x02, result)] + tlvs)
        let sdu: [UInt8] = [0x01, UInt8(tid & 0xFF)] + le16(msg) + le16(UInt16(b.count)) + b
        return qmux(service: 0, cid: 0, sdu: sdu)
    }

    public static func service(_ service: UInt8, cid: UInt8, tid: UInt16, msg: UInt16, flags: UInt8 = 0x02, tlvs: [(UInt8, [UInt8])]) -> [UInt8] {
        let b = body(tlvs)
        return qmux(service: service, cid: cid, sdu: [flags] + le16(tid) + le16(msg) + le16(UInt16(b.count)) + b)
    }

    public static func qmux(service: UInt8, cid: UInt8, sdu: [UInt8]) -> [UInt8] {
        [0x01] + le16(UInt16(5 + sdu.count)) + [0x80, service, cid] + sdu
    }

    public static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

    /// MCC u16, MNC u16, then a description with a u8 length (a string inside a structure).
    public static func plmn(_ mcc: UInt16, _ mnc: UInt16, _ name: String) -> [UInt8] {
        le16(mcc) + le16(mnc) + [UInt8(name.utf8.count)] + Array(name.utf8)
    }
}
