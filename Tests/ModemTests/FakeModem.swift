import FakeModemKit
import Foundation
import Glibc

/// A `FakeModemEngine` on a fresh pseudo-terminal: the code under test opens `slavePath`
/// like a real port.
final class FakeModem: @unchecked Sendable {
    typealias Behaviour = FakeModemEngine.Behaviour
    static let healthy = FakeModemEngine.healthy

    let slavePath: String
    private let slaveKeep: Int32
    private let engine: FakeModemEngine

    var received: [String] { engine.received }

    init(_ b: Behaviour = Behaviour()) throws {
        var m: Int32 = -1, s: Int32 = -1
        var name = [CChar](repeating: 0, count: 256)
        guard openpty(&m, &s, &name, nil, nil) == 0 else { throw POSIXError(.EIO) }
        var t = termios()
        tcgetattr(s, &t)
        cfmakeraw(&t)
        tcsetattr(s, TCSANOW, &t)
        slaveKeep = s
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        engine = FakeModemEngine(fd: m, behaviour: b)
        engine.start()
    }

    func stop() {
        engine.stop()
        usleep(30_000)
    }

    deinit {
        stop()
        close(slaveKeep)
    }
}
