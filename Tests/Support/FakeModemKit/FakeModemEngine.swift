import Foundation
import Glibc
import Synchronization

/// A fake modem that answers on a file descriptor (a pty master, or the master side of a
/// umockdev-emulated port). Tests and the umockdev bed share it, so the probe meets the
/// same fake behind a bare pseudo-terminal and behind real udev emulation.
public final class FakeModemEngine: @unchecked Sendable {
    public struct Behaviour: Sendable {
        public var replies: [String: String] = FakeModemEngine.healthy
        public var echo = false
        public var delayMs = 0
        public var silent = false
        /// Stop answering and close the port after this many commands (unplugged).
        public var hangUpAfter: Int?
        public var urcBeforeReply: String?
        /// This command's reply is held until the host has given up on it and sends its next
        /// command, then sent just before that command is answered: exactly when a careless
        /// host would take it for the next reply. Driven by the host's commands, not a clock,
        /// so a loaded machine cannot change what is tested.
        public var lateCommand: String?
        public var floodBytes = 0
        /// Answers a line of several commands (`AT+A?;+B?`) with ERROR, as a modem that does
        /// not take V.250 concatenation would.
        public var rejectsChainedCommands = false
        public init(replies: [String: String] = FakeModemEngine.healthy, echo: Bool = false, delayMs: Int = 0,
                    silent: Bool = false, hangUpAfter: Int? = nil, urcBeforeReply: String? = nil,
                    lateCommand: String? = nil, floodBytes: Int = 0) {
            self.replies = replies
            self.echo = echo
            self.delayMs = delayMs
            self.silent = silent
            self.hangUpAfter = hangUpAfter
            self.urcBeforeReply = urcBeforeReply
            self.lateCommand = lateCommand
            self.floodBytes = floodBytes
        }
    }

    public static let healthy: [String: String] = [
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

    /// Who a fake says it is (`as=NAME` on the bed's command line), so that each emulated modem
    /// of a demo answers as itself: its own maker, model, firmware and IMEI. The default is the
    /// Quectel EC25 of `healthy`.
    public static let identities: [String: [String: String]] = [
        "ec25": [:],
        "mc7455": [
            "ATI": "Manufacturer: Sierra Wireless, Incorporated\r\nModel: MC7455\r\nRevision: SWI9X30C_02.24.05.06 r7040 CARMD-EV-FRMWR2 2017/05/19 02:05:34\r\nIMEI: 359072061234569\r\n\r\nOK",
            "AT+CGMI": "Sierra Wireless, Incorporated\r\n\r\nOK", "AT+CGMM": "MC7455\r\n\r\nOK",
            "AT+CGMR": "SWI9X30C_02.24.05.06 r7040 CARMD-EV-FRMWR2 2017/05/19 02:05:34\r\n\r\nOK",
            "AT+CGSN": "359072061234569\r\n\r\nOK", "AT+QCCID": "ERROR",
        ],
        "sim7600": [
            "ATI": "Manufacturer: SIMCOM INCORPORATED\r\nModel: SIMCOM_SIM7600G-H\r\nRevision: LE20B04SIM7600G22\r\nIMEI: 861415039876543\r\n\r\nOK",
            "AT+CGMI": "SIMCOM INCORPORATED\r\n\r\nOK", "AT+CGMM": "SIMCOM_SIM7600G-H\r\n\r\nOK",
            "AT+CGMR": "+CGMR: LE20B04SIM7600G22\r\n\r\nOK", "AT+CGSN": "861415039876543\r\n\r\nOK", "AT+QCCID": "ERROR",
        ],
    ]

    /// Named scenarios, for the umockdev bed's command line: `healthy`, `sim-absent`,
    /// `pin-required`, `denied`, `roaming`, `weak`, `silent`, `unplug`.
    public static func scenario(_ name: String) -> Behaviour? {
        var b = Behaviour()
        switch name {
        case "healthy": break
        case "sim-absent":
            b.replies["AT+CPIN?"] = "+CME ERROR: 10"
            b.replies["AT+CCID"] = "+CME ERROR: 10"
            b.replies["AT+QCCID"] = "+CME ERROR: 10"
            b.replies["AT+COPS?"] = "+COPS: 0\r\n\r\nOK"
            for c in ["AT+CREG?", "AT+CGREG?", "AT+CEREG?"] { b.replies[c] = "+\(c.dropFirst(3).dropLast()): 0,0\r\n\r\nOK" }
        case "pin-required":
            b.replies["AT+CPIN?"] = "+CPIN: SIM PIN\r\n\r\nOK"
            b.replies["AT+COPS?"] = "+COPS: 0\r\n\r\nOK"
            for c in ["AT+CREG?", "AT+CGREG?", "AT+CEREG?"] { b.replies[c] = "+\(c.dropFirst(3).dropLast()): 0,0\r\n\r\nOK" }
        case "denied":
            b.replies["AT+CEREG?"] = "+CEREG: 3,3,\"1A2B\",\"01A2D001\",7,0,7\r\n\r\nOK"
            b.replies["AT+CREG?"] = "+CREG: 0,3\r\n\r\nOK"
            b.replies["AT+CGREG?"] = "+CGREG: 0,3\r\n\r\nOK"
            b.replies["AT+COPS?"] = "+COPS: 0\r\n\r\nOK"
            b.replies["AT+CEER"] = "+CEER: EMM cause 7\r\n\r\nOK"
        case "roaming":
            b.replies["AT+COPS?"] = "+COPS: 0,2,\"23415\",7\r\n\r\nOK"
            for c in ["AT+CREG?", "AT+CGREG?", "AT+CEREG?"] { b.replies[c] = "+\(c.dropFirst(3).dropLast()): 0,5\r\n\r\nOK" }
        case "weak":
            b.replies["AT+CSQ"] = "+CSQ: 3,99\r\n\r\nOK"
            b.replies["AT+CESQ"] = "+CESQ: 99,99,255,255,2,12\r\n\r\nOK"
        case "silent": b.silent = true
        case "unplug": b.hangUpAfter = 6
        default: return nil
        }
        return b
    }

    private let fd: Int32
    private let behaviour: Behaviour
    private let log = Mutex<[String]>([])
    private let stopFlag = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    /// Called once when the fake hangs up (the bed removes the device then).
    public var onHangUp: (@Sendable () -> Void)?

    public var received: [String] { log.withLock { $0 } }

    public init(fd: Int32, behaviour: Behaviour) {
        self.fd = fd
        self.behaviour = behaviour
    }

    public func start() {
        let t = Thread { [self] in serve() }
        t.start()
    }

    public func stop() { stopFlag.store(true, ordering: .relaxed) }

    private func send(_ s: String) {
        let bytes = Array(s.utf8)
        var off = 0
        while off < bytes.count, !stopFlag.load(ordering: .relaxed) {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, $0.count - off) }
            if n > 0 { off += n } else if errno == EAGAIN || errno == EINTR { usleep(1000) } else { return }
        }
    }

    /// The reply to one command line. Several commands on a line (V.250 §5.2.1) are answered
    /// in turn, their information lines first and one final OK; the first command that fails
    /// ends the line with its error, and the rest are not run.
    private func reply(to cmd: String) -> String {
        func lookup(_ c: String) -> String { behaviour.replies[c.uppercased()] ?? behaviour.replies[c] ?? "ERROR" }
        var parts: [String] = []
        var current = "", quoted = false
        for c in cmd {
            if c == "\"" { quoted.toggle() }
            if c == ";", !quoted { parts.append(current); current = ""; continue }
            current.append(c)
        }
        parts.append(current)
        guard parts.count > 1 else { return lookup(cmd) }
        if behaviour.rejectsChainedCommands { return "ERROR" }
        var body: [String] = []
        for (i, p) in parts.enumerated() {
            let r = lookup(i == 0 ? p : "AT" + p)
            guard r.hasSuffix("OK") else { return (body + [r]).joined(separator: "\r\n\r\n") }
            let text = r.dropLast(2).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { body.append(text) }
        }
        return (body + ["OK"]).joined(separator: "\r\n\r\n")
    }

    private func serve() {
        var buf = [UInt8]()
        var count = 0
        var held: String?
        while !stopFlag.load(ordering: .relaxed) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 20) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n <= 0 { if n < 0 && errno != EAGAIN && errno != EINTR { usleep(5000) }; continue }
            buf += chunk[0..<n]
            while let cr = buf.firstIndex(of: 0x0D) {
                let cmd = String(decoding: buf[0..<cr], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                buf.removeSubrange(0...cr)
                if cmd.isEmpty { continue }
                log.withLock { $0.append(cmd) }
                count += 1
                if let h = behaviour.hangUpAfter, count > h {
                    // Whoever owns the port hangs it up: the umockdev bed removes the device
                    // (which closes its side); a bare pty is closed here.
                    if let hangUp = onHangUp { hangUp() } else { close(fd) }
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
                if let late = held { send("\r\n" + late + "\r\n"); held = nil }
                let reply = self.reply(to: cmd)
                if cmd == behaviour.lateCommand { held = reply; continue }
                if behaviour.delayMs > 0 { usleep(useconds_t(behaviour.delayMs * 1000)) }
                send("\r\n" + reply + "\r\n")
            }
        }
    }
}
