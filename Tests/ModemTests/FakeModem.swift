import Foundation
import Glibc
import Synchronization

/// A fake modem on a pseudo-terminal: the code under test opens the slave path like a real
/// port; this answers on the master from a table, with echo, delays, silence, late replies,
/// garbage, unsolicited lines, floods or a hang-up as a test asks.
final class FakeModem: @unchecked Sendable {
    struct Behaviour: Sendable {
        var replies: [String: String] = FakeModem.healthy
        var echo = false
        var delayMs = 0
        var silent = false
        /// Close the master (the slave then reads EIO) after this many commands.
        var hangUpAfter: Int?
        /// Lines sent before the reply of every command.
        var urcBeforeReply: String?
        /// Answer `lateCommand` only after `lateMs` (longer than the session's command timeout).
        var lateCommand: String?
        var lateMs = 0
        /// Send this many bytes of garbage without a line end when a command arrives.
        var floodBytes = 0
    }

    static let healthy: [String: String] = [
        "AT": "OK", "ATE0": "OK", "AT+CMEE=1": "OK",
        "ATI": "Quectel\r\nEC25\r\nRevision: EC25AFFAR07A08M4G\r\n\r\nOK",
        "AT+CGMI": "Quectel\r\n\r\nOK", "AT+CGMM": "EC25\r\n\r\nOK", "AT+CGMR": "EC25AFFAR07A08M4G\r\n\r\nOK",
        "AT+CGSN": "356938035643809\r\n\r\nOK", "AT+CPIN?": "+CPIN: READY\r\n\r\nOK",
        "AT+QCCID": "+QCCID: 89012601234567890123\r\n\r\nOK", "AT+CCID": "+CCID: 8901260123456789012F\r\n\r\nOK",
        "AT+CIMI": "310260123456789\r\n\r\nOK", "AT+CNUM": "+CNUM: \"\",\"+12065550142\",145\r\n\r\nOK",
        "AT+CFUN?": "+CFUN: 1\r\n\r\nOK", "AT+COPS?": "+COPS: 0,0,\"T-Mobile\",7\r\n\r\nOK",
        "AT+CREG?": "+CREG: 0,1\r\n\r\nOK", "AT+CGREG?": "+CGREG: 0,1\r\n\r\nOK",
        "AT+CEREG?": "+CEREG: 0,1\r\n\r\nOK", "AT+C5GREG?": "ERROR",
        "AT+CSQ": "+CSQ: 21,99\r\n\r\nOK", "AT+CESQ": "+CESQ: 99,99,255,255,20,45\r\n\r\nOK",
        "AT+CEER": "+CEER: No cause information available\r\n\r\nOK",
    ]

    let slavePath: String
    private let master: Int32
    private let slaveKeep: Int32
    private let behaviour: Behaviour
    private let state = Mutex<[String]>([])
    private var thread: Thread?
    private let stopFlag = Atomic<Bool>(false)

    /// Every command the fake received, in order.
    var received: [String] { state.withLock { $0 } }

    init(_ b: Behaviour = Behaviour()) throws {
        var m: Int32 = -1, s: Int32 = -1
        var name = [CChar](repeating: 0, count: 256)
        guard openpty(&m, &s, &name, nil, nil) == 0 else { throw POSIXError(.EIO) }
        var t = termios()
        tcgetattr(s, &t)
        cfmakeraw(&t)
        tcsetattr(s, TCSANOW, &t)
        master = m
        slaveKeep = s
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        behaviour = b
        let th = Thread { [self] in self.serve() }
        thread = th
        th.start()
    }

    func stop() {
        stopFlag.store(true, ordering: .relaxed)
        usleep(30_000)
    }

    deinit {
        stop()
        close(slaveKeep)
    }

    private func send(_ s: String) {
        let bytes = Array(s.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress!, $0.count) }
    }

    private func serve() {
        var buf = [UInt8]()
        var count = 0
        var closed = false
        defer { if !closed { close(master) } }
        while !stopFlag.load(ordering: .relaxed) {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 20) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(master, $0.baseAddress!, $0.count) }
            if n <= 0 { continue }
            buf += chunk[0..<n]
            while let cr = buf.firstIndex(of: 0x0D) {
                let cmd = String(decoding: buf[0..<cr], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                buf.removeSubrange(0...cr)
                if cmd.isEmpty { continue }
                state.withLock { $0.append(cmd) }
                count += 1
                if let h = behaviour.hangUpAfter, count > h {
                    close(master); closed = true
                    return
                }
                if behaviour.silent { continue }
                if behaviour.floodBytes > 0 {
                    var left = behaviour.floodBytes
                    let block = String(repeating: "X", count: 4096)
                    while left > 0, !stopFlag.load(ordering: .relaxed) { send(block); left -= 4096 }
                    continue
                }
                if behaviour.echo { send(cmd + "\r") }
                if let u = behaviour.urcBeforeReply { send("\r\n" + u + "\r\n") }
                let reply = behaviour.replies[cmd.uppercased()] ?? behaviour.replies[cmd] ?? "ERROR"
                if cmd == behaviour.lateCommand {
                    usleep(useconds_t(behaviour.lateMs * 1000))
                } else if behaviour.delayMs > 0 {
                    usleep(useconds_t(behaviour.delayMs * 1000))
                }
                send("\r\n" + reply + "\r\n")
            }
        }
    }
}
