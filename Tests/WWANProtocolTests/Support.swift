import FakeModemKit
import Foundation
import Glibc
import Synchronization
import TMDiagCore

/// Collects what a trace hook saw.
final class TraceLog: Sendable {
    private let lines = Mutex<[(String, String)]>([])
    var hook: @Sendable (String, String) -> Void { { d, t in self.lines.withLock { $0.append((d, t)) } } }
    var all: [(String, String)] { lines.withLock { $0 } }
}

/// A fake binary modem on a fresh pseudo-terminal: the client opens `path` like a cdc-wdm port.
final class WWANFake<Model: FakeWWANModel>: @unchecked Sendable {
    let pty: FakePTY
    let engine: FakeWWANEngine<Model>
    var path: String { pty.slavePath }

    init(_ model: Model, delayMs: Int = 0, splitWrites: Bool = false) throws {
        pty = try FakePTY()
        engine = FakeWWANEngine(fd: pty.master, model: model, timing: .init(delayMs: delayMs, splitWrites: splitWrites))
        let pty = self.pty
        engine.onHangUp = { pty.hangUp() }
        engine.start()
    }

    var received: [String] { engine.received }
    var violations: [String] { engine.violations }
    var mostPending: Int { engine.mostPending }
    func inspect<T: Sendable>(_ body: (Model) -> T) -> T { engine.inspect(body) }

    deinit { engine.stop() }
}

typealias MBIMFake = WWANFake<FakeMBIMModem>
typealias QMIFake = WWANFake<FakeQMIModem>

/// Options that keep tests fast and never reach a proxy that might run on the machine.
func testOptions(timeout: Duration = .seconds(5), request: Duration = .seconds(1)) -> WWANOptions {
    WWANOptions(timeout: timeout, requestTimeout: request, proxy: .never)
}

func mbimBehaviour(_ scenario: String, _ change: (inout FakeMBIMModem.Behaviour) -> Void = { _ in }) -> FakeMBIMModem.Behaviour {
    var b = FakeMBIMModem.scenario(scenario)!
    change(&b)
    return b
}

func qmiBehaviour(_ scenario: String, _ change: (inout FakeQMIModem.Behaviour) -> Void = { _ in }) -> FakeQMIModem.Behaviour {
    var b = FakeQMIModem.scenario(scenario)!
    change(&b)
    return b
}

/// The first of `candidates` that is an executable file.
func executable(_ candidates: [String]) -> String? {
    candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// A listening abstract unix socket under a unique name: makes a client believe a proxy runs,
/// without any real proxy. With `dropCallers` it accepts each connection and closes it at once,
/// as mbim-proxy and qmi-proxy treat a user they do not serve.
final class AbstractListener: @unchecked Sendable {
    let name: String
    private let fd: Int32

    init(_ prefix: String, dropCallers: Bool = false) throws {
        name = "\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { p in
            p[0] = 0
            for (i, b) in bytes.enumerated() { p[i + 1] = b }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + 1 + bytes.count)
        let r = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard r == 0, listen(fd, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
        if dropCallers {
            let listening = fd
            Thread {
                while true {
                    let c = accept(listening, nil, nil)
                    if c < 0 { return }
                    close(c)
                }
            }.start()
        }
    }

    deinit {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
