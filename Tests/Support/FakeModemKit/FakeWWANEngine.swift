import Foundation
import Glibc
import Synchronization

/// What a fake binary modem writes in answer to one message.
public enum FakeWWANOutput: Sendable {
    /// One message (split into two writes when the engine's `splitWrites` is on).
    case message([UInt8])
    /// Bytes as they are: garbage, a truncated reply, a lying header.
    case raw([UInt8])
    /// The same message over and over, until the reader stops reading or `count` is reached.
    case flood([UInt8], count: Int)
    /// Wait before the next output.
    case pause(ms: Int)
    /// Close the port (the device was unplugged).
    case hangUp
}

/// A binary protocol model for `FakeWWANEngine`: framing, and answers to each message.
public protocol FakeWWANModel: Sendable {
    static var headerBytes: Int { get }
    /// The message's length from its header; nil when the bytes start no message.
    static func length(ofHeader: ArraySlice<UInt8>) -> Int?
    /// The outputs for one message from the host, which the model also logs and checks
    /// against its allowlist.
    mutating func answer(_ message: [UInt8]) -> [FakeWWANOutput]
    /// Every message received, by name, in order; those not on the fake's own allowlist start
    /// with `NOT ALLOWED: `.
    var received: [String] { get }
    var violations: [String] { get }
}

/// Serves a `FakeWWANModel` on the master side of a pty (a bare `openpty` pair, or a
/// umockdev-emulated cdc-wdm / wwan port): reassembles the host's messages by their length
/// field (a pty keeps no boundaries), answers after `delayMs`, optionally in two writes.
///
/// By default each message is answered `delayMs` after it arrived, as a function that works
/// on several commands at once does (MBIM's bMaxOutstandingCommandMessages > 1): a host that
/// sends three queries together gets three replies one delay later. `serial` answers one
/// message at a time, each `delayMs` after the previous answer, as a function that takes
/// one command at a time does.
public final class FakeWWANEngine<Model: FakeWWANModel>: @unchecked Sendable {
    public struct Timing: Sendable {
        /// Delay before each answer (the reply delay of a real modem).
        public var delayMs: Int
        /// Write each message in two parts 5 ms apart, so a reader sees partial reads.
        public var splitWrites: Bool
        /// Work on one message at a time (see the type's comment).
        public var serial: Bool
        public init(delayMs: Int = 0, splitWrites: Bool = false, serial: Bool = false) {
            self.delayMs = delayMs
            self.splitWrites = splitWrites
            self.serial = serial
        }
    }

    private let fd: Int32
    private let timing: Timing
    private let model: Mutex<Model>
    private let stopFlag = Atomic<Bool>(false)
    private let hungUp = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    /// Milliseconds during which at least one answer was pending (see `waitedMs`).
    private let waited = Atomic<Int>(0)
    /// The most answers pending at once: above 1 only when the host sent a command before the
    /// previous one's answer went out.
    private let pendingPeak = Atomic<Int>(0)
    /// Called once when the model hangs up: the owner of the descriptor closes it (a test's
    /// `FakePTY`), or removes the device (the umockdev bed).
    public var onHangUp: (@Sendable () -> Void)?

    public init(fd: Int32, model: Model, timing: Timing = Timing()) {
        self.fd = fd
        self.model = Mutex(model)
        self.timing = timing
    }

    public var received: [String] { model.withLock { $0.received } }
    public var violations: [String] { model.withLock { $0.violations } }
    /// How long the host had to wait on this fake's reply delays: the time during which at
    /// least one answer was pending. One at a time (`serial`) that is the sum of the delays;
    /// answering concurrently, delays that overlap count once. A benchmark divides its wall
    /// time by this.
    public var waitedMs: Int { waited.load(ordering: .relaxed) }
    /// The most commands the host had outstanding at once (answers pending in this fake).
    public var mostPending: Int { pendingPeak.load(ordering: .relaxed) }
    /// A look at the model's state (sessions, client ids).
    public func inspect<T: Sendable>(_ body: (Model) -> T) -> T { model.withLock { body($0) } }

    /// Changes the model's state between requests (a data session comes up).
    public func modify(_ body: (inout Model) -> Void) { model.withLock { body(&$0) } }

    public func start() {
        running.store(true, ordering: .relaxed)
        let t = Thread { [self] in
            serve()
            running.store(false, ordering: .relaxed)
        }
        t.start()
    }

    /// Stops serving and waits (up to 2 s) until the serving thread no longer touches the
    /// descriptor, so that its owner may close it.
    public func stop() {
        stopFlag.store(true, ordering: .relaxed)
        for _ in 0..<400 where running.load(ordering: .relaxed) { usleep(5000) }
    }

    private func write(_ bytes: [UInt8]) -> Bool {
        var off = 0
        while off < bytes.count, !stopFlag.load(ordering: .relaxed) {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, $0.count - off) }
            if n > 0 { off += n } else if n < 0 && (errno == EAGAIN || errno == EINTR) { usleep(500) } else { return false }
        }
        return off == bytes.count
    }

    private func perform(_ outputs: [FakeWWANOutput]) {
        for o in outputs {
            if stopFlag.load(ordering: .relaxed) { return }
            switch o {
            case .message(let m):
                if timing.splitWrites, m.count > 1 {
                    let half = m.count / 2
                    _ = write(Array(m[0..<half]))
                    usleep(5000)
                    _ = write(Array(m[half...]))
                } else {
                    _ = write(m)
                }
            case .raw(let b): _ = write(b)
            case .flood(let m, let count):
                for _ in 0..<count where !stopFlag.load(ordering: .relaxed) {
                    if !write(m) { break }
                }
            case .pause(let ms): usleep(useconds_t(ms * 1000))
            case .hangUp:
                hungUp.store(true, ordering: .relaxed)
                onHangUp?()
                return
            }
        }
    }

    private func serve() {
        var buf = [UInt8]()
        /// Answers not yet due (concurrent mode), in the order their messages arrived.
        var due: [(at: ContinuousClock.Instant, outputs: [FakeWWANOutput])] = []
        var coveredUntil = ContinuousClock.now
        while !stopFlag.load(ordering: .relaxed), !hungUp.load(ordering: .relaxed) {
            while let first = due.first, first.at <= .now, !hungUp.load(ordering: .relaxed) {
                due.removeFirst()
                perform(first.outputs)
            }
            var waitMs: Int32 = 20
            if let first = due.first {
                let left = ContinuousClock.now.duration(to: first.at)
                waitMs = min(20, max(0, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)))
            }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, waitMs) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 {
                if n < 0 && errno != EAGAIN && errno != EINTR { usleep(5000) }
                continue
            }
            buf += chunk[0..<n]
            while buf.count >= Model.headerBytes {
                guard let length = Model.length(ofHeader: buf[0..<Model.headerBytes]), length >= Model.headerBytes, length <= 1 << 16 else {
                    buf.removeAll()
                    break
                }
                guard buf.count >= length else { break }
                let message = Array(buf[0..<length])
                buf.removeFirst(length)
                let outputs = model.withLock { $0.answer(message) }
                if outputs.isEmpty { continue }
                if timing.serial {
                    if timing.delayMs > 0 { usleep(useconds_t(timing.delayMs * 1000)) }
                    waited.add(timing.delayMs, ordering: .relaxed)
                    perform(outputs)
                } else {
                    let now = ContinuousClock.now, at = now + .milliseconds(timing.delayMs)
                    if at > coveredUntil {
                        let added = max(now, coveredUntil).duration(to: at)
                        waited.add(Int(added.components.seconds * 1000 + added.components.attoseconds / 1_000_000_000_000_000),
                                   ordering: .relaxed)
                        coveredUntil = at
                    }
                    due.append((at, outputs))
                    if due.count > pendingPeak.load(ordering: .relaxed) { pendingPeak.store(due.count, ordering: .relaxed) }
                }
            }
        }
    }
}

/// A pseudo-terminal pair for tests: the code under test opens `slavePath` like a device
/// node; the fake answers on `master`.
public final class FakePTY: @unchecked Sendable {
    public let master: Int32
    public let slavePath: String
    private let slaveKeep: Int32
    private let masterOpen = Atomic<Bool>(true)

    public init() throws {
        var m: Int32 = -1, s: Int32 = -1
        var name = [CChar](repeating: 0, count: 256)
        guard openpty(&m, &s, &name, nil, nil) == 0 else { throw POSIXError(.EIO) }
        // Raw on both sides: binary bytes pass untouched, no echo.
        for fd in [m, s] {
            var t = termios()
            tcgetattr(fd, &t)
            cfmakeraw(&t)
            tcsetattr(fd, TCSANOW, &t)
        }
        // Non-blocking master: a fake flooding a reader that stopped reading can still stop.
        _ = fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK)
        master = m
        slaveKeep = s
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Closes the master side once: the program on the slave side reads EIO, as from an
    /// unplugged device.
    public func hangUp() {
        if masterOpen.exchange(false, ordering: .relaxed) { close(master) }
    }

    deinit {
        hangUp()
        close(slaveKeep)
    }
}

/// What the umockdev bed needs of any fake modem: serve, stop, the log, a hang-up hook.
public protocol FakeModemServer: AnyObject, Sendable {
    func start()
    func stop()
    var received: [String] { get }
    var onHangUp: (@Sendable () -> Void)? { get set }
    /// How long the host waited on reply delays, in ms (0 where the fake does not count).
    var waitedMs: Int { get }
}

extension FakeModemEngine {
    public var waitedMs: Int { 0 }
}

extension FakeModemEngine: FakeModemServer {}
extension FakeWWANEngine: FakeModemServer {}
