import Foundation
import Testing
import TestSupport

/// `tmdiag report` on emulated phones (umockdev) with the fake `adb` and `ideviceinfo` of
/// Fixtures/phones/bin first on PATH, replaying recorded phones. Every invocation the fakes
/// log must be on the read-only allowlist, written out here independently of the code's.
@Suite("tmdiag report on phones through the fake adb and ideviceinfo", .serialized)
struct PhoneReportEndToEndTests {
    static let root = packageRoot
    static let tmdiag = Built.tmdiag
    static let umockdevRun = Built.umockdevRun
    static let phones = root + "/Fixtures/phones"

    /// adb: `-s SERIAL shell` and one of these; ideviceinfo: `-u UDID` and `-s` or nothing.
    static let adbAllowed: Set<[String]> = [["getprop"], ["dumpsys", "telephony.registry"], ["dumpsys", "phone"]]

    struct Run {
        var status: Int32
        var json: [String: Any]?
        var text: String
        var adbCalls: [[String]]
        var ideviceinfoCalls: [[String]]
    }

    static func report(_ fixture: String, android: String? = nil, ios: String? = nil, json: Bool = true,
                       tools: Bool = true) async throws -> Run {
        let adbLog = NSTemporaryDirectory() + "tmdiag-e2e-adb-\(UUID().uuidString).log"
        let iosLog = NSTemporaryDirectory() + "tmdiag-e2e-ios-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: adbLog); try? FileManager.default.removeItem(atPath: iosLog) }
        var env = ["PATH": (tools ? phones + "/bin:" : "") + "/usr/bin:/bin", "FAKE_ADB_LOG": adbLog, "FAKE_IDEVICEINFO_LOG": iosLog]
        if let android { env["FAKE_ADB_SCENARIO"] = phones + "/android/" + android }
        if let ios { env["FAKE_IDEVICEINFO_SCENARIO"] = phones + "/ios/" + ios }
        // A short budget: the LG's CDC ACM port has no fake modem behind it and stays silent.
        let r = try await spawn(umockdevRun!, ["--device", root + "/Fixtures/devices/" + fixture, "--", tmdiag, "report", "--no-save",
                                               "--timeout", "3"] + (json ? ["--json"] : []), environment: env)
        return Run(status: r.status, json: r.json, text: r.text, adbCalls: calls(adbLog), ideviceinfoCalls: calls(iosLog))
    }

    static func calls(_ log: String) -> [[String]] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
    }

    static func expectReadOnly(_ r: Run) {
        for argv in r.adbCalls {
            let ok = argv.count >= 3 && argv[0] == "-s" && argv[2] == "shell" && adbAllowed.contains(Array(argv.dropFirst(3)))
            #expect(ok, "adb invocation not on the allowlist: \(argv)")
        }
        for argv in r.ideviceinfoCalls {
            let ok = argv == ["-u", argv.dropFirst().first ?? ""] || argv == ["-u", argv.dropFirst().first ?? "", "-s"]
            #expect(ok, "ideviceinfo invocation not on the allowlist: \(argv)")
        }
    }

    static func handset(_ r: Run) -> [String: Any]? {
        (r.json?["devices"] as? [[String: Any]])?.first { $0["kind"] as? String == "handset" }
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; phone reports skipped"))
    func dualSIMAndroidReportCarriesEachSlotAndTheWeakSlotsFinding() async throws {
        let r = try await Self.report("android-pixel.umockdev", android: "android16-dual-sim")
        #expect(r.status == 0 || r.status == 1, "exit \(r.status)")
        Self.expectReadOnly(r)
        #expect(r.adbCalls.count == 3)
        let phone = try #require(Self.handset(r))
        let h = try #require(phone["handset"] as? [String: Any])
        #expect(h["access"] as? String == "read")
        #expect(h["readAt"] as? String != nil)
        let slots = try #require(h["slots"] as? [[String: Any]])
        #expect(slots.count == 2)
        let reg0 = slots[0]["registration"] as? [String: Any]
        #expect(reg0?["state"] as? String == "home")
        #expect(reg0?["technology"] as? String == "nr5g-nsa")
        #expect((reg0?["operator"] as? [String: Any])?["mnc"] as? String == "260")
        #expect(((slots[0]["signal"] as? [String: Any])?["rsrpDbm"] as? Double) == -92)
        #expect((slots[1]["ims"] as? [String: Any])?["registered"] as? Bool == true)
        #expect((phone["probe"] as? [String: Any])?["method"] as? String == "adb")
        #expect((phone["probe"] as? [String: Any])?["coverage"] as? String == "complete")
        let findings = (r.json?["findings"] as? [[String: Any]]) ?? []
        #expect(findings.contains { $0["id"] as? String == "weak-signal" && ($0["title"] as? String) != nil })
        try ReportEndToEndTests.expectValidAgainstSchema(String(decoding: try JSONSerialization.data(withJSONObject: r.json ?? [:]), as: UTF8.self))
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; phone reports skipped"))
    func deniedPhoneGetsTheSameFindingAsADeniedModem() async throws {
        let r = try await Self.report("android-pixel.umockdev", android: "android12-data-denied")
        Self.expectReadOnly(r)
        let ids = ((r.json?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains("registration-denied-provisioning"), "\(ids)")
        let text = try await Self.report("android-pixel.umockdev", android: "android12-data-denied", json: false)
        #expect(text.text.contains("SIM slot 1:"))
        #expect(text.text.contains("EMM cause 7"))
        // IMEIs are masked on the way out.
        #expect(!text.text.contains("356938035643809"))
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; phone reports skipped"))
    func unauthorisedPhoneSaysWhichAndWhatToDo() async throws {
        let r = try await Self.report("android-pixel.umockdev", android: "unauthorized", json: false)
        Self.expectReadOnly(r)
        #expect(r.text.contains("has not authorised this computer"))
        #expect(r.text.contains("To read this phone:"))
        #expect(r.text.contains("Allow USB debugging?"))
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; phone reports skipped"))
    func missingAdbIsSaidWithTheInstallStep() async throws {
        let r = try await Self.report("android-pixel.umockdev", tools: false)
        let h = try #require(Self.handset(r)?["handset"] as? [String: Any])
        #expect(h["access"] as? String == "tool-missing")
        #expect((h["customerSteps"] as? [String])?.first?.contains("apt install adb") == true)
        #expect(r.adbCalls.isEmpty)
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; phone reports skipped"))
    func phonesWithoutDebuggingOrInChargingModeSayWhatToChange() async throws {
        let r = try await Self.report("phones-new-profiles.umockdev", android: "android10-healthy", json: true)
        let devices = (r.json?["devices"] as? [[String: Any]]) ?? []
        func access(_ id: String) -> String? { (devices.first { $0["id"] as? String == id }?["handset"] as? [String: Any])?["access"] as? String }
        #expect(access("1-1") == "read", "the Nokia has ADB")
        #expect(access("1-4") == "charging-only", "the Alcatel shows no data function")
        let noADB = try await Self.report("phones-no-profile.umockdev", android: "android10-healthy", json: true)
        for d in (noADB.json?["devices"] as? [[String: Any]]) ?? [] {
            let h = d["handset"] as? [String: Any]
            #expect(h?["access"] as? String == "debugging-off", "\(d["id"] ?? "")")
            #expect((h?["customerSteps"] as? [String])?.contains { $0.contains("USB debugging") } == true)
        }
        Self.expectReadOnly(r)
        let tethering = try await Self.report("phone-tethering.umockdev", android: "android10-healthy", json: false)
        #expect(tethering.text.contains("USB tethering"))
        #expect(tethering.text.contains("Choose \"File transfer\"."))
        #expect(tethering.adbCalls.isEmpty, "no ADB interface, no adb call")
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; phone reports skipped"))
    func iPhoneTrustedAndNotTrusted() async throws {
        let trusted = try await Self.report("iphone.umockdev", ios: "ios17-trusted")
        Self.expectReadOnly(trusted)
        let h = try #require(Self.handset(trusted)?["handset"] as? [String: Any])
        #expect(h["access"] as? String == "read")
        #expect(h["baseband"] as? String == "1.60.02")
        #expect((h["imei"] as? [String])?.count == 2)
        #expect((h["imei"] as? [String])?.contains("356789104512346") == false, "IMEIs masked")
        let untrusted = try await Self.report("iphone.umockdev", ios: "ios16-not-trusted", json: false)
        Self.expectReadOnly(untrusted)
        #expect(untrusted.text.contains("has not trusted this computer"))
        #expect(untrusted.text.contains("Trust This Computer?"))
        #expect(untrusted.text.contains("iPhone14,5"))
    }
}
