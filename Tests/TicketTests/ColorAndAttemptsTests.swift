import Foundation
import Kit
import Testing
@testable import Ticket
import TMDiagCore

@Suite struct ColourDecisionTests {
    @Test func anEmptyNoColorDoesNotCount() {
        func ctx(_ env: [String: String], noColor: Bool = false) -> CommandContext {
            CommandContext(storePath: nil, json: false, noColor: noColor, environment: env)
        }
        #expect(ctx(["TERM": "xterm"]).wantsColor(onTerminal: true))
        #expect(ctx(["TERM": "xterm", "NO_COLOR": ""]).wantsColor(onTerminal: true), "no-color.org: empty does not count")
        #expect(!ctx(["TERM": "xterm", "NO_COLOR": "1"]).wantsColor(onTerminal: true))
        #expect(!ctx(["TERM": "dumb"]).wantsColor(onTerminal: true))
        #expect(!ctx(["TERM": "xterm"], noColor: true).wantsColor(onTerminal: true))
        #expect(!ctx(["TERM": "xterm"]).wantsColor(onTerminal: false))
    }
}

@Suite struct AttemptsLeftTests {
    @Test func thePINFindingSaysTheAttemptsLeftWhenKnown() throws {
        var m = ModemFacts()
        m.sim = SIMFacts(state: .pinRequired)
        m.sim?.pinRetries = 2
        let d = ReportedDevice(device: USBDevice(id: "1-1", kind: .modem, vendorId: "1199", productId: "9079", busPath: "1-1"),
                               modem: m)
        let report = DeviceReport(reportId: "R-TEST02", createdAt: Date(), host: HostInfo(), devices: [d])
        let rules = try shippedData.rules().rules
        let f = RuleEngine.evaluate(rules, RuleEngine.Context(report: report, history: nil, issueSummary: nil, now: Date()))
        let pin = try #require(f.first { $0.id == "sim-pin-locked" })
        #expect(pin.reasoning.contains("(2 attempts left)"), "\(pin.reasoning)")
        #expect(pin.nextStep?.contains("no screen") == true, "a modem's advice: \(pin.nextStep ?? "")")
        m.sim?.pinRetries = nil
        let unknown = RuleEngine.evaluate(rules, RuleEngine.Context(
            report: DeviceReport(reportId: "R-TEST03", createdAt: Date(), host: HostInfo(), devices: [ReportedDevice(device: d.device, modem: m)]),
            history: nil, issueSummary: nil, now: Date()))
        #expect(unknown.first { $0.id == "sim-pin-locked" }?.reasoning.contains("{") == false)
    }
}
