import Foundation
import Testing
import TestSupport

/// Fixed AT sessions replayed by umockdev itself (`umockdev-run --script`): every byte tmdiag
/// writes must match the script, so these pin the exact read-only command sequence of the
/// standard probe on two fixture devices.
@Suite("Scripted AT sessions (umockdev-run --script)", .serialized)
struct ScriptedSessionTests {
    static let umockdevRun = Built.umockdevRun

    static func probe(device: String, port: String, script: String) async throws -> (Int32, [String: Any]?, String) {
        let r = try await spawn(umockdevRun!, ["--device", packageRoot + "/Fixtures/devices/" + device,
                                         "--script", port + "=" + packageRoot + "/Fixtures/at/scripts/" + script,
                                         "--", Built.tmdiag, "probe", "--port", port, "--json", "--timeout", "5"])
        return (r.status, r.json, r.stderr)
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed (apt-get install umockdev); scripted sessions skipped"))
    func healthyQuectel() async throws {
        let (status, json, stderr) = try await Self.probe(device: "quectel-ec25.umockdev", port: "/dev/ttyUSB2", script: "quectel-eg25-healthy.script")
        #expect(status == 0, "a write that differs from the script aborts umockdev-run: \(stderr)")
        let m = try #require(json?["modem"] as? [String: Any])
        #expect(m["model"] as? String == "EG25")
        #expect(m["firmware"] as? String == "EG25GGBR07A08M2G")
        #expect(m["imei"] as? String == "86769804***4561")
        #expect((m["registration"] as? [String: Any])?["state"] as? String == "home")
        #expect(((m["registration"] as? [String: Any])?["domains"] as? [[String: Any]])?.first?["lac"] as? String == "2F1E")
        #expect((json?["errors"] as? [Any])?.isEmpty == true)
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; scripted sessions skipped"))
    func sierraWithoutSIM() async throws {
        let (status, json, stderr) = try await Self.probe(device: "sierra-mc7455.umockdev", port: "/dev/ttyUSB2", script: "sierra-mc7455-no-sim.script")
        #expect(status == 0, "\(stderr)")
        let m = try #require(json?["modem"] as? [String: Any])
        #expect(m["model"] as? String == "MC7455")
        #expect(m["firmware"] as? String == "SWI9X30C_02.24.05.06 r7040 CARMD-EV-FRMWR2 2017/05/19 06:23:09", "the revision whole, build date and all")
        #expect((m["sim"] as? [String: Any])?["state"] as? String == "absent")
        #expect((m["signal"] as? [String: Any])?["quality"] as? String == "none")
        let errors = (json?["errors"] as? [[String: Any]]) ?? []
        #expect(errors.map { $0["code"] as? Int } == [10], "only the SIM error; +C5GREG's 'not supported' is not news")
    }
}
