import Foundation
import Kit
import Modem
import Profiles
import TMDiagCore
import Testing
import Ticket

/// The phone side: AOSP telephony dumps of Android 10 to 16 and iPhone lockdown answers,
/// replayed by the fake `adb` and `ideviceinfo` in Fixtures/phones/bin (real child processes,
/// real HelperTools), into the same facts a modem has; and the same rules firing on them.
@Suite("Phones: telephony facts per slot through adb and ideviceinfo", .serialized)
struct HandsetTelephonyTests {
    static let phones = fixturesDir.appendingPathComponent("phones")
    static let fakeADB = phones.appendingPathComponent("bin/adb").path
    static let fakeIdeviceinfo = phones.appendingPathComponent("bin/ideviceinfo").path
    let rules = try! shippedData.rules().rules
    let now = date("2026-12-01T12:00:00Z")

    /// The allowlist as this test knows it, written out: the code's list must equal it.
    static let expectedShellCommands: Set<[String]> = [["getprop"], ["dumpsys", "telephony.registry"], ["dumpsys", "phone"]]

    /// Runs `body` with the fake tools pointed at `scenario`, then checks every logged invocation.
    static func withScenario<T>(android scenario: String, _ body: () async throws -> T) async throws -> (T, [[String]]) {
        try await withScenario(androidPath: phones.appendingPathComponent("android/" + scenario).path, body)
    }

    static func withScenario<T>(androidPath: String, _ body: () async throws -> T) async throws -> (T, [[String]]) {
        let log = NSTemporaryDirectory() + "tmdiag-fake-adb-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        setenv("FAKE_ADB_SCENARIO", androidPath, 1)
        setenv("FAKE_ADB_LOG", log, 1)
        defer { unsetenv("FAKE_ADB_SCENARIO"); unsetenv("FAKE_ADB_LOG") }
        let value = try await body()
        return (value, invocations(log))
    }

    static func invocations(_ log: String) -> [[String]] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
    }

    static func read(_ scenario: String, serial: String? = "SERIAL1") async throws -> (HandsetFacts, [[String]]) {
        let catalog = try shippedData.catalog()
        return try await withScenario(android: scenario) {
            await AndroidReader.read(serial: serial, adb: fakeADB, timeout: .seconds(10), catalog: catalog)
        }
    }

    /// Every invocation must be `-s SERIAL shell <allowed command>`, and nothing else.
    static func expectAllowed(_ calls: [[String]], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!calls.isEmpty, "the fake adb logged nothing", sourceLocation: sourceLocation)
        for argv in calls {
            let shell = Array(argv.drop { $0 != "shell" }.dropFirst())
            #expect(argv.first == "-s" && argv.dropFirst(2).first == "shell" && expectedShellCommands.contains(shell),
                    "not on the allowlist: adb \(argv.joined(separator: " "))", sourceLocation: sourceLocation)
            #expect(ADBCommandPolicy.isAllowedInvocation(argv), sourceLocation: sourceLocation)
        }
    }

    func findings(_ d: ReportedDevice) -> [String] {
        let report = DeviceReport(reportId: "R-PHONE1", createdAt: now, host: HostInfo(), devices: [d])
        return RuleEngine.evaluate(rules.filter { !$0.when.needsAccountOrWords },
                                   .init(report: report, history: nil, issueSummary: nil, now: now)).map(\.id)
    }

    func phone(_ h: HandsetFacts) -> ReportedDevice {
        ReportedDevice(device: USBDevice(id: "1-3", kind: .handset, vendorId: "18d1", productId: "4ee2", busPath: "1-3"), handset: h)
    }

    func modem(_ m: ModemFacts) -> ReportedDevice {
        ReportedDevice(device: USBDevice(id: "1-1", kind: .modem, vendorId: "2c7c", productId: "0125", busPath: "1-1"), modem: m)
    }

    // MARK: The allowlist

    @Test func theCodesAllowlistIsExactlyTheReadOnlyCommands() {
        #expect(Set(ADBCommandPolicy.allowed) == Self.expectedShellCommands)
        for bad in [["settings", "put", "global", "airplane_mode_on", "1"], ["am", "start", "x"], ["input", "keyevent", "26"],
                    ["reboot"], ["svc", "data", "disable"], ["service", "call", "iphonesubinfo", "1"], ["dumpsys"],
                    ["dumpsys", "telephony.registry", "--reset"], ["getprop", "; reboot"], ["cmd", "phone", "ims", "disable"]] {
            #expect(!ADBCommandPolicy.isAllowed(bad), "\(bad)")
        }
        #expect(!ADBCommandPolicy.isAllowedInvocation(["reboot"]))
        #expect(!ADBCommandPolicy.isAllowedInvocation(["-s", "X", "install", "a.apk"]))
        #expect(IPhoneReader.isAllowedInvocation(["-u", "X", "-s"]) && IPhoneReader.isAllowedInvocation(["-u", "X"]))
        #expect(!IPhoneReader.isAllowedInvocation(["-u", "X", "-k", "DeviceName"]))
    }

    // MARK: Android versions

    @Test func android10HealthyTakesTheOperatorNumberFromGetprop() async throws {
        let (h, calls) = try await Self.read("android10-healthy")
        Self.expectAllowed(calls)
        #expect(calls.count == 3, "the three reads, each once")
        #expect(h.access == .read)
        #expect(h.readAt != nil, "facts carry the time they were read")
        #expect(h.osVersion == "Android 10")
        let slot = try #require(h.slots?.first)
        #expect(slot.sim?.state == .ready)
        #expect(slot.registration?.state == .home)
        #expect(slot.registration?.technology == "lte")
        #expect(slot.registration?.operator == OperatorInfo(name: "T-Mobile", mcc: "310", mnc: "260"))
        #expect(slot.signal?.rsrpDbm == -87 && slot.signal?.rsrqDb == -9 && slot.signal?.sinrDb == 14)
        #expect(slot.signal?.quality == .good)
        #expect(slot.ims?.registered == true)
        #expect(findings(phone(h)) == ["device-healthy"], "a healthy phone raises nothing else: \(findings(phone(h)))")
    }

    @Test func android12DataDeniedCarriesTheRejectCauseAndFiresTheModemsRule() async throws {
        let (h, calls) = try await Self.read("android12-data-denied")
        Self.expectAllowed(calls)
        let slot = try #require(h.slots?.first)
        let reg = try #require(slot.registration)
        // Voice is registered on UMTS, data (EPS) is refused with EMM cause 7.
        #expect(reg.domains.first { $0.domain == "eps" }?.state == .denied)
        #expect(reg.domains.first { $0.domain == "cs" }?.state == .home)
        #expect(reg.rejectCause?.kind == "emm" && reg.rejectCause?.code == 7)
        #expect(reg.rejectCause?.meaning?.isEmpty == false, "the catalog explains the cause")
        #expect(slot.signal?.rsrpDbm == -95, "voice on UMTS, but the LTE cell it measured is the signal there is")
        #expect(h.imei == ["356938035643809", "356938035643817"], "both IMEIs the build publishes")
        #expect(h.masked(.none).imei?.allSatisfy { Mask.isMasked($0) } == true)
        // The same state on a modem raises the same finding.
        var m = ModemFacts()
        m.sim = SIMFacts(state: .ready)
        m.registration = RegistrationFacts(state: .home, rejectCause: RejectCause(kind: "emm", code: 7))
        m.signal = SignalFacts(quality: .good, rsrpDbm: -95)
        m.ims = IMSFacts(registered: false)
        let phoneFindings = findings(phone(h))
        #expect(phoneFindings.contains("registration-denied-provisioning"), "\(phoneFindings)")
        #expect(Set(phoneFindings) == Set(findings(modem(m))))
    }

    @Test func android14RoamingAbroadIsRoamingWithTheVisitedNetwork() async throws {
        let (h, calls) = try await Self.read("android14-roaming")
        Self.expectAllowed(calls)
        let reg = try #require(h.slots?.first?.registration)
        #expect(reg.state == .roaming)
        #expect(reg.operator == OperatorInfo(name: "Vodafone UK", mcc: "234", mnc: "15"))
        #expect(reg.domains.allSatisfy { $0.domain != "ps" || $0.technology != "iwlan" }, "the WLAN leg is not the network")
        #expect(h.slots?.first?.sim?.operator?.mnc == "260", "the SIM's home network")
        // The carrier's rules tell abroad from a domestic partner; the generic rule gives way.
        #expect(findings(phone(h)).contains("roaming-abroad"))
    }

    @Test func android15NRStandaloneWithoutIMSFiresTheIMSRule() async throws {
        let (h, calls) = try await Self.read("android15-ims-not-registered")
        Self.expectAllowed(calls)
        let slot = try #require(h.slots?.first)
        #expect(slot.registration?.technology == "nr5g-sa")
        #expect(slot.registration?.domains.contains { $0.domain == "5gs" } == true)
        #expect(slot.signal?.rsrpDbm == -84, "the NR SS-RSRP is the primary signal on SA")
        #expect(slot.ims?.registered == false)
        #expect(findings(phone(h)).contains("ims-registration-missing"))
        // A modem that says +CIREG: 0 while registered gets the same finding.
        var m = ModemFacts()
        m.sim = SIMFacts(state: .ready)
        m.registration = RegistrationFacts(state: .home, technology: "nr5g-sa")
        m.signal = SignalFacts(quality: .excellent)
        m.ims = IMSFacts(registered: false)
        #expect(findings(modem(m)).contains("ims-registration-missing"))
    }

    @Test func android16TwoSIMsAreTwoSlotsAndOnlyTheWeakOneWarns() async throws {
        let (h, calls) = try await Self.read("android16-dual-sim")
        Self.expectAllowed(calls)
        let slots = try #require(h.slots)
        #expect(slots.count == 2)
        #expect(slots[0].registration?.technology == "nr5g-nsa", "LTE with the NR leg connected")
        #expect(slots[0].signalByTechnology?["nr5g"]?.rsrpDbm == -97 && slots[0].signalByTechnology?["lte"]?.rsrpDbm == -92)
        #expect(slots[0].signal?.rsrpDbm == -92, "on NSA the LTE anchor is the primary signal")
        #expect(slots[1].registration?.operator?.name == "Verizon")
        #expect(slots[1].signal?.quality == SignalQuality.none || slots[1].signal?.quality == .poor)
        let d = phone(h)
        let report = DeviceReport(reportId: "R-PHONE2", createdAt: now, host: HostInfo(), devices: [d])
        let found = RuleEngine.evaluate(rules.filter { !$0.when.needsAccountOrWords }, .init(report: report, history: nil, issueSummary: nil, now: now))
        let weak = found.filter { $0.id == "weak-signal" }
        #expect(weak.count == 1, "one weak slot, one finding: \(found.map(\.id))")
        #expect(weak.first?.evidence?.first?.hasPrefix("SIM slot 2 (adb): sim ready, registration home on lte, operator 311-480, RSRP -121 dBm") == true,
                "the finding says which slot: \(weak.first?.evidence ?? [])")
    }

    @Test func android13NoSIMInEitherSlotIsOneNoSIMFinding() async throws {
        let (h, calls) = try await Self.read("android13-no-sim")
        Self.expectAllowed(calls)
        #expect(h.slots?.count == 2)
        #expect(h.slots?.allSatisfy { $0.sim?.state == .absent } == true)
        let ids = findings(phone(h))
        #expect(ids.filter { $0 == "sim-absent" }.count == 1, "\(ids)")
    }

    @Test func unauthorisedSaysSoWithTheCustomersSteps() async throws {
        let (h, calls) = try await Self.read("unauthorized")
        Self.expectAllowed(calls)
        #expect(h.access == .unauthorized)
        #expect(h.note?.contains("authorised") == true)
        #expect(h.customerSteps?.contains { $0.contains("Allow") } == true)
        #expect(h.slots == nil)
        #expect(HandsetEnrichment.coverage(h) == ProbeCoverage.none)
    }

    @Test func theReadsRunAtOnceNotOneAfterAnother() async throws {
        // A copy of a healthy phone whose fake calls each wait until all three have arrived:
        // only reads that run at once all meet.
        let copy = NSTemporaryDirectory() + "tmdiag-adb-meet-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: Self.phones.appendingPathComponent("android/android10-healthy").path, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try "3".write(toFile: copy + "/rendezvous", atomically: true, encoding: .utf8)
        let catalog = try shippedData.catalog()
        let (h, calls) = try await Self.withScenario(androidPath: copy) {
            await AndroidReader.read(serial: "SERIAL1", adb: Self.fakeADB, timeout: .seconds(10), catalog: catalog)
        }
        #expect(calls.count == 3, "\(calls)")
        #expect(h.access == .read)
        let met = (try? String(contentsOfFile: copy + "/meet.result", encoding: .utf8)) ?? ""
        #expect(met.split(separator: "\n") == ["met", "met", "met"], "the three reads did not run at once: \(met)")
    }

    // MARK: iPhone

    static func readIPhone(_ scenario: String) async throws -> (HandsetFacts, [[String]]) {
        let log = NSTemporaryDirectory() + "tmdiag-fake-ideviceinfo-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        setenv("FAKE_IDEVICEINFO_SCENARIO", phones.appendingPathComponent("ios/" + scenario).path, 1)
        setenv("FAKE_IDEVICEINFO_LOG", log, 1)
        defer { unsetenv("FAKE_IDEVICEINFO_SCENARIO"); unsetenv("FAKE_IDEVICEINFO_LOG") }
        let h = await IPhoneReader.read(udid: "00008030001A2D8E3C02802E", tool: fakeIdeviceinfo, timeout: .seconds(10))
        let calls = invocations(log)
        #expect(!calls.isEmpty)
        for c in calls { #expect(IPhoneReader.isAllowedInvocation(c), "ideviceinfo \(c)") }
        return (h, calls)
    }

    @Test func trustedIPhoneGivesBasebandIMEIsICCIDAndCarrierBundle() async throws {
        let (h, _) = try await Self.readIPhone("ios17-trusted")
        #expect(h.access == .read)
        #expect(h.model == "iPhone15,4" && h.osVersion == "iOS 17.5.1" && h.build == "21F90")
        #expect(h.baseband == "1.60.02")
        #expect(h.imei?.count == 2)
        #expect(h.carrierBundle == "com.apple.TMobile_US 58.0.1")
        let sim = try #require(h.slots?.first?.sim)
        #expect(sim.state == .ready && sim.iccid == "8901260123456789012" && sim.operator?.mcc == "310")
        let masked = h.masked(.none)
        #expect(masked.slots?.first?.sim?.iccid.map(Mask.isMasked) == true)
        #expect(masked.slots?.first?.sim?.imsi?.hasPrefix("310260") == true && masked.slots?.first?.sim?.imsi != sim.imsi)
    }

    @Test(arguments: ["ios16-not-trusted", "ios18-passcode-locked"])
    func untrustedIPhoneGivesOnlyWhatLockdownTellsAnyoneAndSaysSo(_ scenario: String) async throws {
        let (h, _) = try await Self.readIPhone(scenario)
        #expect(h.access == .notTrusted)
        #expect(h.model != nil && h.osVersion != nil && h.build != nil)
        #expect(h.baseband == nil && h.imei == nil)
        #expect(h.note?.contains("not trusted") == true)
        #expect(h.customerSteps?.contains { $0.contains("Trust") } == true)
        #expect(HandsetEnrichment.coverage(h) == .partial)
    }

    // MARK: Parsers on their own

    @Test func unavailableSignalValuesAreLeftOut() {
        let s = TelephonyRegistryDump.signals("SignalStrength:{mCdma=CellSignalStrengthCdma: cdmaDbm=2147483647,mGsm=CellSignalStrengthGsm: rssi=2147483647 ber=2147483647,mWcdma=CellSignalStrengthWcdma: ss=2147483647 ber=2147483647 rscp=-95 ecno=-7 level=2,mTdscdma=CellSignalStrengthTdscdma: rssi=2147483647,mLte=CellSignalStrengthLte: rssi=2147483647 rsrp=2147483647 rsrq=2147483647 rssnr=2147483647,mNr=CellSignalStrengthNr:{ ssRsrp = 2147483647 },primary=CellSignalStrengthWcdma}")
        #expect(s.keys.sorted() == ["umts"])
        #expect(s["umts"]?.rscpDbm == -95 && s["umts"]?.ecnoDb == -7)
    }

    @Test func hostileDumpsGiveNoFactsAndNoCrash() {
        for text in ["", "Phone Id=", "Phone Id=0\n mServiceState={mVoiceRegState=", "mServiceState=NetworkRegistrationInfo{{{{",
                     String(repeating: "NetworkRegistrationInfo{ registrationState=HOME ", count: 2000),
                     "Phone Id=0\n    mServiceState=\u{1B}]0;x\u{07}NetworkRegistrationInfo{ domain=PS registrationState=DENIED rejectCause=99999999999999999999}"] {
            let phones = TelephonyRegistryDump.phones(text)
            for p in phones { _ = TelephonyRegistryDump.registration(p.serviceState ?? "") }
            _ = TelephonyRegistryDump.registration(text)
            _ = TelephonyRegistryDump.signals(text)
        }
        #expect(TelephonyRegistryDump.phones("").isEmpty)
        #expect(ImsStateDump.registered("mImsRegistered = maybe\n").isEmpty)
    }
}
