import Glibc
import SystemPackage
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
        try? FileDescriptor(rawValue: fd).close()
        fd = -1
    }

    /// Wraps `write(2)` (swift-system's, which retries on EINTR), waiting on EAGAIN until
    /// everything is written or the deadline passes.
    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(SerialError) {
        var off = 0
        while off < bytes.count {
            do {
                off += try bytes.withUnsafeBytes { try FileDescriptor(rawValue: fd).write(UnsafeRawBufferPointer(rebasing: $0[off...])) }
            } catch Errno.resourceTemporarilyUnavailable {
                guard try waitFor(Int16(POLLOUT), deadline: deadline) else { throw .io(path: path, errno: ETIMEDOUT) }
            } catch {
                throw failure(error)
            }
        }
    }

    /// Wraps `poll(2)` + `read(2)` (swift-system's, which retries on EINTR): whatever arrives
    /// before the deadline (empty on timeout).
    public func read(max: Int = 4096, deadline: ContinuousClock.Instant) throws(SerialError) -> [UInt8] {
        guard try waitFor(Int16(POLLIN), deadline: deadline) else { return [] }
        var buf = [UInt8](repeating: 0, count: max)
        let n: Int
        do {
            n = try buf.withUnsafeMutableBytes { try FileDescriptor(rawValue: fd).read(into: $0) }
        } catch Errno.resourceTemporarilyUnavailable {
            return []
        } catch {
            throw failure(error)
        }
        if n == 0 { throw .disconnected(path: path, errno: 0) }
        return Array(buf[0..<n])
    }

    /// A failed read or write: the port gone (unplugged) or another I/O error.
    private func failure(_ error: any Error) -> SerialError {
        let e = (error as? Errno)?.rawValue ?? EIO
        if e == EIO || e == ENXIO || e == ENODEV { return .disconnected(path: path, errno: e) }
        return .io(path: path, errno: e)
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

    /// Waits with `Poll`, a slice at a time when a stop flag may end the wait early.
    private func waitFor(_ events: Int16, deadline: ContinuousClock.Instant) throws(SerialError) -> Bool {
        while true {
            if stop?.isRaised == true { throw .io(path: path, errno: ECANCELED) }
            switch Poll.wait(fd: fd, events: events, deadline: deadline, slice: stop == nil ? nil : .milliseconds(Self.stopCheckInterval)) {
            case .ready: return true
            case .timedOut:
                if stop != nil && ContinuousClock.now < deadline { continue }
                return false
            case .gone(let e): throw .disconnected(path: path, errno: e)
            case .failed(let e): throw .io(path: path, errno: e)
            }
        }
    }
}
