import Foundation
import Testing
import TMDiagCore
import TestSupport

/// "What changed", found by tmdiag: the same emulated modem reported twice, the second time
/// with another firmware and another SIM and no service, through the real binary and store.
@Suite("Changes since the previous report, end to end", .serialized)
struct ChangesEndToEndTests {
    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func secondReportCarriesTheFirmwareAndSIMChangesAndTheTicketShowsThem() async throws {
        let dir = NSTemporaryDirectory() + "tmdiag-changes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = dir + "/s.sqlite"
        let first = try await ReportEndToEndTests.report("report-demo.umockdev", modems: ["/dev/ttyUSB2=healthy"],
                                                         args: ["--json", "--store", store, "--timeout", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        let firstDevice = try #require(ReportEndToEndTests.device(first, "1-1"))
        #expect(firstDevice["changes"] == nil, "a first report has nothing to compare with")
        let firstId = try #require(first.json?["reportId"] as? String)

        let second = try await ReportEndToEndTests.report(
            "report-demo.umockdev",
            modems: ["/dev/ttyUSB2=denied,fw=EC25AFFAR07A09M4G,iccid=8901260999888777666,imsi=310260999888777"],
            args: ["--json", "--store", store, "--timeout", "2"])
        #expect(second.status == 0, "\(second.stderr)")
        let device = try #require(ReportEndToEndTests.device(second, "1-1"))
        let changes = try #require(device["changes"] as? [[String: Any]])
        func change(_ field: String) -> [String: Any]? { changes.first { $0["field"] as? String == field } }
        #expect(change("firmware")?["before"] as? String == "EC25AFFAR07A08M4G")
        #expect(change("firmware")?["after"] as? String == "EC25AFFAR07A09M4G")
        #expect(change("firmware")?["previousReportId"] as? String == firstId)
        // Identifiers masked as everywhere: ICCID to the last 4, IMSI to MCC/MNC.
        #expect(change("iccid")?["before"] as? String == "****0123")
        #expect(change("iccid")?["after"] as? String == "****7666")
        #expect(change("imsi")?["after"] as? String == "310260*********")
        #expect(change("registration")?["after"] as? String == "denied")
        #expect(!second.stdout.contains("8901260999888777666") && !second.stdout.contains("310260999888777"))
        let findings = (second.json?["findings"] as? [[String: Any]]) ?? []
        #expect(findings.contains { $0["id"] as? String == "sim-changed-no-service" }, "the rules see the SIM swap")
        try ReportEndToEndTests.expectValidAgainstSchema(second.stdout)

        let secondId = try #require(second.json?["reportId"] as? String)
        let shown = try await spawn(Built.tmdiag, ["show", secondId, "--store", store, "--no-color"])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.text.contains("Changed since "), "\(shown.text)")
        #expect(shown.text.contains("Firmware: EC25AFFAR07A08M4G -> EC25AFFAR07A09M4G"), "\(shown.text)")

        let ticket = try await spawn(Built.tmdiag, ["ticket", "--store", store, "--report", secondId, "--no-input",
                                                    "--changed", "got a new SIM", "--dry-run"])
        #expect(ticket.status == 0, "\(ticket.stderr)")
        #expect(ticket.text.contains("What changed: got a new SIM"), "\(ticket.text)")
        #expect(ticket.text.contains("Changes tmdiag found since the previous report"), "\(ticket.text)")
        #expect(ticket.text.contains("SIM (ICCID): ****0123 -> ****7666"), "\(ticket.text)")
        #expect(!ticket.text.contains("8901260999888777666"))
    }
}
