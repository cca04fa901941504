import Glibc
import Testing
import TMDiagCore
@testable import MBIM
@testable import QMI

/// The route choice both clients share (`WWANPortRoute`): the same refusals, worded alike,
/// whichever protocol reads.
@Suite("One route choice for MBIM and QMI")
struct WWANPortRouteTests {
    static let methods: [WWANMethod] = [.mbim, .qmi]
    /// A node no test can open: were it opened, the error would be `.port`, not `.refused`.
    let missing = "/nonexistent/tmdiag-test-wwan-\(getpid())"

    func read(_ method: WWANMethod, _ path: String, _ options: WWANOptions) -> WWANProbeResult {
        method == .mbim ? MBIMClient.read(path: path, options: options) : QMIClient.read(path: path, options: options)
    }

    func proxy(_ method: WWANMethod) -> String { method == .mbim ? "mbim-proxy" : "qmi-proxy" }

    @Test(arguments: methods) func aNodeThatCannotBeOpenedIsSaidSo(_ method: WWANMethod) {
        let r = read(method, missing, testOptions())
        #expect(r.route == "device" && r.note == "cannot open" && r.sent.isEmpty)
        #expect(r.errors.map(\.kind) == [.port])
        #expect(r.errors.first?.what.contains("cannot open: No such file or directory") == true, "\(r.describe)")
    }

    @Test(arguments: methods) func proxyOnlyWithoutAProxyIsRefusedBeforeAnythingOpens(_ method: WWANMethod) {
        let socket = "tmdiag-test-no-such-proxy-\(getpid())"
        let r = read(method, missing, WWANOptions(timeout: .seconds(2), proxy: .only, proxySocket: socket))
        #expect(r.errors.map(\.kind) == [.refused])
        #expect(r.errors.first?.what == "no \(proxy(method)) listens (@\(socket)); the device node was not opened as asked")
        #expect(r.note == nil && r.sent.isEmpty)
    }

    @Test(arguments: methods) func aHeldPortIsRefusedBeforeAnythingOpens(_ method: WWANMethod) {
        var o = testOptions()
        o.heldBy = ["ModemManager (pid 812)", "minicom (pid 5)"]
        let r = read(method, missing, o)
        #expect(r.errors.map(\.kind) == [.refused])
        #expect(r.errors.first?.what.hasPrefix("in use by ModemManager (pid 812), minicom (pid 5); ") == true)
        #expect(r.note == "held by ModemManager (pid 812), minicom (pid 5)" && r.sent.isEmpty)
    }

    /// The proxy holding the port is the route, not a reason to refuse it; the listener here
    /// drops the caller, as a real proxy drops a user it does not serve.
    @Test(arguments: methods) func theProxysOwnHoldLeavesTheProxyRoute(_ method: WWANMethod) throws {
        let listener = try AbstractListener("tmdiag-test-\(proxy(method))", dropCallers: true)
        var o = WWANOptions(timeout: .seconds(2), proxySocket: listener.name)
        o.heldBy = ["\(proxy(method)) (pid 77)"]
        let r = read(method, missing, o)
        #expect(r.route == proxy(method), "\(r.describe)")
        #expect(!r.errors.contains { $0.kind == .refused }, "\(r.describe)")
        #expect(r.note?.contains("serves root and its configured user only") == true, "\(r.describe)")
    }
}
