import FakeModemKit
import Foundation
import Glibc
import Testing
import TMDiagCore
@testable import MBIM
@testable import QMI

/// tmdiag through the real `mbim-proxy` and `qmi-proxy` (Debian's libmbim-proxy, libqmi-proxy),
/// which answer a fake on a pty: the route ModemManager uses. The proxies listen on fixed
/// abstract socket names and accept root only: the tests skip when one already runs (it would
/// be a real one) or when not root.
@Suite("Through mbim-proxy and qmi-proxy", .serialized)
struct ProxyTests {
    /// A started proxy and the turn it holds (`ProxyTurn`) while it runs.
    struct RunningProxy {
        let process: Process
        let socket: String
        let turn: Int32?
    }

    /// Starts a proxy and waits until it listens; nil (with the reason printed) when it cannot.
    /// Emulated-modem runs anywhere on the machine wait while it runs (`ProxyTurn`).
    func startProxy(_ candidates: [String], socket: String) -> RunningProxy? {
        guard let path = executable(candidates) else {
            print("SKIP \(socket): not installed (apt-get install libmbim-proxy libqmi-proxy)")
            return nil
        }
        guard getuid() == 0 else {
            print("SKIP \(socket): the proxy accepts root only")
            return nil
        }
        guard !MessagePort.abstractSocketListening(socket) else {
            print("SKIP \(socket): a proxy already runs on this machine; not touching it")
            return nil
        }
        let turn = ProxyTurn.take(exclusive: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = ["--empty-timeout=30"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch {
            ProxyTurn.release(turn)
            print("SKIP \(socket): cannot start \(path): \(error)")
            return nil
        }
        for _ in 0..<200 where !MessagePort.abstractSocketListening(socket) { usleep(10_000) }
        return RunningProxy(process: p, socket: socket, turn: turn)
    }

    func stopProxy(_ proxy: RunningProxy) {
        kill(proxy.process.processIdentifier, SIGKILL)
        proxy.process.waitUntilExit()
        // The socket goes with the process; the turn only after it has.
        for _ in 0..<200 where MessagePort.abstractSocketListening(proxy.socket) { usleep(10_000) }
        ProxyTurn.release(proxy.turn)
    }

    @Test func mbimThroughTheProxyLeavesAConnectedSessionAlone() throws {
        guard let proxy = startProxy(["/usr/libexec/mbim-proxy", "/usr/lib/libmbim/mbim-proxy"], socket: "mbim-proxy") else { return }
        defer { stopProxy(proxy) }
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")))
        let options = WWANOptions(timeout: .seconds(8), requestTimeout: .seconds(3), proxy: .only)
        // The first client makes the proxy open the device (the proxy sends that OPEN).
        let first = MBIMClient.read(path: fake.path, options: options)
        #expect(first.route == "mbim-proxy")
        #expect(first.errors.isEmpty, "\(first.errors)")
        #expect(first.facts.imei == "356938035643809")
        #expect(first.sent.first == "SET PROXY_CONTROL CONFIGURATION")
        // A data session comes up, as ModemManager would connect one through the proxy.
        fake.engine.modify { $0.connectData() }
        let opens = fake.inspect { $0.opens }
        let r = MBIMClient.read(path: fake.path, options: options)
        #expect(r.facts.registration?.state == .home)
        #expect(r.sent.contains("OPEN") && r.sent.contains("CLOSE"), "sent to the proxy, which answers them itself")
        #expect(fake.inspect { $0.opens } == opens && fake.inspect { $0.closes } == 0, "no OPEN or CLOSE reached the device")
        #expect(fake.inspect { $0.contextActive }, "the modem stays connected")
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }

    @Test func qmiThroughTheProxyReleasesItsClientIds() throws {
        guard let proxy = startProxy(["/usr/libexec/qmi-proxy", "/usr/lib/libqmi/qmi-proxy"], socket: "qmi-proxy") else { return }
        defer { stopProxy(proxy) }
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy")))
        let r = QMIClient.read(path: fake.path, options: WWANOptions(timeout: .seconds(8), requestTimeout: .seconds(3), proxy: .only))
        #expect(r.route == "qmi-proxy")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.facts.imei == "356938035643809")
        #expect(r.facts.registration?.state == .home)
        #expect(r.sent.first == "CTL Internal Proxy Open")
        usleep(100_000)
        #expect(fake.inspect { $0.allocated.isEmpty }, "every client id released through the proxy")
        #expect(fake.violations.isEmpty, "\(fake.violations)")
    }
}
