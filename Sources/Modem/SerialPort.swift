import Glibc
import TMDiagCore

/// Why a port read or open failed; errno kept.
public enum SerialError: Error, Sendable, Equatable {
    case open(path: String, errno: Int32)
    case disconnected(path: String, errno: Int32)
    case io(path: String, errno: Int32)
}

/// A serial port opened for talking AT: `O_RDWR | O_NOCTTY | O_NONBLOCK`, raw mode, `CLOCAL | CREAD`,
/// reads bounded by `poll` deadlines. Never requires `isatty` (emulated ports are not ttys);
/// exclusive access (`TIOCEXCL`) is best effort. Owns its descriptor; not Sendable.
public final class SerialPort {
    public let path: String
    private var fd: Int32
    private var exclusive = false
    /// Raised when nobody waits for this port's answers any more; waits then end early with
    /// `ECANCELED` (checked every `stopCheckInterval`).
    private let stop: StopFlag?
    static let stopCheckInterval = 50

    /// Wraps `open(2)`, raw mode (`RawTerminal`) and `ioctl(TIOCEXCL)`.
    public init(path: String, stop: StopFlag? = nil) throws(SerialError) {
        self.path = path
        self.stop = stop
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .open(path: path, errno: errno) }
        self.fd = fd
        RawTerminal.makeRaw(fd, speed: speed_t(B115200))
        exclusive = ioctl(fd, UInt(TIOCEXCL)) == 0
        _ = tcflush(fd, TCIOFLUSH)
    }

    deinit { close() }

    /// Wraps `ioctl(TIOCNXCL)` and `close(2)`.
    public func close() {
        guard fd >= 0 else { return }
        if exclusive { _ = ioctl(fd, UInt(TIOCNXCL)) }
        _ = Glibc.close(fd)
        fd = -1
    }

    /// Wraps `write(2)`, retrying on EAGAIN/EINTR until everything is written or the deadline passes.
    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(SerialError) {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n >= 0 { off += n; continue }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN {
                guard try waitFor(Int16(POLLOUT), deadline: deadline) else { throw .io(path: path, errno: ETIMEDOUT) }
                continue
            }
            if e == EIO || e == ENXIO || e == ENODEV { throw .disconnected(path: path, errno: e) }
            throw .io(path: path, errno: e)
        }
    }

    /// Wraps `poll(2)` + `read(2)`: whatever arrives before the deadline (empty on timeout).
    public func read(max: Int = 4096, deadline: ContinuousClock.Instant) throws(SerialError) -> [UInt8] {
        guard try waitFor(Int16(POLLIN), deadline: deadline) else { return [] }
        var buf = [UInt8](repeating: 0, count: max)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n > 0 { return Array(buf[0..<n]) }
            if n == 0 { throw .disconnected(path: path, errno: 0) }
            let e = errno
            if e == EINTR { continue }
            if e == EAGAIN { return [] }
            if e == EIO || e == ENXIO || e == ENODEV { throw .disconnected(path: path, errno: e) }
            throw .io(path: path, errno: e)
        }
    }

    /// Reads whatever is already waiting, without blocking: stale input before a command.
    public func drain() throws(SerialError) -> [UInt8] {
        var all: [UInt8] = []
        while all.count < 1 << 20 {
            let chunk = try read(deadline: .now)
            if chunk.isEmpty { break }
            all += chunk
        }
        return all
    }

    private func waitFor(_ events: Int16, deadline: ContinuousClock.Instant) throws(SerialError) -> Bool {
        while true {
            if stop?.isRaised == true { throw .io(path: path, errno: ECANCELED) }
            let remaining = ContinuousClock.now.duration(to: deadline)
            let ms = remaining <= .zero ? 0 : Int32(min(remaining.milliseconds, stop == nil ? 60_000 : Self.stopCheckInterval))
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&p, 1, ms)
            if r < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, errno: errno)
            }
            if r == 0 {
                if stop != nil && ContinuousClock.now < deadline { continue }
                return false
            }
            if p.revents & Int16(POLLNVAL) != 0 { throw .disconnected(path: path, errno: EBADF) }
            if p.revents & events != 0 { return true }
            // POLLHUP/POLLERR without data: the other end is gone (unplugged, pty closed).
            if p.revents & Int16(POLLHUP | POLLERR) != 0 { throw .disconnected(path: path, errno: EIO) }
            return false
        }
    }
}
