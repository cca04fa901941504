import TMDiagCore

/// Why a QMI message or TLV could not be read.
public struct QMIDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var what: String
    public init(_ what: String) { self.what = what }
    public var description: String { what }
}

/// One QMUX-framed QMI message (libqmi `qmi-message.c`), little-endian:
///
///     0 marker 0x01   1 length u16 (of everything after the marker)   3 QMUX flags (0x00 host,
///     0x80 service)   4 service   5 client id
///     CTL (service 0): 6 flags (1 response, 2 indication)  7 transaction u8  8 message id u16
///                      10 TLV length u16  12 TLVs
///     others:          6 flags (2 response, 4 indication)  7 transaction u16  9 message id u16
///                      11 TLV length u16  13 TLVs
///     TLV: type u8, length u16, value
public struct QMIMessage: Sendable, Equatable {
    public var bytes: [UInt8]
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public var service: UInt8 { bytes.count > 4 ? bytes[4] : 0 }
    public var clientId: UInt8 { bytes.count > 5 ? bytes[5] : 0 }
    public var isControl: Bool { service == QMIService.ctl.id }
    var headerLength: Int { isControl ? 12 : 13 }
    public var sduFlags: UInt8 { bytes.count > 6 ? bytes[6] : 0 }
    public var transactionId: UInt16 {
        isControl ? (bytes.count > 7 ? UInt16(bytes[7]) : 0) : (bytes.u16(7) ?? 0)
    }
    public var messageId: UInt16 { bytes.u16(isControl ? 8 : 9) ?? 0 }
    public var isResponse: Bool { sduFlags & (isControl ? 0x01 : 0x02) != 0 }
    public var isIndication: Bool { sduFlags & (isControl ? 0x02 : 0x04) != 0 }

    /// `NAS Get Serving System`, for logs.
    public var name: String {
        if let spec = QMIMessageSpec.named(service: service, id: messageId) { return spec.description }
        let s = QMIService.named(service)?.name ?? "service \(service)"
        return "\(s) message 0x" + Hex.byte(UInt8(messageId >> 8)) + Hex.byte(UInt8(messageId & 0xFF))
    }

    /// A request from the host. CTL transaction ids are one byte.
    public static func request(service: QMIService, clientId: UInt8, transactionId: UInt16, messageId: UInt16,
                               tlvs: [(UInt8, [UInt8])] = []) -> QMIMessage {
        var body: [UInt8] = []
        for (type, value) in tlvs {
            body.append(type)
            body.putU16(UInt16(value.count))
            body += value
        }
        var b: [UInt8] = [0x01, 0, 0, 0x00, service.id, clientId]
        b.append(0x00)
        if service == .ctl {
            b.append(UInt8(transactionId & 0xFF))
        } else {
            b.putU16(transactionId)
        }
        b.putU16(messageId)
        b.putU16(UInt16(body.count))
        b += body
        let length = UInt16(b.count - 1)
        b[1] = UInt8(length & 0xFF)
        b[2] = UInt8(length >> 8)
        return QMIMessage(bytes: b)
    }

    /// Whether the lengths agree: the QMUX length, the buffer, the TLV length, every TLV.
    public func validate() throws(QMIDecodeError) {
        guard bytes.count >= headerLength, bytes[0] == 0x01 else { throw QMIDecodeError("shorter than a QMI header") }
        guard Int(bytes.u16(1) ?? 0) == bytes.count - 1 else { throw QMIDecodeError("the QMUX length does not match the message") }
        guard Int(bytes.u16(headerLength - 2) ?? 0) == bytes.count - headerLength else {
            throw QMIDecodeError("the TLV length does not match the message")
        }
        _ = try tlvs()
    }

    /// The TLVs by type (the first of each type).
    public func tlvs() throws(QMIDecodeError) -> QMITLVs {
        var out: [UInt8: [UInt8]] = [:]
        var i = headerLength
        while i < bytes.count {
            guard i + 3 <= bytes.count, let n = bytes.u16(i + 1).map(Int.init) else { throw QMIDecodeError("a TLV header is cut off") }
            guard n <= bytes.count - (i + 3) else {
                throw QMIDecodeError("TLV 0x\(Hex.byte(bytes[i])) claims \(n) bytes, \(bytes.count - i - 3) are left")
            }
            if out[bytes[i]] == nil { out[bytes[i]] = Array(bytes[(i + 3)..<(i + 3 + n)]) }
            i += 3 + n
        }
        return QMITLVs(values: out)
    }

    /// How a byte stream splits into QMUX messages: a 0x01 marker, then the length of what follows.
    public static let framing = MessageFraming(name: "QMUX", headerBytes: 3, minLength: 12, maxLength: 1 << 16) { h in
        guard h[h.startIndex] == 0x01, let n = h.u16(h.startIndex + 1) else { return nil }
        return Int(n) + 1
    }
}

/// A message's TLVs, each read with bounds checks.
public struct QMITLVs: Sendable, Equatable {
    public var values: [UInt8: [UInt8]]

    public subscript(_ type: UInt8) -> [UInt8]? { values[type] }

    /// The Result TLV (0x02): status (0 success, 1 failure) and error code.
    public var result: (ok: Bool, error: UInt16)? {
        guard let v = values[0x02], let status = v.u16(0), let error = v.u16(2) else { return nil }
        return (status == 0, error)
    }

    /// A string filling a whole TLV (no length prefix), NULs at the end dropped.
    public func string(_ type: UInt8) -> String? {
        guard var v = values[type] else { return nil }
        while v.last == 0 { v.removeLast() }
        guard !v.isEmpty else { return nil }
        return String(decoding: v, as: UTF8.self)
    }
}

/// Reads a TLV's value field by field; every read is bounds-checked and names its field.
struct QMIReader {
    let bytes: [UInt8]
    var at = 0
    let tlv: String

    init(_ bytes: [UInt8], tlv: String) {
        self.bytes = bytes
        self.tlv = tlv
    }

    private func need(_ n: Int, _ field: String) throws(QMIDecodeError) {
        guard at >= 0, n <= bytes.count - at else {
            throw QMIDecodeError("\(tlv): \(field) needs \(n) bytes at offset \(at), the TLV has \(bytes.count)")
        }
    }

    mutating func u8(_ field: String) throws(QMIDecodeError) -> UInt8 {
        try need(1, field)
        defer { at += 1 }
        return bytes[at]
    }

    mutating func i8(_ field: String) throws(QMIDecodeError) -> Int8 { Int8(bitPattern: try u8(field)) }

    mutating func u16(_ field: String) throws(QMIDecodeError) -> UInt16 {
        try need(2, field)
        defer { at += 2 }
        return bytes.u16(at)!
    }

    mutating func i16(_ field: String) throws(QMIDecodeError) -> Int16 { Int16(bitPattern: try u16(field)) }

    mutating func u32(_ field: String) throws(QMIDecodeError) -> UInt32 {
        try need(4, field)
        defer { at += 4 }
        return bytes.u32(at)!
    }

    /// `n` raw bytes.
    mutating func raw(_ n: Int, _ field: String) throws(QMIDecodeError) -> [UInt8] {
        try need(n, field)
        defer { at += n }
        return Array(bytes[at..<(at + n)])
    }

    /// A string inside a structure: a u8 length, then the bytes.
    mutating func prefixedString(_ field: String) throws(QMIDecodeError) -> String {
        let n = Int(try u8(field + " length"))
        var v = try raw(n, field)
        while v.last == 0 { v.removeLast() }
        return String(decoding: v, as: UTF8.self)
    }

    /// A fixed-size string (`MCC`, `MNC` of system info): ASCII, padding dropped.
    mutating func fixedString(_ n: Int, _ field: String) throws(QMIDecodeError) -> String {
        let v = try raw(n, field)
        return String(decoding: v.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)
    }
}

// MARK: - Little-endian helpers

extension Collection where Element == UInt8, Index == Int {
    func u16(_ i: Int) -> UInt16? {
        guard i >= startIndex, i + 2 <= endIndex else { return nil }
        return UInt16(self[i]) | UInt16(self[i + 1]) << 8
    }

    func u32(_ i: Int) -> UInt32? {
        guard i >= startIndex, i + 4 <= endIndex else { return nil }
        return UInt32(self[i]) | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2]) << 16 | UInt32(self[i + 3]) << 24
    }
}

extension Array where Element == UInt8 {
    mutating func putU16(_ v: UInt16) {
        append(UInt8(v & 0xFF)); append(UInt8(v >> 8))
    }
}
