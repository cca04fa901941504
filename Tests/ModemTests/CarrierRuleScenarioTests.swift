import FakeModemKit
import Foundation
import Profiles
import Testing
import TMDiagCore
import Ticket
import Kit
@testable import Modem

/// Each carrier rule on a fake modem that answers the EC25 profile's diagnosis queries the way
/// real firmware does: the probe runs for real on a pseudo-terminal, its facts go into a report,
/// and the shipped rules and carrier facts judge it. Every scenario has a control.
@Suite("Carrier rules on fake modems (Profiles/rules/carrier.yaml)")
struct CarrierRuleScenarioTests {
    static let ec25 = DiagnosisQueryTests.ec25
    static let rules = try! testData.rules().rules.filter { !$0.when.needsAccountOrWords }
    static let carrier = try! testData.carrier().network
    static let carrierRuleIds: Set<String> = {
        let path = repoRoot + "/Profiles/rules/carrier.yaml"
        return Set((try! DiagnosisRules.loadFile(path: path, displayPath: "rules/carrier.yaml")).map(\.id))
    }()

    struct Outcome {
        var findings: [Finding]
        var ids: Set<String> { Set(findings.map(\.id)) }
        func finding(_ id: String) -> Finding? { findings.first { $0.id == id } }
    }

    func judge(_ behaviour: FakeModemEngine.Behaviour, vendorId: String = "2c7c", productId: String = "0125",
               interfaces: [USBInterface] = [], helpers: FCCUnlockHelpers = FCCUnlockHelpers()) throws -> Outcome {
        let fake = try FakeModem(behaviour)
        let options = ProbeOptions(timeout: .seconds(8), commandTimeout: .seconds(1), extraCommands: Self.ec25.commands ?? [],
                                   queries: Self.ec25.queryCommands ?? [], batchQueries: true)
        let r = try Prober.probe(port: fake.slavePath, options: options, catalog: testCatalog, operators: testData.operators)
        for c in fake.received { #expect(ATCommandPolicy.isAllowed(c), "the fake received \(c), which is not on the allowlist") }
        let device = USBDevice(id: "\(vendorId):\(productId)", kind: .modem, vendorId: vendorId, productId: productId,
                               vendor: "Quectel", model: "test modem", busPath: "1-1", interfaces: interfaces)
        let reported = ReportedDevice(device: device, modem: r.facts, errors: r.errors,
                                      probe: ProbeNote(method: "at", port: fake.slavePath, coverage: r.note == nil ? .complete : .partial))
        let report = DeviceReport(reportId: "r1", createdAt: Date(timeIntervalSince1970: 1_800_000_000), host: HostInfo(), devices: [reported])
        let ctx = RuleEngine.Context(report: report, history: nil, issueSummary: nil, now: report.createdAt,
                                     carrier: Self.carrier, fccUnlockHelpers: helpers, providerAPNs: { _, _ in [] })
        return Outcome(findings: RuleEngine.evaluate(Self.rules, ctx))
    }

    func scenario(_ name: String) -> FakeModemEngine.Behaviour { FakeModemEngine.carrierScenario(name)! }

    @Test func healthyControlGivesNoCarrierFinding() throws {
        let o = try judge(scenario("healthy"))
        #expect(o.ids.isDisjoint(with: Self.carrierRuleIds), "\(o.ids)")
        #expect(o.findings.allSatisfy { $0.severity == "info" }, "\(o.ids)")
        #expect(o.ids.contains("device-healthy"))
    }

    @Test func wrongAPNNamesTheAPNAndTheCustomerActs() throws {
        let o = try judge(scenario("apn-wrong"))
        let f = try #require(o.finding("apn-wrong"), "\(o.ids)")
        #expect(f.actor == "customer")
        #expect(f.title.contains("broadband"))
        #expect(f.nextStep?.contains("fast.t-mobile.com") == true)
        #expect(f.evidence?.contains { $0.hasPrefix("+CGDCONT: 1,\"IPV4V6\",\"broadband\"") } == true, "\(f.evidence ?? [])")
        #expect(f.evidence?.contains("+CGACT: 1,0") == true)
        #expect(!o.ids.contains("no-data-context"), "the APN explains it")
        #expect(!o.ids.contains("device-healthy"))
    }

    @Test func missingAPN() throws {
        let o = try judge(scenario("apn-missing"))
        #expect(o.ids.contains("apn-missing"), "\(o.ids)")
        #expect(!o.ids.contains("apn-wrong"))
    }

    @Test func anMVNOSIMIsHeldToItsOwnAPN() throws {
        var b = scenario("healthy")
        b.replies["AT+QSPN"] = "+QSPN: \"T-Mobile\",\"T-Mobile\",\"Mint Mobile\",0,\"310260\"\r\n\r\nOK"
        b.replies["AT+CGACT?"] = "+CGACT: 1,0\r\n\r\nOK"
        b.replies["AT+CGPADDR"] = "+CGPADDR: 1,\"0.0.0.0\"\r\n\r\nOK"
        let o = try judge(b)
        let f = try #require(o.finding("apn-wrong"), "\(o.ids)")
        #expect(f.nextStep?.contains("wholesale") == true)
    }

    @Test func registeredWithoutDataButTheRightAPN() throws {
        let o = try judge(scenario("no-data"))
        #expect(o.ids.contains("no-data-context"), "\(o.ids)")
        #expect(o.ids.isDisjoint(with: ["apn-wrong", "apn-missing"]))
    }

    @Test func anotherCarriersFirmwareConfiguration() throws {
        let o = try judge(scenario("mbn-other-carrier"))
        let f = try #require(o.finding("firmware-config-other-carrier"), "\(o.ids)")
        #expect(f.title.contains("VoLTE-ATT"))
        #expect(f.actor == "device")
        #expect(f.evidence?.contains { $0.contains("\"VoLTE-ATT\"") } == true)
        #expect(f.evidence?.contains("+QMBNCFG: \"AutoSel\",0") == true)
        #expect(!o.ids.contains("ims-not-registered"), "the configuration explains IMS off")
    }

    /// FCC lock stacked on something SIM-looking: CFUN 4 and +CME ERROR: 13 on +CPIN?.
    /// Only the lock is blamed; neither the SIM nor the account.
    @Test func fccLockHidesTheSIMLookingTrouble() throws {
        let o = try judge(scenario("radio-off"), productId: "030a")
        let f = try #require(o.finding("fcc-lock"), "\(o.ids)")
        #expect(f.actor == "device")
        #expect(f.evidence?.contains("+CFUN: 4") == true)
        #expect(o.findings.allSatisfy { $0.category != "sim" && $0.category != "provisioning" }, "\(o.ids)")
        #expect(o.findings.allSatisfy { $0.actor != "carrier-account" })
        #expect(o.ids.isDisjoint(with: ["sim-failure", "sim-absent", "radio-off", "not-registered"]))
        #expect(f.reasoning.contains("Neither the SIM nor the account"))
    }

    @Test func radioOffOnAModemWithoutAnFCCLockIsNoFCCLock() throws {
        let o = try judge(scenario("radio-off"))
        #expect(!o.ids.contains("fcc-lock"))
        #expect(o.ids.contains("radio-off"), "\(o.ids)")
    }

    @Test func anEnabledUnlockHelperMeansNoFCCLockFinding() throws {
        let o = try judge(scenario("radio-off"), productId: "030a", helpers: FCCUnlockHelpers(enabled: ["2c7c:030a"]))
        #expect(!o.ids.contains("fcc-lock"), "\(o.ids)")
        let available = try judge(scenario("radio-off"), productId: "030a", helpers: FCCUnlockHelpers(available: ["2c7c"]))
        #expect(available.finding("fcc-lock")?.reasoning.contains("available") == true, "a shipped helper still needs enabling")
    }

    @Test func imsNotRegisteredWhereVoLTEIsRequired() throws {
        let o = try judge(scenario("ims-unregistered"))
        let f = try #require(o.finding("ims-not-registered"), "\(o.ids)")
        #expect(f.evidence?.contains("+CIREG: 0,0") == true)
        #expect(f.evidence?.contains("+QCFG: \"ims\",2,0") == true)
    }

    @Test func keyBandsSwitchedOff() throws {
        let o = try judge(scenario("bands-missing"))
        let f = try #require(o.finding("key-bands-disabled"), "\(o.ids)")
        #expect(f.title.contains("B12") && f.title.contains("B71"))
        #expect(!f.title.contains("B2,"))
    }

    @Test func pinAttemptsLowNeverSuggestsTrying() throws {
        let o = try judge(scenario("pin-low"))
        let f = try #require(o.finding("pin-attempts-low"), "\(o.ids)")
        #expect(f.reasoning.contains("1 attempt left"))
        #expect(f.nextStep?.contains("Do not try") == true)
        #expect(f.evidence?.contains("+QPINC: \"SC\",1,10") == true)
    }

    @Test func pukAttemptsLow() throws {
        let o = try judge(scenario("puk-low"))
        #expect(o.ids.contains("puk-attempts-low"), "\(o.ids)")
        #expect(!o.ids.contains("sim-puk-locked"), "the more specific finding stands for it")
    }

    @Test func zeroIMEI() throws {
        let o = try judge(scenario("imei-zero"))
        #expect(o.finding("imei-bad")?.title.contains("zero") == true, "\(o.ids)")
        var b = scenario("healthy")
        b.replies["AT+CGSN"] = "356938035643808\r\n\r\nOK"   // last digit off: fails Luhn
        #expect(try judge(b).finding("imei-bad")?.title.contains("invalid") == true)
    }

    @Test func registeredOnAClosedTechnology() throws {
        let o = try judge(scenario("retired-technology"))
        let f = try #require(o.finding("retired-technology"), "\(o.ids)")
        #expect(f.title.contains("2022-07-01"))
    }

    @Test func aDeviceWithOnlyClosedTechnologiesIsToldSoNotTheSIM() throws {
        let o = try judge(scenario("umts-only-searching"))
        let f = try #require(o.finding("no-technology-still-run"), "\(o.ids)")
        #expect(f.title.contains("UMTS"))
        #expect(f.actor == "device")
        #expect(f.evidence?.contains("+WS46: (22)") == true, "\(f.evidence ?? [])")
        #expect(!o.ids.contains("not-registered"), "one cause, one finding: \(o.ids)")
        // Controls: the healthy LTE modem, and a 2G/3G modem (GSM is still run) searching.
        #expect(try judge(scenario("healthy")).finding("no-technology-still-run") == nil)
        var gsm = scenario("umts-only-searching")
        gsm.replies["AT+WS46=?"] = "+WS46: (12,22,29)\r\n\r\nOK"
        #expect(try judge(gsm).finding("no-technology-still-run") == nil)
    }

    @Test func ws46ModesBecomeTechnologies() throws {
        var b = scenario("healthy")
        b.replies["AT+WS46=?"] = "+WS46: (12,22,25,28-31,37)\r\n\r\nOK"
        let fake = try FakeModem(b)
        let options = ProbeOptions(timeout: .seconds(8), commandTimeout: .seconds(1), extraCommands: Self.ec25.commands ?? [],
                                   queries: Self.ec25.queryCommands ?? [], batchQueries: true)
        let r = try Prober.probe(port: fake.slavePath, options: options, catalog: testCatalog, operators: testData.operators)
        #expect(r.facts.technologies == ["gsm", "umts", "lte", "nr5g"])
    }

    @Test func roamingAtHomeIsNotRoamingAbroad() throws {
        let partner = try judge(scenario("roaming-partner"))
        #expect(partner.ids.contains("roaming-domestic-partner"), "\(partner.ids)")
        #expect(!partner.ids.contains("roaming-abroad"))
        let abroad = try judge(scenario("roaming-abroad"))
        #expect(abroad.ids.contains("roaming-abroad"), "\(abroad.ids)")
        #expect(!abroad.ids.contains("roaming-domestic-partner"))
    }

    @Test func aNetworkFunctionWithoutADriver() throws {
        let unbound = [USBInterface(number: 4, class: "02", subclass: "0e", protocol: "00", driver: nil),
                       USBInterface(number: 5, class: "0a", subclass: "00", protocol: "02", driver: nil)]
        let o = try judge(scenario("healthy"), interfaces: unbound)
        let f = try #require(o.finding("net-driver-missing"), "\(o.ids)")
        #expect(f.evidence?.contains("interface 4 (02/0e/00): no driver bound") == true)
        var bound = unbound
        bound[0].driver = "cdc_mbim"
        #expect(try !judge(scenario("healthy"), interfaces: bound).ids.contains("net-driver-missing"))
    }

    /// `tmdiag explain fcc-lock` says what the finding says and gives the same next step.
    @Test func explainBySubjectGivesTheFindingsWords() throws {
        let rules = try testData.rules()
        let fcc = try #require(FindingSubjects.explain("fcc-lock", rules: rules, carrier: Self.carrier))
        let finding = try #require(try judge(scenario("radio-off"), productId: "030a").finding("fcc-lock"))
        #expect(fcc.count == 1)
        #expect(fcc[0].advice == finding.nextStep)
        #expect(fcc[0].meaning.contains("Neither the SIM nor the account is the cause"))
        let apn = try #require(FindingSubjects.explain("APN", rules: rules, carrier: Self.carrier))
        #expect(apn.count == 3)
        #expect(apn.contains { $0.advice.contains("fast.t-mobile.com") && !$0.advice.contains("{") })
        let volte = try #require(FindingSubjects.explain("volte", rules: rules, carrier: Self.carrier))
        let ims = try #require(try judge(scenario("ims-unregistered")).finding("ims-not-registered"))
        #expect(volte.first?.meaning == ims.reasoning)
        #expect(volte.first?.advice == ims.nextStep)
        #expect(FindingSubjects.explain("cme", rules: rules, carrier: Self.carrier) == nil, "error tables stay with the catalog")
        for word in FindingSubjects.words(rules) {
            let all = try #require(FindingSubjects.explain(word, rules: rules, carrier: Self.carrier))
            #expect(all.allSatisfy { !$0.meaning.contains("{") && !$0.advice.contains("{") && !$0.name.contains("{") }, "\(word)")
        }
    }
}
