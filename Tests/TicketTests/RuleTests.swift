import Foundation
import History
import Kit
import Profiles
import TMDiagCore
import Testing
import Ticket

@Suite struct RuleTests {
    let rules = try! shippedData.rules().rules
    let now = date("2026-11-25T12:00:00Z")

    func device(sim: SIMState = .ready, reg: RegistrationState = .home, cause: RejectCause? = nil,
                signal: SignalQuality = .good, errors: [ReportedError] = []) -> DeviceReport {
        var m = ModemFacts()
        m.manufacturer = "Quectel"
        m.model = "EC25"
        m.sim = SIMFacts(state: sim)
        m.registration = RegistrationFacts(state: reg, rejectCause: cause)
        m.signal = SignalFacts(quality: signal)
        let d = ReportedDevice(device: USBDevice(id: "1-1", kind: .modem, vendorId: "2c7c", productId: "0125", busPath: "1-1"),
                               modem: m, errors: errors)
        return DeviceReport(reportId: "R-TEST01", createdAt: now, host: HostInfo(), devices: [d])
    }

    func history(_ events: [ServiceEvent] = [], cases: [SupportCase] = [], type: AccountType = .consumer) -> AccountHistory {
        AccountHistory(account: Account(id: "ACC-1", holder: "H", type: type, plan: "P"), lines: [], events: events,
                       cases: cases, since: nil)
    }

    func ids(_ r: DeviceReport?, _ h: AccountHistory? = nil, summary: String? = nil) -> [String] {
        RuleEngine.evaluate(rules, .init(report: r, history: h, issueSummary: summary, now: now)).map(\.id)
    }

    func daysAgo(_ n: Double) -> Date { now.addingTimeInterval(-n * 86_400) }

    @Test func shippedRulesLoad() throws {
        #expect(rules.count >= 10)
        for id in ["sim-after-swap", "registration-denied-provisioning", "outage-in-window", "roaming-no-service",
                   "repeated-cases", "sim-absent", "sim-pin-locked", "sim-puk-locked", "not-registered", "weak-signal"] {
            #expect(rules.contains { $0.id == id }, "missing rule \(id)")
        }
    }

    @Test func simAbsentShortlyAfterSwapPointsAtTheSwap() {
        let swap = ServiceEvent(accountId: "ACC-1", at: daysAgo(3), kind: .simSwap, summary: "eSIM moved")
        #expect(ids(device(sim: .absent), history([swap])) == ["sim-after-swap"])
        // A swap long ago is not the explanation.
        let old = ServiceEvent(accountId: "ACC-1", at: daysAgo(40), kind: .simSwap, summary: "eSIM moved")
        #expect(ids(device(sim: .absent), history([old])) == ["sim-absent"])
    }

    @Test(arguments: [("emm", 7), ("emm", 8), ("emm", 14), ("gmm", 7), ("gmm", 8), ("gmm", 14)])
    func rejectCausesPointAtProvisioning(_ kind: String, _ code: Int) {
        let r = device(sim: .ready, reg: .denied, cause: RejectCause(kind: kind, code: code))
        let found = RuleEngine.evaluate(rules, .init(report: r, history: nil, issueSummary: nil, now: now))
        #expect(found.first?.id == "registration-denied-provisioning")
        #expect(found.first?.category == "provisioning")
        #expect(found.first?.reasoning.contains("\(kind.uppercased()) cause \(code)") == true)
        #expect(!found.map(\.id).contains("registration-denied"))
    }

    @Test func outageInTheWindowPointsAtTheNetwork() {
        let outage = ServiceEvent(accountId: "ACC-1", at: daysAgo(2), endAt: daysAgo(1), kind: .outage, area: "Spokane",
                                  summary: "Site down")
        let f = ids(device(reg: .searching, signal: .none), history([outage]))
        #expect(f.first == "outage-in-window")
        #expect(!f.contains("not-registered"))
        let old = ServiceEvent(accountId: "ACC-1", at: daysAgo(30), endAt: daysAgo(29), kind: .outage, summary: "Site down")
        #expect(!ids(device(reg: .searching), history([old])).contains("outage-in-window"))
    }

    @Test func roamingAbroadWithoutServicePointsAtRoaming() {
        let trip = ServiceEvent(accountId: "ACC-1", at: daysAgo(5), endAt: daysAgo(-5), kind: .roaming, country: "Japan",
                                summary: "Roaming")
        let found = RuleEngine.evaluate(rules, .init(report: device(reg: .searching), history: history([trip]),
                                                     issueSummary: nil, now: now))
        #expect(found.first?.id == "roaming-no-service")
        #expect(found.first?.reasoning.contains("Japan") == true)
        // The trip is over: no roaming finding.
        let over = ServiceEvent(accountId: "ACC-1", at: daysAgo(20), endAt: daysAgo(10), kind: .roaming, summary: "Roaming")
        #expect(!ids(device(reg: .searching), history([over])).contains("roaming-no-service"))
    }

    @Test func repeatedCasesCallForEscalation() {
        func c(_ n: String, _ d: Double, _ s: String) -> SupportCase {
            SupportCase(number: n, accountId: "ACC-1", channel: .chat, rep: nil, status: .closed, summary: s,
                        resolution: nil, openedAt: daysAgo(d), updatedAt: daysAgo(d))
        }
        let two = history(cases: [c("CAS-1", 10, "No service at home"), c("CAS-2", 5, "Still no service")])
        let found = RuleEngine.evaluate(rules, .init(report: nil, history: two, issueSummary: nil, now: now))
        #expect(found.map(\.id) == ["repeated-cases"])
        #expect(found.first?.reasoning.contains("CAS-2, CAS-1") == true)
        let unrelated = history(cases: [c("CAS-1", 10, "Upgrade question"), c("CAS-2", 5, "No service")])
        #expect(ids(nil, unrelated).isEmpty)
        let drafts = history(cases: [SupportCase(number: nil, accountId: "ACC-1", channel: nil, rep: nil, status: .draft,
                                                 summary: "no service", resolution: nil, openedAt: daysAgo(1), updatedAt: daysAgo(1)),
                                     c("CAS-2", 5, "No service")])
        #expect(ids(nil, drafts).isEmpty, "drafts are not earlier contacts")
    }

    @Test func simpleDeviceFindings() {
        #expect(ids(device(sim: .absent)) == ["sim-absent"])
        #expect(ids(device(sim: .pinRequired, reg: .notRegistered)) == ["sim-pin-locked"])
        #expect(ids(device(sim: .pukRequired, reg: .notRegistered)) == ["sim-puk-locked"])
        #expect(ids(device(sim: .ready, reg: .searching, signal: .fair)) == ["not-registered"])
        #expect(ids(device(signal: .poor)) == ["weak-signal"])
        #expect(ids(device()) == ["device-healthy"])
        #expect(ids(device(), summary: "Why is my bill higher?") == ["billing-question", "device-healthy"])
    }

    @Test func customerWordsInFindingsAreScrubbed() {
        let swap = ServiceEvent(accountId: "ACC-1", at: daysAgo(3), kind: .simSwap, summary: "moved to 8901260123456789012")
        let found = RuleEngine.evaluate(rules, .init(report: device(sim: .absent), history: history([swap]), issueSummary: nil, now: now))
        #expect(found.first?.reasoning.contains("8901260123456789012") == false)
        #expect(found.first?.reasoning.contains("****9012") == true)
    }

    func writeRules(_ yaml: String) throws -> (String, URL) {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("bad.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return (path, dir)
    }

    @Test(arguments: [
        ("category: network", "bad.yaml:5: rules[0].category: unknown category 'network'"),
        ("sim: [gone]", "bad.yaml:9: rules[0].when.sim: unknown sim state 'gone'"),
        ("confidence: 3", "bad.yaml:7: rules[0].confidence: must be between 0 and 1"),
    ])
    func badRuleFilesNameFileAndLine(_ change: String, _ message: String) throws {
        var lines = ["rules:", "  - id: x", "    title: T", "    reasoning: R", "    category: sim", "    severity: problem",
                     "    confidence: 0.5", "    when:", "      sim: [absent]"]
        let key = change.split(separator: ":")[0]
        if let i = lines.firstIndex(where: { $0.trimmingSpaces.hasPrefix(key + ":") }) {
            let indent = lines[i].prefix { $0 == " " }
            lines[i] = indent + change
        }
        let (path, dir) = try writeRules(lines.joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try DiagnosisRules.loadFile(path: path, displayPath: "bad.yaml")
            Issue.record("accepted: \(change)")
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
            #expect(error.status == .dataError)
        }
    }

    @Test func unknownEventKindIsRefused() throws {
        let (path, dir) = try writeRules("""
            rules:
              - id: x
                category: sim
                severity: problem
                confidence: 0.5
                title: T
                reasoning: R
                when:
                  history:
                    - kind: [sim_swapped]
                      withinDays: 3
            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try DiagnosisRules.loadFile(path: path, displayPath: "bad.yaml")
            Issue.record("accepted an unknown event kind")
        } catch {
            #expect(error.message.hasPrefix("bad.yaml:10: rules[0].when.history[0]: kind: unknown event kind 'sim_swapped'"), "\(error.message)")
            #expect(error.status == .dataError)
        }
    }

    @Test func carrierProfileEveryChannelHasASource() throws {
        let c = try shippedData.carrier()
        #expect(c.channels.allSatisfy { !$0.source.isEmpty })
        #expect(c.channels.contains { $0.contact.contains("1-800-937-8997") })
        #expect(c.channels.contains { $0.contact.contains("+1-505-998-3793") })
        #expect(c.channels.contains { $0.contact.contains("1-877-296-1018") })
        #expect(c.departments(category: "roaming", accountType: "business").first?.id == "international")
        #expect(c.departments(category: "sim", accountType: "business").first?.id == "business")
        #expect(c.departments(category: nil, accountType: "consumer").first?.id == "care")
    }

    @Test func theRadioOffExplainsNoRegistration() {
        var r = device(reg: .notRegistered, signal: .none)
        r.devices[0].modem?.functionality = 4
        let found = RuleEngine.evaluate(rules, .init(report: r, history: nil, issueSummary: nil, now: now))
        #expect(found.first?.id == "radio-off")
        #expect(found.first?.title == "The radio is off (CFUN 4)")
        #expect(!found.map(\.id).contains("not-registered"), "the radio being off is why it is not registered")
        #expect(!found.map(\.id).contains("weak-signal"))
        r.devices[0].modem?.functionality = 1
        #expect(!ids(r).contains("radio-off"))
    }

    @Test func firmwareOlderThanTheProfileSaysIsNotedOnlyWhenOlder() {
        var r = device()
        r.devices[0].modem?.firmware = "EC25EFAR06A06M4G"
        func firmwareFinding(_ current: String) -> Finding? {
            RuleEngine.evaluate(rules, .init(report: r, history: nil, issueSummary: nil, now: now,
                                             currentFirmware: ["1-1": current])).first { $0.id == "firmware-old" }
        }
        #expect(firmwareFinding("EC25EFAR06A10M4G")?.title == "Firmware EC25EFAR06A06M4G is older than EC25EFAR06A10M4G")
        #expect(firmwareFinding("EC25EFAR06A06M4G") == nil)
        #expect(firmwareFinding("EC25EFAR06A03M4G") == nil)
        #expect(!ids(r).contains("firmware-old"), "no profile, no claim")
    }

    @Test func roamingIsNotedAndAnActiveTripSaysMore() {
        var r = device(reg: .roaming)
        r.devices[0].modem?.registration?.operator = OperatorInfo(name: "Vodafone UK", mcc: "234", mnc: "15")
        let plain = RuleEngine.evaluate(rules, .init(report: r, history: nil, issueSummary: nil, now: now))
        #expect(plain.first { $0.id == "roaming" }?.title == "Roaming on Vodafone UK")
        let trip = ServiceEvent(accountId: "ACC-1", at: daysAgo(2), kind: .roaming, country: "GB", summary: "Trip to London")
        let more = ids(r, history([trip]))
        #expect(more.contains("roaming-service-trouble"))
        #expect(!more.contains("roaming"), "the trip's finding replaces the plain one")
    }
}
