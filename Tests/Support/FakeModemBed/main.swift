// fakemodem-bed: run a command against umockdev-emulated USB devices whose AT ports are
// answered by fake modems.
//
//   fakemodem-bed --devices F.umockdev [--devices ...] \
//       --modem /dev/ttyUSB2=healthy[,delay=20][,echo][,as=mc7455][,fw=REV][,iccid=N][,imsi=N] [--modem ...] \
//       --mbim /dev/cdc-wdm0=healthy[,delay=20][,serial][,split][,mbimex=3][,open][,fragment=N][,nocells] \
//       --qmi /dev/cdc-wdm1=pin-required[,delay=20][,serial][,split] [--log FILE] [--waited FILE] -- CMD ARGS...
//
// `--mbim` and `--qmi` serve binary fake modems (FakeMBIMModem, FakeQMIModem) on emulated
// cdc-wdm or wwan ports; `open` starts the MBIM function open with a data context up;
// `serial` answers one message at a time (each DELAY after the previous answer) instead of
// each DELAY after it arrived. `--waited FILE` writes how long, in ms, the command waited on
// the fakes' reply delays (overlapping delays counted once).
//
// The testbed is created in this process (libumockdev); the command runs with the testbed's
// UMOCKDEV_DIR and the preload library, so it sees the devices through the real libudev,
// libusb and /dev, and its writes to an emulated tty reach the fake modem here.
import CUMockdev
import FakeModemKit
import Foundation
import Glibc

@MainActor func next(_ what: String) -> String {
    if args.isEmpty { fail(what) }
    return args.removeFirst()
}

func fail(_ s: String) -> Never {
    FileHandle.standardError.write(Data(("fakemodem-bed: " + s + "\n").utf8))
    exit(70)
}

var devices: [String] = []
var modems: [(String, FakeModemEngine.Behaviour)] = []
/// Binary fakes: the device, and how to build the engine once its master fd is known.
var wwanModems: [(String, @Sendable (Int32) -> any FakeModemServer)] = []
var logPath: String?
var waitedPath: String?
var args = Array(CommandLine.arguments.dropFirst())
var command: [String] = []
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--devices": devices.append(next("--devices needs a file"))
    case "--log": logPath = next("--log needs a file")
    case "--waited": waitedPath = next("--waited needs a file")
    case "--modem":
        let spec = next("--modem needs DEV=SCENARIO")
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { fail("--modem \(spec): expected DEV=SCENARIO[,delay=MS][,echo]") }
        let opts = parts[1].split(separator: ",").map(String.init)
        // `carrier-NAME`: a carrier scenario, the diagnosis queries answered (FakeCarrierReplies).
        let carrier = opts[0].hasPrefix("carrier-") ? FakeModemEngine.carrierScenario(String(opts[0].dropFirst(8))) : nil
        guard var b = carrier ?? FakeModemEngine.scenario(opts[0]) else { fail("unknown scenario \(opts[0])") }
        for o in opts.dropFirst() {
            if o == "echo" { b.echo = true }
            else if o.hasPrefix("delay="), let ms = Int(o.dropFirst(6)) { b.delayMs = ms }
            else if o.hasPrefix("as="), let who = FakeModemEngine.identities[String(o.dropFirst(3))] {
                // Scenario replies (a SIM error, a denial) stay; only who the modem says it is changes.
                for (cmd, reply) in who where b.replies[cmd] == FakeModemEngine.healthy[cmd] { b.replies[cmd] = reply }
            }
            else if o.hasPrefix("fw=") {
                // Another firmware on the same modem (a report after an update).
                let fw = String(o.dropFirst(3))
                b.replies["AT+CGMR"] = fw + "\r\n\r\nOK"
                if let ati = b.replies["ATI"] {
                    b.replies["ATI"] = ati.split(separator: "\r\n", omittingEmptySubsequences: false)
                        .map { $0.hasPrefix("Revision: ") ? "Revision: " + fw : String($0) }.joined(separator: "\r\n")
                }
            }
            else if o.hasPrefix("iccid=") {
                // Another SIM in the same modem (a report after a SIM swap).
                let iccid = String(o.dropFirst(6))
                b.replies["AT+QCCID"] = "+QCCID: " + iccid + "\r\n\r\nOK"
                b.replies["AT+CCID"] = "+CCID: " + iccid + "\r\n\r\nOK"
            }
            else if o.hasPrefix("imsi=") { b.replies["AT+CIMI"] = String(o.dropFirst(5)) + "\r\n\r\nOK" }
            else { fail("unknown modem option \(o)") }
        }
        modems.append((parts[0], b))
    case "--mbim", "--qmi":
        let spec = next("\(a) needs DEV=SCENARIO")
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { fail("\(a) \(spec): expected DEV=SCENARIO[,delay=MS][,serial][,split]") }
        let opts = parts[1].split(separator: ",").map(String.init)
        var delay = 0, split = false, serial = false
        var mbim = FakeMBIMModem.scenario(opts[0])
        let qmi = FakeQMIModem.scenario(opts[0])
        guard a == "--mbim" ? mbim != nil : qmi != nil else { fail("unknown \(a.dropFirst(2)) scenario \(opts[0])") }
        for o in opts.dropFirst() {
            if o.hasPrefix("delay="), let ms = Int(o.dropFirst(6)) { delay = ms }
            else if o == "split" { split = true }
            // One message at a time, each answered DELAY after the previous answer.
            else if o == "serial" { serial = true }
            else if a == "--mbim", o.hasPrefix("mbimex="), let v = Int(o.dropFirst(7)) { mbim?.mbimex = v }
            else if a == "--mbim", o == "open" { mbim?.openAtStart = true; mbim?.contextAtStart = true }
            else if a == "--mbim", o.hasPrefix("fragment="), let n = Int(o.dropFirst(9)) { mbim?.fragmentSize = n }
            // DEVICE_SERVICES lists no MS Basic Connect Extensions (no serving-cell query allowed).
            else if a == "--mbim", o == "nocells" { mbim?.cellInfo = false }
            else { fail("unknown \(a.dropFirst(2)) option \(o)") }
        }
        if a == "--mbim", let b = mbim {
            let timing = FakeWWANEngine<FakeMBIMModem>.Timing(delayMs: delay, splitWrites: split, serial: serial)
            wwanModems.append((parts[0], { fd in FakeWWANEngine(fd: fd, model: FakeMBIMModem(b), timing: timing) }))
        } else if let b = qmi {
            let timing = FakeWWANEngine<FakeQMIModem>.Timing(delayMs: delay, splitWrites: split, serial: serial)
            wwanModems.append((parts[0], { fd in FakeWWANEngine(fd: fd, model: FakeQMIModem(b), timing: timing) }))
        }
    case "--": command = args; args = []
    default: fail("unknown argument \(a)")
    }
}
guard !command.isEmpty else { fail("no command after --") }

guard let bed = umockdev_testbed_new() else { fail("umockdev_testbed_new failed") }
for d in devices {
    var err: UnsafeMutablePointer<GError>?
    if umockdev_testbed_add_from_file(bed, d, &err) == 0 {
        fail("\(d): \(err.map { String(cString: $0.pointee.message) } ?? "cannot load")")
    }
}
/// TIOCGPTN, _IOR('T', 0x30, unsigned int): the pty number behind a master (not exported to Swift).
let tiocgptn: UInt = 0x8004_5430
var engines: [(String, any FakeModemServer)] = []
let servers: [(String, @Sendable (Int32) -> any FakeModemServer)] =
    modems.map { dev, behaviour in (dev, { fd in FakeModemEngine(fd: fd, behaviour: behaviour) }) } + wwanModems
for (dev, make) in servers {
    let fd = umockdev_testbed_get_dev_fd(bed, dev)
    guard fd >= 0 else { fail("\(dev): no such emulated device node") }
    let e = make(fd)
    // Unplugging: every master of this pty is closed (the testbed keeps its own besides the one
    // handed to us), so the program under test reads EIO like from a vanished USB serial port.
    var ptn: UInt32 = 0
    if ioctl(fd, tiocgptn, &ptn) == 0 {
        let mine = ptn
        e.onHangUp = {
            for other in Int32(3)..<Int32(4096) {
                var n: UInt32 = 0
                if ioctl(other, tiocgptn, &n) == 0, n == mine {
                    close(other)
                    if ProcessInfo.processInfo.environment["FAKEMODEM_DEBUG"] != nil { FileHandle.standardError.write(Data("bed: closed master fd \(other) of pts \(mine)\n".utf8)) }
                }
            }
        }
    }
    e.start()
    engines.append((dev, e))
}

// The child gets the testbed and the preload; this process keeps neither in its own linking.
var env = ProcessInfo.processInfo.environment
env["LD_PRELOAD"] = ["libumockdev-preload.so.0", env["LD_PRELOAD"]].compactMap { $0 }.joined(separator: ":")
let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
let argv = command.map { strdup($0) } + [nil]
// Not while a proxy test runs a real mbim-proxy or qmi-proxy: the program under test would
// go through it instead of the emulated port (`ProxyTurn`). Held until the program ends.
let proxyTurn = ProxyTurn.take(exclusive: false)
var pid: pid_t = 0
let rc = posix_spawnp(&pid, command[0], nil, nil, argv, envp)
guard rc == 0 else { fail("cannot run \(command[0]): \(String(cString: strerror(rc)))") }
var status: Int32 = 0
while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
ProxyTurn.release(proxyTurn)
for (_, e) in engines { e.stop() }
if let waitedPath {
    // The benchmarks' denominator: how long the program waited on the fakes' reply delays.
    _ = FileManager.default.createFile(atPath: waitedPath, contents: Data("\(engines.reduce(0) { $0 + $1.1.waitedMs })\n".utf8))
}
if let logPath {
    let log = Dictionary(uniqueKeysWithValues: engines.map { ($0.0, $0.1.received) })
    if let data = try? JSONSerialization.data(withJSONObject: log, options: [.sortedKeys]) {
        _ = FileManager.default.createFile(atPath: logPath, contents: data)
    }
}
let exited = status & 0x7f == 0
exit(exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
