// Replies that say which services a function has and which cell serves it. Layouts: MBIM 1.0
// §10.5.28 (DEVICE_SERVICES) and libmbim `data/mbim-service-basic-connect.json`,
// `data/mbim-service-ms-basic-connect-extensions.json` and `-v3.json` (BASE_STATIONS_INFO).

/// DEVICE_SERVICES (Basic Connect CID 16): DeviceServicesCount, MaxDssSessions, then one
/// (offset, length) pair per service pointing at {DeviceServiceId (16-byte UUID), DssPayload,
/// MaxDssInstances, CidsCount, Cids (u32 each)}.
public struct MBIMDeviceServices: Sendable, Equatable {
    /// CIDs by service UUID (wire order), as the function listed them.
    public var cids: [[UInt8]: [UInt32]]

    /// Whether the function lists `command` among its service's CIDs: the only way to know a
    /// command is there before asking it.
    public func supports(_ command: MBIMCommand) -> Bool {
        cids[command.service.uuid]?.contains(command.cid) ?? false
    }

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMDeviceServices {
        let r = MBIMBufferReader(b)
        let count = Int(try r.u32(0, "DeviceServicesCount"))
        guard count <= (b.count - 8) / 8 else {
            throw MBIMDecodeError("DeviceServices: \(count) services do not fit the \(b.count)-byte buffer")
        }
        var out: [[UInt8]: [UInt32]] = [:]
        for i in 0..<count {
            let field = "DeviceServices[\(i)]"
            let offset = Int(try r.u32(8 + 8 * i, field + " offset"))
            let length = Int(try r.u32(12 + 8 * i, field + " length"))
            guard offset >= 8 + 8 * count, length >= 28, offset <= b.count, length <= b.count - offset else {
                throw MBIMDecodeError("\(field): \(length) bytes at offset \(offset) lie outside the \(b.count)-byte buffer")
            }
            let cidsCount = Int(try r.u32(offset + 24, field + " CidsCount"))
            guard cidsCount <= (length - 28) / 4 else {
                throw MBIMDecodeError("\(field): \(cidsCount) CIDs do not fit its \(length) bytes")
            }
            var cids: [UInt32] = []
            for c in 0..<cidsCount { cids.append(try r.u32(offset + 28 + 4 * c, field + " Cids")) }
            out[Array(b[offset..<offset + 16]), default: []] += cids
        }
        return MBIMDeviceServices(cids: out)
    }
}

/// BASE_STATIONS_INFO (MS Basic Connect Extensions CID 11), the serving cells only.
///
/// MBIM 1.0 layout: SystemType, then (offset, size) pairs to the GSM, UMTS, TD-SCDMA and LTE
/// serving cells (one structure each, size 0 when none) and to the GSM, UMTS, TD-SCDMA, LTE and
/// CDMA neighbour lists: 76 fixed bytes. MBIMEx v3 puts SystemSubType after SystemType and adds
/// pairs to the NR serving and NR neighbour lists: 96 fixed bytes. A list is a u32 count followed
/// by its elements one after another, each with its strings right behind its fixed part.
public struct MBIMBaseStationsInfo: Sendable, Equatable {
    /// The LTE serving cell: ProviderId, CellId, Earfcn, PhysicalCellId, Tac, Rsrp (dBm),
    /// Rsrq (dB), TimingAdvance; 0xFFFFFFFF is unknown in each number.
    public struct LTECell: Sendable, Equatable {
        public var providerId: String?
        public var cellId: UInt32?
        public var earfcn: UInt32?
        public var physicalCellId: UInt32?
        public var tac: UInt32?
        public var rsrpDbm: Int?
        public var rsrqDb: Int?
        public var timingAdvance: UInt32?
    }

    /// An NR serving cell: ProviderId, Nci (u64), PhysicalCellID, Nrarfcn, Tac, Rsrp (value -
    /// 156 dBm), Rsrq (value - 43 dB), Sinr (value - 23 dB), TimingAdvance (u64, µs).
    public struct NRCell: Sendable, Equatable {
        public var providerId: String?
        public var nci: UInt64?
        public var physicalCellId: UInt32?
        public var nrarfcn: UInt32?
        public var tac: UInt32?
        public var rsrpDbm: Int?
        public var rsrqDb: Int?
        public var sinrDb: Int?
        public var timingAdvance: UInt64?
    }

    public var systemType: UInt32
    public var lte: LTECell?
    public var nr: [NRCell]
    /// 1 (MBIM 1.0) or 3 (MBIMEx v3).
    public var layout: Int

    static let unknown: UInt32 = 0xFFFF_FFFF

    /// The layout whose (offset, size) pairs all fit, preferring the one whose data starts right
    /// after its fixed part.
    static func layout(of b: [UInt8]) -> Int? {
        func check(_ first: Int, _ pairs: Int) -> MBIMLayoutFit {
            let fixed = first + 8 * pairs
            guard b.count >= fixed else { return .none }
            var smallest: Int?
            for i in 0..<pairs {
                guard let o = b.u32(first + 8 * i).map(Int.init), let s = b.u32(first + 8 * i + 4).map(Int.init) else { return .none }
                if s == 0 { continue }
                guard o >= fixed, o <= b.count, s <= b.count - o else { return .none }
                smallest = min(smallest ?? o, o)
            }
            return MBIMLayoutFit(fits: true, exact: smallest.map { $0 == fixed } ?? (b.count == fixed))
        }
        return MBIMLayoutFit.choose(v1: check(4, 9), v3: check(8, 11))
    }

    public static func parse(_ b: [UInt8]) throws(MBIMDecodeError) -> MBIMBaseStationsInfo {
        guard let layout = layout(of: b) else {
            throw MBIMDecodeError("BASE_STATIONS_INFO: \(b.count) bytes fit neither the MBIM 1.0 nor the MBIMEx v3 layout")
        }
        let r = MBIMBufferReader(b)
        var out = MBIMBaseStationsInfo(systemType: try r.u32(0, "SystemType"), lte: nil, nr: [], layout: layout)
        let lteAt = layout == 3 ? 32 : 28
        if let cell = try region(r, pairAt: lteAt, "LteServingCell") {
            out.lte = try lteCell(cell)
        }
        if layout == 3, let list = try region(r, pairAt: 80, "NrServingCells") {
            out.nr = try nrCells(list)
        }
        return out
    }

    /// The bytes an (offset, size) pair points at; nil when its size is 0. `layout(of:)` has
    /// checked that every pair lies inside the buffer.
    static func region(_ r: MBIMBufferReader, pairAt at: Int, _ field: String) throws(MBIMDecodeError) -> MBIMBufferReader? {
        let offset = Int(try r.u32(at, field + " offset")), size = Int(try r.u32(at + 4, field + " size"))
        guard size > 0 else { return nil }
        guard offset <= r.bytes.count, size <= r.bytes.count - offset else {
            throw MBIMDecodeError("\(field): \(size) bytes at offset \(offset) lie outside the \(r.bytes.count)-byte buffer")
        }
        return MBIMBufferReader(Array(r.bytes[offset..<offset + size]))
    }

    static func known(_ v: UInt32) -> UInt32? { v == unknown ? nil : v }

    static func lteCell(_ c: MBIMBufferReader) throws(MBIMDecodeError) -> LTECell {
        let fixed = 36
        func signed(_ at: Int, _ field: String) throws(MBIMDecodeError) -> Int? {
            let v = try c.u32(at, field)
            return v == unknown ? nil : Int(Int32(bitPattern: v))
        }
        return LTECell(providerId: try c.string(pairAt: 0, fixedEnd: fixed, "LteServingCell.ProviderId"),
                       cellId: known(try c.u32(8, "LteServingCell.CellId")),
                       earfcn: known(try c.u32(12, "LteServingCell.Earfcn")),
                       physicalCellId: known(try c.u32(16, "LteServingCell.PhysicalCellId")),
                       tac: known(try c.u32(20, "LteServingCell.Tac")),
                       rsrpDbm: try signed(24, "LteServingCell.Rsrp"), rsrqDb: try signed(28, "LteServingCell.Rsrq"),
                       timingAdvance: known(try c.u32(32, "LteServingCell.TimingAdvance")))
    }

    static func nrCells(_ list: MBIMBufferReader) throws(MBIMDecodeError) -> [NRCell] {
        let fixed = 48
        let count = Int(try list.u32(0, "NrServingCells count"))
        guard count <= (list.bytes.count - 4) / fixed else {
            throw MBIMDecodeError("NrServingCells: \(count) cells do not fit its \(list.bytes.count) bytes")
        }
        var cells: [NRCell] = []
        var start = 4
        for i in 0..<count {
            let field = "NrServingCells[\(i)]"
            guard start <= list.bytes.count - fixed else {
                throw MBIMDecodeError("\(field): the list ends at \(list.bytes.count) bytes, before offset \(start + fixed)")
            }
            // Each element's string offsets count from the element's own start.
            let c = MBIMBufferReader(Array(list.bytes[start...]))
            let u64 = try c.u64(8, field + ".Nci"), ta = try c.u64(40, field + ".TimingAdvance")
            func scaled(_ at: Int, _ by: Int, _ name: String) throws(MBIMDecodeError) -> Int? {
                known(try c.u32(at, field + name)).map { Int($0) + by }
            }
            cells.append(NRCell(providerId: try c.string(pairAt: 0, fixedEnd: fixed, field + ".ProviderId"),
                                nci: u64 == UInt64.max ? nil : u64,
                                physicalCellId: known(try c.u32(16, field + ".PhysicalCellID")),
                                nrarfcn: known(try c.u32(20, field + ".Nrarfcn")),
                                tac: known(try c.u32(24, field + ".Tac")),
                                rsrpDbm: try scaled(28, -156, ".Rsrp"), rsrqDb: try scaled(32, -43, ".Rsrq"),
                                sinrDb: try scaled(36, -23, ".Sinr"), timingAdvance: ta == UInt64.max ? nil : ta))
            // The next element follows this one's string data, padded to 4 bytes.
            let offset = Int(try c.u32(0, field + ".ProviderId offset")), length = Int(try c.u32(4, field + ".ProviderId length"))
            let end = length == 0 ? fixed : max(fixed, offset + (length + 3) / 4 * 4)
            start += end
        }
        return cells
    }
}
