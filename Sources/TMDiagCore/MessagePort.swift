import Glibc
import SystemPackage

/// Why a message port failed. errno is kept where there is one.
public enum MessagePortError: Error, Sendable, Equatable, CustomStringConvertible {
    case open(path: String, errno: Int32)
    /// The other end went away: the device was unplugged, the pty or the socket closed.
    case disconnected(path: String, errno: Int32)
    case io(path: String, errno: Int32)
    /// The deadline passed before a whole message arrived; `partial` bytes of one were waiting.
    case timeout(path: String, partial: Int)
    /// Bytes that do not start a message of the protocol.
    case garbage(path: String, detail: String)
    /// A header announcing a length the protocol cannot have.
    case badLength(path: String, length: Int, limit: Int)

    public var description: String {
        switch self {
        case let .open(p, e): "\(TerminalText.escape(p)): cannot open: \(Self.text(e))"
        case let .disconnected(p, e): "\(TerminalText.escape(p)): the port went away" + (e == 0 ? "" : " (\(Self.text(e)))")
        case let .io(p, e): "\(TerminalText.escape(p)): I/O error: \(Self.text(e))"
        case let .timeout(p, partial):
            partial == 0 ? "\(TerminalText.escape(p)): no reply in time"
                : "\(TerminalText.escape(p)): a reply stopped after \(partial) bytes (truncated)"
        case let .garbage(p, d): "\(TerminalText.escape(p)): bytes that are no message of the protocol: \(d)"
        case let .badLength(p, l, limit): "\(TerminalText.escape(p)): a message header announces \(l) bytes (the limit is \(limit)): the length field lies"
        }
    }

    static func text(_ e: Int32) -> String { String(cString: strerror(e)) }
}

/// How a byte stream splits into messages: each protocol's header says how long its message is.
public struct MessageFraming: Sendable {
    /// For errors: `MBIM`, `QMUX`.
    public var name: String
    /// Header bytes needed before `length` can answer.
    public var headerBytes: Int
    /// The shortest and the longest message accepted; a header announcing anything else lies.
    public var minLength: Int
    public var maxLength: Int
    /// The whole message's length from its first `headerBytes` bytes; nil when they do not
    /// start a message of this protocol.
    public var length: @Sendable (ArraySlice<UInt8>) -> Int?

    public init(name: String, headerBytes: Int, minLength: Int, maxLength: Int,
                length: @escaping @Sendable (ArraySlice<UInt8>) -> Int?) {
        self.name = name
        self.headerBytes = headerBytes
        self.minLength = minLength
        self.maxLength = maxLength
        self.length = length
    }
}

/// A binary control channel: a cdc-wdm or wwan port (`/dev/cdc-wdm0`, `/dev/wwan0mbim0`), a
/// pseudo-terminal standing in for one, or a proxy's abstract unix socket. Whole messages are
/// written in one `write(2)` each (a cdc-wdm port sends one control transfer per write); reads
/// are reassembled by the protocol's length field, because a real port returns one message per
/// `read` (or part of one when the buffer is short) while a pty or a socket keeps no boundaries.
///
/// Never blocks past a deadline (`poll(2)` with the time left); holds at most one message plus
/// one read in memory; a header that lies about its length or is no header at all is a typed
/// error, never a wait or a crash. Owns its descriptor; not Sendable.
public final class MessagePort {
    public let path: String
    private var fd: Int32
    /// Bytes read but not yet handed out: at most one message and one read.
    private var buffer: [UInt8] = []
    public private(set) var bytesWritten = 0
    public private(set) var bytesRead = 0
    /// Whether this is a proxy's socket rather than the device node.
    public let isSocket: Bool
    /// Whether the other end has gone away (unplugged, closed): nothing more can be said to it.
    public private(set) var isGone = false

    /// Wraps `open(2)` of a device node: `O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC`. A
    /// terminal (a pty standing in for the port) is put in raw mode so that no byte is
    /// translated; a real cdc-wdm or wwan port takes no termios and is left alone.
    public init(device path: String) throws(MessagePortError) {
        self.path = path
        isSocket = false
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .open(path: path, errno: errno) }
        self.fd = fd
        RawTerminal.makeRaw(fd)
    }

    /// Wraps `socket(2)` + `connect(2)` to an abstract unix socket (`@mbim-proxy`,
    /// `@qmi-proxy`); `label` names it in errors.
    public init(abstractSocket name: String, label: String) throws(MessagePortError) {
        path = label
        isSocket = true
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .open(path: label, errno: errno) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        guard bytes.count + 1 <= capacity else {
            Glibc.close(fd)
            throw .open(path: label, errno: ENAMETOOLONG)
        }
        // Abstract: a NUL first, then the name, not NUL-terminated; the length says where it ends.
        withUnsafeMutableBytes(of: &addr.sun_path) { p in
            p[0] = 0
            for (i, b) in bytes.enumerated() { p[i + 1] = b }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + 1 + bytes.count)
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        guard r == 0 else {
            let e = errno
            Glibc.close(fd)
            throw .open(path: label, errno: e)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        self.fd = fd
    }

    deinit { close() }

    /// Wraps `close(2)`.
    public func close() {
        guard fd >= 0 else { return }
        try? FileDescriptor(rawValue: fd).close()
        fd = -1
    }

    /// Whether some process listens on the abstract unix socket `name`, from
    /// `/proc/net/unix`, whose last column shows abstract names as `@name`.
    public static func abstractSocketListening(_ name: String, procNetUnix: String = "/proc/net/unix") -> Bool {
        guard let bytes = PosixFile.read(procNetUnix, limit: 8 << 20) else { return false }
        let want = "@" + name
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if let last = line.split(separator: " ").last, last == want { return true }
        }
        return false
    }

    /// Wraps `ioctl(IOCTL_WDM_MAX_COMMAND)`, `_IOR('H', 0xA0, __u16)`: the largest control
    /// message a cdc-wdm device takes. nil elsewhere (wwan ports, ptys, sockets).
    public var maxControlTransfer: Int? {
        guard fd >= 0, !isSocket else { return nil }
        var v: UInt16 = 0
        guard ioctl(fd, UInt(0x8002_48A0), &v) == 0, v > 0 else { return nil }
        return Int(v)
    }

    /// Wraps `write(2)` (`send(2)` on a socket): the whole message in one call where the port
    /// takes it (a cdc-wdm port always does); a pty or a socket that takes part gets the rest
    /// after `poll(2)`.
    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(MessagePortError) {
        guard fd >= 0 else { throw gone(EBADF) }
        var off = 0
        while off < bytes.count {
            // On a socket, `send` with MSG_NOSIGNAL: a proxy that hung up is an error, not SIGPIPE.
            let n = bytes.withUnsafeBytes { p in
                isSocket ? Glibc.send(fd, p.baseAddress! + off, p.count - off, Int32(MSG_NOSIGNAL))
                         : Glibc.write(fd, p.baseAddress! + off, p.count - off)
            }
            if n >= 0 { off += n; bytesWritten += n; continue }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN {
                guard try waitFor(Int16(POLLOUT), deadline: deadline) else { throw .timeout(path: path, partial: 0) }
                continue
            }
            if e == EIO || e == ENXIO || e == ENODEV || e == EPIPE || e == ECONNRESET { throw gone(e) }
            throw .io(path: path, errno: e)
        }
    }

    /// The next whole message, reassembled by `framing`'s length field, before `deadline`.
    /// Bytes after it stay for the next call; on a timeout the unfinished part stays too (the
    /// rest of a late reply may still come). A header that is no header, or that announces a
    /// length outside the protocol's limits, empties the buffer and throws.
    public func readMessage(_ framing: MessageFraming, deadline: ContinuousClock.Instant) throws(MessagePortError) -> [UInt8] {
        while true {
            if buffer.count >= framing.headerBytes {
                guard let length = framing.length(buffer[0..<framing.headerBytes]) else {
                    let detail = buffer.prefix(16).map { Hex.byte($0) }.joined(separator: " ")
                    buffer.removeAll()
                    throw .garbage(path: path, detail: "\(framing.name) header expected, got \(detail)")
                }
                guard length >= framing.minLength, length <= framing.maxLength else {
                    buffer.removeAll()
                    throw .badLength(path: path, length: length, limit: framing.maxLength)
                }
                if buffer.count >= length {
                    let message = Array(buffer[0..<length])
                    buffer.removeFirst(length)
                    return message
                }
            }
            guard try waitFor(Int16(POLLIN), deadline: deadline) else { throw .timeout(path: path, partial: buffer.count) }
            try readSome()
        }
    }

    /// One `read(2)` (swift-system's, which retries on EINTR) into the buffer: at most 4096
    /// bytes, so the buffer stays bounded.
    private func readSome() throws(MessagePortError) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n: Int
        do {
            n = try chunk.withUnsafeMutableBytes { try FileDescriptor(rawValue: fd).read(into: $0) }
        } catch Errno.resourceTemporarilyUnavailable {
            return
        } catch {
            let e = (error as? Errno)?.rawValue ?? EIO
            if e == EIO || e == ENXIO || e == ENODEV || e == ECONNRESET { throw gone(e) }
            throw .io(path: path, errno: e)
        }
        if n == 0 { throw gone(0) }
        buffer += chunk[0..<n]
        bytesRead += n
    }

    /// Wraps `poll(2)`: whether `events` came before the deadline.
    private func waitFor(_ events: Int16, deadline: ContinuousClock.Instant) throws(MessagePortError) -> Bool {
        guard fd >= 0 else { throw gone(EBADF) }
        switch Poll.wait(fd: fd, events: events, deadline: deadline) {
        case .ready: return true
        case .timedOut: return false
        case .gone(let e): throw gone(e)
        case .failed(let e): throw .io(path: path, errno: e)
        }
    }

    /// Records that the port is gone, for the error to throw.
    private func gone(_ e: Int32) -> MessagePortError {
        isGone = true
        return .disconnected(path: path, errno: e)
    }
}

extension MessagePortError {
    /// The port itself is gone (unplugged, closed), as opposed to talking nonsense.
    public var isGone: Bool {
        switch self {
        case .disconnected, .io, .open: true
        default: false
        }
    }
}
