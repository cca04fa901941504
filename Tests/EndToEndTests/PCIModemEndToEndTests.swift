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

    /// `report --json` under the bed with binary fakes behind the control channels.
    static func reportWithFakes(_ fixture: String, _ fakes: [String], timeout: String = "5") async throws
        -> (run: Spawned, log: [String: [String]]) {
        let log = NSTemporaryDirectory() + "tmdiag-bed-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let r = try await spawn(ReportEndToEndTests.bed, ["--devices", packageRoot + "/Fixtures/devices/" + fixture] + fakes
                                 + ["--log", log, "--", ReportEndToEndTests.tmdiag, "report", "--json", "--no-save", "--timeout", timeout],
                                environment: ["PATH": "/usr/bin:/bin"])
        let received = (FileManager.default.contents(atPath: log)
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: [String]] }) ?? [:]
        return (r, received)
    }

    static func device(_ r: Spawned, _ id: String) -> [String: Any]? {
        (r.json?["devices"] as? [[String: Any]])?.first { $0["id"] as? String == id }
    }

    /// Every message a binary fake received was on its allowlist (the fakes log the others
    /// as `NOT ALLOWED:`).
    static func expectOnlyAllowed(_ log: [String: [String]]) {
        for (port, msgs) in log {
            #expect(!msgs.isEmpty, "\(port) was never asked")
            for m in msgs { #expect(!m.hasPrefix("NOT ALLOWED"), "\(port): \(m)") }
        }
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func anMBIMOnlyModemIsReadOverMBIM() async throws {
        let (r, log) = try await Self.reportWithFakes("sierra-em7455-mbim.umockdev", ["--mbim", "/dev/cdc-wdm0=healthy"])
        #expect(r.status == 0, "\(r.stderr)")
        let em = try #require(Self.device(r, "1-2"))
        let probe = try #require(em["probe"] as? [String: Any])
        #expect(probe["method"] as? String == "mbim", "\(probe)")
        #expect(probe["coverage"] as? String == "complete", "\(probe)")
        let modem = try #require(em["modem"] as? [String: Any])
        #expect(modem["firmware"] != nil && modem["imei"] != nil, "\(modem)")
        #expect((modem["imei"] as? String)?.contains("*") == true, "masked by default")
        #expect((modem["sim"] as? [String: Any])?["state"] as? String == "ready")
        #expect((modem["registration"] as? [String: Any])?["state"] as? String == "home")
        Self.expectOnlyAllowed(log)
        try ReportEndToEndTests.expectValidAgainstSchema(r.text)
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func anMBIMModemsServingCellReachesTheReport() async throws {
        let (r, log) = try await Self.reportWithFakes("sierra-em7455-mbim.umockdev", ["--mbim", "/dev/cdc-wdm0=healthy"])
        #expect(r.status == 0, "\(r.stderr)")
        let modem = try #require(Self.device(r, "1-2")?["modem"] as? [String: Any])
        let domains = try #require((modem["registration"] as? [String: Any])?["domains"] as? [[String: Any]])
        let eps = try #require(domains.first { $0["domain"] as? String == "eps" }, "\(domains)")
        #expect(eps["lac"] as? String == "1A2B" && eps["cellId"] as? String == "01A2D101", "\(eps)")
        let signal = try #require(modem["signal"] as? [String: Any])
        #expect(signal["rsrpDbm"] as? Double == -88 && signal["rsrqDb"] as? Double == -11, "\(signal)")
        let sent = log.values.flatMap { $0 }
        #expect(sent.contains("QUERY BASIC_CONNECT DEVICE_SERVICES"), "\(sent)")
        #expect(sent.contains("QUERY MS_BASIC_CONNECT_EXTENSIONS BASE_STATIONS_INFO"), "\(sent)")
        Self.expectOnlyAllowed(log)
        try ReportEndToEndTests.expectValidAgainstSchema(r.text)
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func aQMIOnlyModemIsReadOverQMIWithItsFindings() async throws {
        let (r, log) = try await Self.reportWithFakes("sierra-mc7455-qmi.umockdev", ["--qmi", "/dev/cdc-wdm0=pin-required"])
        #expect(r.status == 0, "\(r.stderr)")
        let mc = try #require(Self.device(r, "1-2"))
        #expect((mc["probe"] as? [String: Any])?["method"] as? String == "qmi")
        #expect(((mc["modem"] as? [String: Any])?["sim"] as? [String: Any])?["state"] as? String == "pin-required")
        let findings = (r.json?["findings"] as? [[String: Any]]) ?? []
        let pin = try #require(findings.first { $0["id"] as? String == "sim-pin-locked" })
        #expect((pin["nextStep"] as? String)?.contains("no screen") == true, "a USB modem's advice: \(pin)")
        Self.expectOnlyAllowed(log)
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func aDeniedMBIMModemCarriesItsExplainedCause() async throws {
        let (r, _) = try await Self.reportWithFakes("sierra-em7455-mbim.umockdev", ["--mbim", "/dev/cdc-wdm0=denied"])
        let em = try #require(Self.device(r, "1-2"))
        let reg = ((em["modem"] as? [String: Any])?["registration"] as? [String: Any])
        #expect(reg?["state"] as? String == "denied", "\(String(describing: reg))")
        #expect(r.json?["verdict"] as? String == "problems-found")
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func aSilentControlChannelEndsWithinItsDeadlineAsNotRead() async throws {
        let started = Date()
        let (r, _) = try await Self.reportWithFakes("sierra-em7455-mbim.umockdev", ["--mbim", "/dev/cdc-wdm0=silent"], timeout: "2")
        #expect(Date().timeIntervalSince(started) < 20)
        let em = try #require(Self.device(r, "1-2"))
        #expect((em["probe"] as? [String: Any])?["coverage"] as? String == "none")
        #expect(r.json?["verdict"] as? String == "incomplete")
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func aPCIeModemWhoseATPortIsSilentIsReadOverMBIM() async throws {
        let (r, log) = try await Self.reportWithFakes("pcie-fibocom-fm350.umockdev",
                                                      ["--modem", "/dev/wwan0at0=silent", "--mbim", "/dev/wwan0mbim0=healthy"],
                                                      timeout: "8")
        #expect(r.status == 0, "\(r.stderr)")
        let fm = try #require((r.json?["devices"] as? [[String: Any]])?.first { $0["bus"] as? String == "pci" })
        let probe = try #require(fm["probe"] as? [String: Any])
        #expect(probe["method"] as? String == "mbim", "\(probe)")
        #expect((probe["note"] as? String)?.contains("gave nothing") == true)
        #expect(log["/dev/wwan0mbim0"]?.isEmpty == false)
    }
}
