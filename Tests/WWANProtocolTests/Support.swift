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
