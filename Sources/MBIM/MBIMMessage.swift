import TMDiagCore

/// One MBIM message as bytes, with its header read. Layouts (MBIM 1.0 §9, libmbim
/// `mbim-message-private.h`), all little-endian u32:
///
///     0  MessageType   4  MessageLength   8  TransactionId
///     OPEN:          12 MaxControlTransfer
///     OPEN_DONE, CLOSE_DONE: 12 Status;   FUNCTION_ERROR: 12 ErrorStatusCode
///     COMMAND:       12 TotalFragments  16 CurrentFragment  20 service UUID (16)  36 CID
///                    40 CommandType     44 InformationBufferLength  48 InformationBuffer
///     COMMAND_DONE:  as COMMAND with Status in CommandType's place
///     INDICATE_STATUS: 12 fragments, 20 UUID, 36 CID, 40 InformationBufferLength, 44 buffer
///     further fragments: 12 TotalFragments 16 CurrentFragment 20 payload (appended in order)
public struct MBIMMessage: Sendable, Equatable {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var rawType: UInt32 { bytes.u32(0) ?? 0 }
    public var type: MBIMMessageType? { MBIMMessageType(rawValue: rawType) }
    public var length: UInt32 { bytes.u32(4) ?? 0 }
    public var transactionId: UInt32 { bytes.u32(8) ?? 0 }
    public var totalFragments: UInt32 { bytes.u32(12) ?? 0 }
    public var currentFragment: UInt32 { bytes.u32(16) ?? 0 }
    /// OPEN_DONE / CLOSE_DONE status, FUNCTION_ERROR code, OPEN's MaxControlTransfer.
    public var word12: UInt32 { bytes.u32(12) ?? 0 }
    public var serviceUUID: ArraySlice<UInt8> { bytes.count >= 36 ? bytes[20..<36] : [] }
    public var cid: UInt32 { bytes.u32(36) ?? 0 }
    /// COMMAND's CommandType, COMMAND_DONE's Status.
    public var word40: UInt32 { bytes.u32(40) ?? 0 }

    /// The information buffer of a whole (reassembled) COMMAND, COMMAND_DONE or
    /// INDICATE_STATUS; nil when the declared length does not fit the message.
    public var informationBuffer: [UInt8]? {
        let (lengthAt, start) = type == .indicateStatus ? (40, 44) : (44, 48)
        guard let n = bytes.u32(lengthAt), bytes.count >= start, Int(n) <= bytes.count - start else { return nil }
        return Array(bytes[start..<(start + Int(n))])
    }

    /// `COMMAND_DONE BASIC_CONNECT REGISTER_STATE`, for logs.
    public var name: String {
        guard let type else { return "message type 0x" + [24, 16, 8, 0].map { Hex.byte(UInt8(rawType >> UInt32($0) & 0xFF)) }.joined() }
        switch type {
        case .command, .commandDone, .indicateStatus:
            let kind = type == .command ? (word40 == MBIMCommandType.set.rawValue ? "SET" : "QUERY")
                : (type == .commandDone ? "COMMAND_DONE" : "INDICATE_STATUS")
            return kind + " " + Self.commandName(uuid: serviceUUID, cid: cid)
        case .open: return "OPEN"
        case .close: return "CLOSE"
        case .hostError: return "HOST_ERROR"
        case .openDone: return "OPEN_DONE"
        case .closeDone: return "CLOSE_DONE"
        case .functionError: return "FUNCTION_ERROR"
        }
    }

    static func commandName(uuid: some Collection<UInt8>, cid: UInt32) -> String {
        guard let service = MBIMService.named(uuid: uuid) else {
            return uuid.map { Hex.byte($0) }.joined() + " \(cid)"
        }
        return MBIMCommand.named(service: service, cid: cid)?.description ?? "\(service.name) \(cid)"
    }

    // MARK: - Building (host to device)

    public static func open(transactionId: UInt32, maxControlTransfer: UInt32) -> MBIMMessage {
        var b = header(.open, length: 16, transactionId: transactionId)
        b.putU32(maxControlTransfer)
        return MBIMMessage(bytes: b)
    }

    public static func close(transactionId: UInt32) -> MBIMMessage {
        MBIMMessage(bytes: header(.close, length: 12, transactionId: transactionId))
    }

    /// One COMMAND, unfragmented (tmdiag's requests are far below any MaxControlTransfer).
    public static func command(transactionId: UInt32, service: MBIMService, cid: UInt32, type: MBIMCommandType,
                               buffer: [UInt8] = []) -> MBIMMessage {
        var b = header(.command, length: UInt32(48 + buffer.count), transactionId: transactionId)
        b.putU32(1)
        b.putU32(0)
        b += service.uuid
        b.putU32(cid)
        b.putU32(type.rawValue)
        b.putU32(UInt32(buffer.count))
        b += buffer
        return MBIMMessage(bytes: b)
    }

    static func header(_ type: MBIMMessageType, length: UInt32, transactionId: UInt32) -> [UInt8] {
        var b: [UInt8] = []
        b.reserveCapacity(Int(length))
        b.putU32(type.rawValue)
        b.putU32(length)
        b.putU32(transactionId)
        return b
    }

    /// How a byte stream splits into MBIM messages: MessageLength at byte 4. A fragment is at
    /// most MaxControlTransfer long; 64 KiB bounds what tmdiag accepts from any device.
    public static let framing = MessageFraming(name: "MBIM", headerBytes: 12, minLength: 12, maxLength: 1 << 16) { h in
        let type = h.u32(h.startIndex) ?? 0
        guard MBIMMessageType(rawValue: type) != nil, let length = h.u32(h.startIndex + 4) else { return nil }
        return Int(length)
    }
}

/// Reassembles fragmented COMMAND_DONE / INDICATE_STATUS messages (MBIM 1.0 §9.2): every
/// fragment carries the 12-byte header and the fragment header; the first also the rest of the
/// message's fixed part; later fragments' payloads after byte 20 are appended in order.
/// Bounded: at most `maxFragments` fragments and `maxBytes` bytes, else a flood.
struct MBIMFragmentCollector {
    static let maxFragments: UInt32 = 64
    static let maxBytes = 1 << 20

    enum Failure: Error, Equatable {
        case outOfSequence(String)
        case flood(String)
        case malformed(String)
    }

    private var partial: [UInt32: (total: UInt32, next: UInt32, bytes: [UInt8])] = [:]

    /// The whole message once its last fragment arrived; nil while more are expected.
    mutating func add(_ m: MBIMMessage) throws(Failure) -> MBIMMessage? {
        guard let type = m.type, type.isFragmented else { return m }
        guard m.bytes.count >= 20 else { throw .malformed("a \(m.name) of \(m.bytes.count) bytes has no fragment header") }
        let total = m.totalFragments, current = m.currentFragment, tid = m.transactionId
        guard total >= 1, current < total else {
            throw .outOfSequence("fragment \(current) of \(total) (transaction \(tid))")
        }
        guard total <= Self.maxFragments else {
            throw .flood("a reply announced \(total) fragments (the limit is \(Self.maxFragments))")
        }
        if total == 1 { return m }
        if current == 0 {
            // A new first fragment replaces an unfinished one with the same transaction id.
            partial[tid] = (total, 1, m.bytes)
            if partial.count > 8 { throw .flood("more than 8 fragmented messages unfinished at once") }
            return nil
        }
        guard var p = partial[tid] else {
            throw .outOfSequence("fragment \(current) of \(total) without its first (transaction \(tid))")
        }
        guard p.total == total, p.next == current else {
            partial[tid] = nil
            throw .outOfSequence("fragment \(current) of \(total) where \(p.next) of \(p.total) was due (transaction \(tid))")
        }
        p.bytes += m.bytes[20...]
        guard p.bytes.count <= Self.maxBytes else {
            partial[tid] = nil
            throw .flood("fragments of transaction \(tid) passed \(Self.maxBytes) bytes")
        }
        p.next += 1
        if p.next < total {
            partial[tid] = p
            return nil
        }
        partial[tid] = nil
        // The whole message: one fragment of one, its length the sum.
        var whole = p.bytes
        whole.setU32(UInt32(whole.count), at: 4)
        whole.setU32(1, at: 12)
        whole.setU32(0, at: 16)
        return MBIMMessage(bytes: whole)
    }
}

// MARK: - Little-endian helpers

extension Collection where Element == UInt8, Index == Int {
    /// The little-endian u32 at `i`; nil when it does not fit.
    func u32(_ i: Int) -> UInt32? {
        guard i >= startIndex, i + 4 <= endIndex else { return nil }
        return UInt32(self[i]) | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2]) << 16 | UInt32(self[i + 3]) << 24
    }

    func u16(_ i: Int) -> UInt16? {
        guard i >= startIndex, i + 2 <= endIndex else { return nil }
        return UInt16(self[i]) | UInt16(self[i + 1]) << 8
    }

    func u64(_ i: Int) -> UInt64? {
        guard let lo = u32(i), let hi = u32(i + 4) else { return nil }
        return UInt64(lo) | UInt64(hi) << 32
    }
}

extension Array where Element == UInt8 {
    mutating func putU32(_ v: UInt32) {
        append(UInt8(v & 0xFF)); append(UInt8(v >> 8 & 0xFF)); append(UInt8(v >> 16 & 0xFF)); append(UInt8(v >> 24))
    }

    mutating func setU32(_ v: UInt32, at i: Int) {
        self[i] = UInt8(v & 0xFF); self[i + 1] = UInt8(v >> 8 & 0xFF); self[i + 2] = UInt8(v >> 16 & 0xFF); self[i + 3] = UInt8(v >> 24)
    }
}
