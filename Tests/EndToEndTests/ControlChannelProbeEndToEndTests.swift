import Foundation
import Testing
import TestSupport

/// `tmdiag probe` on modems without an AT port, and the MBIM client's several-commands-at-once
/// reading, under `fakemodem-bed`: the emulated cdc-wdm port is answered by the binary fakes.
@Suite("tmdiag probe over MBIM and QMI on emulated modems", .serialized)
struct ControlChannelProbeEndToEndTests {
    /// `tmdiag ARGS` under the bed with `fakes`; the JSON and what each fake received.
    static func run(_ fixture: String, _ fakes: [String], _ args: [String]) async throws -> (run: Spawned, log: [String: [String]]) {
        let log = NSTemporaryDirectory() + "tmdiag-bed-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let r = try await spawn(ReportEndToEndTests.bed, ["--devices", packageRoot + "/Fixtures/devices/" + fixture] + fakes
                                 + ["--log", log, "--", ReportEndToEndTests.tmdiag] + args,
                                environment: ["PATH": "/usr/bin:/bin"])
        let received = (FileManager.default.contents(atPath: log)
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: [String]] }) ?? [:]
        return (r, received)
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func probeReadsAnMBIMOnlyModemOverMBIM() async throws {
        let (r, log) = try await Self.run("sierra-em7455-mbim.umockdev", ["--mbim", "/dev/cdc-wdm0=healthy"],
                                          ["probe", "--json", "--timeout", "5"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(r.json, "\(r.text)")
        let probe = try #require(json["probe"] as? [String: Any], "the same probe object as a report's device")
        #expect(probe["method"] as? String == "mbim", "\(probe)")
        #expect(probe["port"] as? String == "/dev/cdc-wdm0")
        #expect(probe["coverage"] as? String == "complete", "\(probe)")
        #expect(json["device"] as? String == "1-2")
        let modem = try #require(json["modem"] as? [String: Any])
        #expect(modem["firmware"] != nil, "\(modem)")
        #expect((modem["imei"] as? String)?.contains("*") == true, "masked like a report: \(modem)")
        #expect((modem["sim"] as? [String: Any])?["state"] as? String == "ready")
        #expect((modem["registration"] as? [String: Any])?["state"] as? String == "home")
        let commands = (json["commands"] as? [String]) ?? []
        #expect(commands.contains("QUERY BASIC_CONNECT DEVICE_CAPS"), "\(commands)")
        #expect(!commands.contains { $0.hasPrefix("SET") }, "\(commands)")
        PCIModemEndToEndTests.expectOnlyAllowed(log)
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func probeByPortTellsMBIMFromQMIByWhatDiscoveryKnows() async throws {
        let (mbim, _) = try await Self.run("sierra-em7455-mbim.umockdev", ["--mbim", "/dev/cdc-wdm0=denied"],
                                           ["probe", "--port", "/dev/cdc-wdm0", "--json", "--timeout", "5"])
        #expect((mbim.json?["probe"] as? [String: Any])?["method"] as? String == "mbim", "\(mbim.text) \(mbim.stderr)")
        let reg = ((mbim.json?["modem"] as? [String: Any])?["registration"] as? [String: Any])
        #expect(reg?["state"] as? String == "denied", "\(String(describing: reg))")
        let errors = (mbim.json?["errors"] as? [[String: Any]]) ?? []
        #expect(errors.contains { ["emm", "gmm"].contains($0["kind"] as? String) && $0["meaning"] != nil }, "the cause explained by the catalog: \(errors)")

        let (qmi, log) = try await Self.run("sierra-mc7455-qmi.umockdev", ["--qmi", "/dev/cdc-wdm0=pin-required"],
                                            ["probe", "--port", "/dev/cdc-wdm0", "--json", "--timeout", "5"])
        #expect(qmi.status == 0, "\(qmi.stderr)")
        #expect((qmi.json?["probe"] as? [String: Any])?["method"] as? String == "qmi", "\(qmi.text)")
        #expect(((qmi.json?["modem"] as? [String: Any])?["sim"] as? [String: Any])?["state"] as? String == "pin-required")
        let sent = (qmi.json?["commands"] as? [String]) ?? []
        #expect(sent.filter { $0.hasPrefix("CTL Allocate CID") }.count == sent.filter { $0.hasPrefix("CTL Release CID") }.count,
                "every client id given back: \(sent)")
        PCIModemEndToEndTests.expectOnlyAllowed(log)
    }

    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func probeAsksTheMBIMChannelWhenTheATPortIsSilent() async throws {
        let (r, log) = try await Self.run("pcie-fibocom-fm350.umockdev",
                                          ["--modem", "/dev/wwan0at0=silent", "--mbim", "/dev/wwan0mbim0=healthy"],
                                          ["probe", "--json", "--timeout", "8"])
        #expect(r.status == 0, "\(r.stderr)")
        let probe = try #require(r.json?["probe"] as? [String: Any], "\(r.text)")
        #expect(probe["method"] as? String == "mbim", "\(probe)")
        #expect(probe["port"] as? String == "/dev/wwan0mbim0")
        #expect((probe["note"] as? String)?.contains("AT port /dev/wwan0at0 gave nothing") == true, "\(probe)")
        #expect(((r.json?["modem"] as? [String: Any])?["sim"] as? [String: Any])?["state"] as? String == "ready")
        #expect(log["/dev/wwan0mbim0"]?.isEmpty == false)
        #expect(log["/dev/wwan0mbim0"]?.contains { $0.hasPrefix("NOT ALLOWED") } == false)
    }

    /// The EM7455's MBIM function says it takes 64 commands at once: the queries that do not
    /// depend on each other go out together, so a slow function costs a few round trips, not
    /// one per query, and the facts are the same as read one at a time.
    @Test(.enabled(if: ReportEndToEndTests.canRun, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func independentQueriesShareTheirWaitWhenTheFunctionAllowsIt() async throws {
        let args = ["probe", "--json", "--timeout", "8"]
        let (together, logTogether) = try await Self.run("sierra-em7455-mbim.umockdev", ["--mbim", "/dev/cdc-wdm0=healthy,delay=150"], args)
        let (serial, logSerial) = try await Self.run("sierra-em7455-mbim.umockdev", ["--mbim", "/dev/cdc-wdm0=healthy,delay=150,serial"], args)
        let t = try #require((together.json?["probe"] as? [String: Any])?["durationMs"] as? Int, "\(together.text)")
        let s = try #require((serial.json?["probe"] as? [String: Any])?["durationMs"] as? Int, "\(serial.text)")
        let messages = logSerial["/dev/cdc-wdm0"]?.count ?? 0
        print("MBIM probe with 150 ms replies: \(t) ms answering at once, \(s) ms one at a time, \(messages) messages")
        #expect(messages >= 10)
        #expect(s >= messages * 150, "one at a time, every delay is waited for")
        // Probe, OPEN, two rounds of queries, CLOSE: 5 round trips instead of 11.
        #expect(t < messages * 150 * 2 / 3, "\(t) ms for \(messages) messages of 150 ms")
        #expect(Set(logTogether["/dev/cdc-wdm0"] ?? []) == Set(logSerial["/dev/cdc-wdm0"] ?? []), "the same messages either way")
        #expect(together.json?["modem"] as? NSDictionary == serial.json?["modem"] as? NSDictionary, "the same facts either way")
        PCIModemEndToEndTests.expectOnlyAllowed(logTogether)
    }
}
