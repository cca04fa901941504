import Foundation
import Testing
import TestSupport

/// `tmdiag report` on PCI modems and an MBIM-only USB modem, under `fakemodem-bed`: the wwan
/// AT port of an emulated PCIe modem is answered by a fake modem like a USB tty would be.
@Suite("tmdiag report on emulated PCIe and MBIM-only modems", .serialized)
struct PCIModemEndToEndTests {
    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func theATProbeRunsOverAWwanATPort() async throws {
        let r = try await ReportEndToEndTests.report("pcie-quectel-rm520n.umockdev", modems: ["/dev/wwan0at0=healthy"])
        #expect(r.status == 0, "\(r.stderr)")
        let modem = try #require(ReportEndToEndTests.device(r, "0000:03:00.0"))
        #expect(modem["bus"] as? String == "pci")
        let probe = try #require(modem["probe"] as? [String: Any])
        #expect(probe["method"] as? String == "at")
        #expect(probe["port"] as? String == "/dev/wwan0at0")
        let facts = try #require(modem["modem"] as? [String: Any])
        #expect(facts["firmware"] as? String == "EC25AFFAR07A08M4G", "the fake's answers reached the report")
        #expect((facts["sim"] as? [String: Any])?["state"] as? String == "ready")
        #expect(r.commands["/dev/wwan0at0"]?.contains("AT+CPIN?") == true)
        ReportEndToEndTests.assertReadOnly(r)
        // Nothing was sent to the MBIM or diagnostic channels.
        #expect(r.commands.keys.allSatisfy { $0 == "/dev/wwan0at0" })
        try ReportEndToEndTests.expectValidAgainstSchema(r.stdout)
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func anMBIMOnlyModemIsReportedWithANote() async throws {
        let r = try await ReportEndToEndTests.report("sierra-em7455-mbim.umockdev", modems: [])
        #expect(r.status == 0, "\(r.stderr)")
        let em = try #require(ReportEndToEndTests.device(r, "1-2"))
        #expect(em["kind"] as? String == "modem")
        let probe = try #require(em["probe"] as? [String: Any])
        #expect(probe["method"] as? String == "none")
        #expect((probe["note"] as? String)?.contains("MBIM") == true, "\(probe)")
    }
}
