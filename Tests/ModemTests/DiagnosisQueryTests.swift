import FakeModemKit
import Foundation
import Profiles
import Testing
import TMDiagCore
@testable import Modem

@Suite("Diagnosis queries: the allowlist's argument reads, batching, and the replies in the model")
struct DiagnosisQueryTests {
    /// The EC25's queries as its profile declares them, so that the test runs what a report runs.
    static let ec25: DeviceProfile = testData.profiles.profiles.first { $0.id == "quectel-ec25" }!

    func probe(_ b: FakeModemEngine.Behaviour, batch: Bool = true) throws -> (ProbeResult, [String]) {
        let fake = try FakeModem(b)
        let options = ProbeOptions(timeout: .seconds(8), commandTimeout: .seconds(1), extraCommands: Self.ec25.commands ?? [],
                                   queries: Self.ec25.queryCommands ?? [], batchQueries: batch)
        let r = try Prober.probe(port: fake.slavePath, options: options, catalog: testCatalog, operators: testData.operators)
        return (r, fake.received)
    }

    @Test func settingNamesAloneAreReadsAndWithAValueAreWrites() {
        for read in ["AT+QCFG=\"band\"", "AT+QCFG=\"ims\"", "AT+QCFG=\"usbnet\"", "AT+QMBNCFG=\"List\"", "AT+QMBNCFG=\"AutoSel\"",
                     "AT+QNWPREFCFG=\"lte_band\"", "AT+QNWPREFCFG=\"nr5g_band\"", "AT+CPINR=\"SIM*\"",
                     "AT+CGPADDR", "AT!IMPREF?", "AT#FWSWITCH?"] {
            #expect(ATCommandPolicy.isAllowed(read), "\(read) reads")
        }
        for write in ["AT+QCFG=\"band\",0,0,0", "AT+QCFG=\"ims\",1", "AT+QCFG=\"usbnet\",2", "AT+QMBNCFG=\"AutoSel\",0",
                      "AT+QMBNCFG=\"Select\",\"ROW_Commercial\"", "AT+QMBNCFG=\"Deactivate\"", "AT+QNWPREFCFG=\"lte_band\",2:4:71",
                      "AT+CLCK=\"SC\",1,\"1234\"", "AT+CLCK=\"SC\",2", "AT+QCFG=\"unknownsetting\"", "AT+QCFG=\"band\"\"\""] {
            #expect(!ATCommandPolicy.isAllowed(write), "\(write) writes or acts")
        }
    }

    @Test func aLineOfCommandsIsAllowedOnlyWhenEachIs() {
        #expect(ATCommandPolicy.isAllowed("AT+CGDCONT?;+CGACT?;+CIREG?"))
        #expect(ATCommandPolicy.isAllowed("AT+QCFG=\"band\";+QCFG=\"ims\";+QMBNCFG=\"List\""))
        #expect(!ATCommandPolicy.isAllowed("AT+CGDCONT?;+CFUN=1"))
        #expect(!ATCommandPolicy.isAllowed("AT+CGDCONT?;+CGDCONT=1,\"IP\",\"x\""))
        #expect(!ATCommandPolicy.isAllowed("AT+CGDCONT?;;+CGACT?"), "an empty command is no read")
        #expect(!ATCommandPolicy.isAllowed("AT+CGDCONT?;Z"))
        #expect(ATCommandPolicy.isAllowed("AT+QSPN;+CGDCONT?"))
        #expect(!ATCommandPolicy.isAllowed("AT+QCFG=\"band;\",1"), "a ; inside quotes does not split")
    }

    @Test func everyDeclaredQueryIsAReadWithASource() throws {
        let profiles = testData.profiles
        #expect(profiles.problems.isEmpty, "\(profiles.problems)")
        let withQueries = profiles.profiles.filter { !($0.queryCommands ?? []).isEmpty }
        #expect(withQueries.count >= 10)
        for p in withQueries {
            #expect(p.queryCommands?.count == p.queries?.count, "\(p.id): every query id resolves")
            for c in p.queryCommands ?? [] { #expect(ATCommandPolicy.isAllowed(c), "\(p.id): \(c)") }
        }
        #expect(Self.ec25.batchQueries == true)
        #expect(profiles.profiles.first { $0.id == "sierra-mc7455" }?.batchQueries == nil, "Sierra's ! replies carry no prefix")
    }

    @Test func batchedLinesAreSplitByPrefixAndSettingName() throws {
        let cmds = ["AT+CGDCONT?", "AT+QCFG=\"band\"", "AT+QCFG=\"ims\"", "AT+CGACT?"]
        #expect(ATBatch.line(cmds) == "AT+CGDCONT?;+QCFG=\"band\";+QCFG=\"ims\";+CGACT?")
        let ex = ATExchange(command: ATBatch.line(cmds)!, lines: [
            "+CGDCONT: 1,\"IP\",\"fast.t-mobile.com\"", "+QCFG: \"ims\",1,1", "+QCFG: \"band\",0x260,0x1a,0x0", "+CGACT: 1,1",
        ], final: .ok)
        let parts = try #require(ATBatch.split(ex, commands: cmds))
        #expect(parts.map(\.lines.count) == [1, 1, 1, 1])
        #expect(parts[1].lines == ["+QCFG: \"band\",0x260,0x1a,0x0"])
        let unprefixed = ATExchange(command: "AT!IMPREF?;!PRIID?", lines: ["current carrier name: GENERIC"], final: .ok)
        #expect(ATBatch.split(unprefixed, commands: ["AT!IMPREF?", "AT!PRIID?"]) == nil)
        #expect(ATBatch.lines(Array(repeating: "AT+CGDCONT?", count: 30)).allSatisfy { ATBatch.line($0)!.count <= 120 })
    }

    @Test func lteBandMasksReachPastSixtyFourBits() {
        #expect(FactsBuilder.bands(hexMask: "0x42000000000000381a") == [2, 4, 5, 12, 13, 14, 66, 71])
        #expect(FactsBuilder.bands(hexMask: "0x1a") == [2, 4, 5])
        #expect(FactsBuilder.bands(hexMask: "zz") == nil)
        #expect(FactsBuilder.bands(colonList: "2:4:12:66:71") == [2, 4, 12, 66, 71])
    }

    @Test func batchedQueriesFillTheModelInFewLines() throws {
        let (r, received) = try probe(FakeModemEngine.carrierHealthyBehaviour)
        let f = r.facts
        let ctx = try #require(f.dataContexts?.first { $0.cid == 1 })
        #expect(ctx.apn == "fast.t-mobile.com")
        #expect(ctx.active == true)
        #expect(ctx.addresses == ["10.45.12.7"])
        #expect(f.dataContexts?.first { $0.cid == 2 }?.addresses == [])
        #expect(f.ims?.registered == true)
        #expect(f.ims?.voiceAvailable == true)
        #expect(f.ims?.enabled == true)
        #expect(f.carrierConfig?.selected == "Commercial-TMO_VoLTE")
        #expect(f.carrierConfig?.autoSelect == true)
        #expect(f.bands?.lte == [2, 4, 5, 12, 13, 14, 66, 71])
        #expect(f.usbNetMode == "qmi")
        #expect(f.sim?.pinRetries == 3)
        #expect(f.sim?.pukRetries == 10)
        #expect(f.vendor?["AT+CGDCONT?"]?.contains("fast.t-mobile.com") == true, "replies kept raw as evidence")
        #expect(r.errors.isEmpty, "\(r.errors)")
        let chained = received.filter { $0.contains(";") }
        #expect(chained.count == 2, "twelve queries fit two lines of at most 120 characters: \(chained)")
        for c in received { #expect(ATCommandPolicy.isAllowed(c), "\(c)") }
    }

    @Test func aModemThatRefusesChainedLinesIsAskedOneByOne() throws {
        var b = FakeModemEngine.carrierHealthyBehaviour
        b.rejectsChainedCommands = true
        let (r, received) = try probe(b)
        #expect(r.facts.dataContexts?.first?.apn == "fast.t-mobile.com")
        #expect(r.facts.carrierConfig?.selected == "Commercial-TMO_VoLTE")
        #expect(r.facts.bands?.lte?.contains(71) == true)
        #expect(received.contains("AT+QCFG=\"band\""), "asked again on its own line")
        #expect(r.errors.isEmpty, "the refused line is not an error of the device: \(r.errors)")
    }

    @Test func oneUnknownCommandEndsTheLineAndTheRestStillAnswer() throws {
        var b = FakeModemEngine.carrierHealthyBehaviour
        b.replies["AT+CAVIMS?"] = "ERROR"   // firmware without +CAVIMS
        let (r, _) = try probe(b)
        #expect(r.facts.ims?.registered == true)
        #expect(r.facts.ims?.voiceAvailable == nil)
        #expect(r.facts.sim?.pinRetries == 3)
    }

    @Test func unbatchedQueriesGiveTheSameFacts() throws {
        let (batched, _) = try probe(FakeModemEngine.carrierHealthyBehaviour)
        let (single, received) = try probe(FakeModemEngine.carrierHealthyBehaviour, batch: false)
        #expect(!received.contains { $0.contains(";") })
        #expect(batched.facts == single.facts)
    }
}
