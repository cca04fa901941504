import Glibc
import TMDiagCore

/// Why a command produced no reply.
public enum ATSessionError: Error, Sendable, Equatable {
    /// The command is not on the read-only allowlist; nothing was written.
    case forbidden(String)
    /// No final result code before the deadline.
    case timeout(command: String)
    /// The port went away (unplugged, hung up) mid-conversation.
    case disconnected(command: String, errno: Int32)
    /// The port's total time budget is spent.
    case budgetSpent
    /// The modem sent more than `maxReplyBytes` for one command (a flood, or a runaway log port).
    case flood(command: String)
    case io(command: String, errno: Int32)
}

/// An AT conversation on one port. Enforces the read-only allowlist, drains stale input before
/// each command, handles echo on or off, separates unsolicited lines from the reply in flight,
/// recognises every final result code, resynchronises with a bare `AT` after a timeout, and
/// stops for good once the port's total budget is spent. Not Sendable: one port, one thread.
public final class ATSession {
    public let port: SerialPort
    public let deadline: ContinuousClock.Instant
    /// Every command actually written, in order (tests use it to prove the allowlist holds).
    public private(set) var written: [String] = []
    public var numericMode = false
    public let maxLineBytes = 64 * 1024
    public let maxReplyBytes = 1 << 20
    private var pending: [UInt8] = []
    /// A trace hook for `--debug` (direction, escaped text).
    public var trace: ((String, String) -> Void)?

    public init(port: SerialPort, deadline: ContinuousClock.Instant) {
        self.port = port
        self.deadline = deadline
    }

    /// Sends one command and collects its reply. `timeout` is per command; the session's
    /// deadline caps it.
    public func send(_ command: String, timeout: Duration) throws(ATSessionError) -> ATExchange {
        guard ATCommandPolicy.isAllowed(command) else { throw .forbidden(command) }
        let now = ContinuousClock.now
        guard now < deadline else { throw .budgetSpent }
        let cmdDeadline = min(now.advanced(by: timeout), deadline)
        do {
            let stale = try port.drain()
            // Input from before this command (late replies, URCs) is not its reply: dropped whole.
            if !stale.isEmpty { pending.removeAll() }
            written.append(command)
            trace?(">>", command)
            try port.write(Array(command.utf8) + [0x0D], deadline: cmdDeadline)
        } catch {
            throw map(error, command)
        }
        let started = ContinuousClock.now
        var ex = try collect(command: command, until: cmdDeadline)
        ex.durationMs = started.duration(to: .now).milliseconds
        if ex.final == .timeout {
            resync()
            throw .timeout(command: command)
        }
        return ex
    }

    /// Reads lines until a final result code; the echo (if any) and URCs are set aside.
    private func collect(command: String, until cmdDeadline: ContinuousClock.Instant) throws(ATSessionError) -> ATExchange {
        var ex = ATExchange(command: command, lines: [], final: .timeout)
        // A line of several commands expects each one's reply prefix.
        let prefixes = ATBatch.replyPrefixes(of: command)
        var sawEcho = false
        var total = 0
        while true {
            while let line = nextLine() {
                total += line.utf8.count
                if total > maxReplyBytes { throw .flood(command: command) }
                let trimmed = line.trimmingSpaces
                if trimmed.isEmpty { continue }
                trace?("<<", trimmed)
                if !sawEcho, ex.lines.isEmpty, trimmed.caseInsensitiveCompare(command) == .orderedSame {
                    sawEcho = true
                    continue
                }
                if let f = FinalResult.parse(trimmed, numericMode: numericMode) {
                    ex.final = f
                    ex.finalRaw = trimmed
                    return ex
                }
                if prefixes.allSatisfy({ URCs.isURC(trimmed, expecting: $0) }) {
                    ex.urcs.append(trimmed)
                } else {
                    ex.lines.append(trimmed)
                }
            }
            let chunk: [UInt8]
            do {
                chunk = try port.read(deadline: cmdDeadline)
            } catch {
                if case .disconnected = error {
                    ex.final = .disconnected
                    throw map(error, command)
                }
                throw map(error, command)
            }
            if chunk.isEmpty, ContinuousClock.now >= cmdDeadline { return ex }
            pending += chunk
            total += chunk.count
            if total > maxReplyBytes * 2 { throw .flood(command: command) }
        }
    }

    /// The next complete line (ended by CR or LF) from the buffer; a line longer than
    /// `maxLineBytes` is cut there so that a flood cannot grow memory without end.
    private func nextLine() -> String? {
        guard !pending.isEmpty else { return nil }
        if let end = pending.firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) {
            let line = Array(pending[0..<min(end, maxLineBytes)])
            pending.removeSubrange(0...end)
            return TerminalText.decode(line.filter { $0 != 0 })
        }
        if pending.count > maxLineBytes {
            let line = Array(pending[0..<maxLineBytes])
            pending.removeSubrange(0..<maxLineBytes)
            return TerminalText.decode(line.filter { $0 != 0 })
        }
        // V0 mode ends results with CR only; a lone final digit may wait without a line end.
        return nil
    }

    /// After a timeout: send a bare `AT` until one comes back cleanly (its `OK` is the first
    /// line after it), so that a late reply to the timed-out command cannot be read as the
    /// next command's. At most three tries, each short, all within the session's deadline.
    private func resync() {
        for _ in 0..<3 {
            guard ContinuousClock.now < deadline else { return }
            let tryDeadline = min(ContinuousClock.now.advanced(by: .milliseconds(500)), deadline)
            do {
                if !(try port.drain()).isEmpty { pending.removeAll() }
                pending.removeAll()
                written.append("AT")
                try port.write(Array("AT\r".utf8), deadline: tryDeadline)
                let ex = try collect(command: "AT", until: tryDeadline)
                if ex.final == .ok, ex.lines.isEmpty { return }
            } catch {
                return
            }
        }
    }

    private func map(_ e: SerialError, _ command: String) -> ATSessionError {
        switch e {
        case let .disconnected(_, err): return .disconnected(command: command, errno: err)
        case let .io(_, err): return err == ETIMEDOUT ? .timeout(command: command) : .io(command: command, errno: err)
        case let .open(_, err): return .io(command: command, errno: err)
        }
    }
}
