import Foundation
import Modem
import Profiles
import Testing
import TMDiagCore

@Suite("Carrier network facts (Profiles/carriers) and the provider list's operator rule")
struct CarrierNetworkTests {
    static let providerInfo = OperatorDirectory.providerInfoPath

    @Test func tmobileFactsAreLoadedWithTheirSources() throws {
        let carrier = try shippedData.carrier("tmobile-us")
        let net = try #require(carrier.network)
        #expect(net.owns(mcc: "310", mnc: "260"))
        #expect(net.owns(mcc: "312", mnc: "530"), "former Sprint codes are T-Mobile's now")
        #expect(net.owns(mcc: "311", mnc: "490"))
        #expect(!net.owns(mcc: "310", mnc: "410"), "AT&T")
        #expect(net.plmns.allSatisfy { !$0.source.isEmpty })
        #expect(net.internetAPNs(spn: nil).contains("fast.t-mobile.com"))
        #expect(net.internetAPNs(spn: "Mint Mobile") == ["wholesale"], "an MVNO's SIM is held to its own APN")
        #expect(net.internetAPNs(spn: "T-Mobile").contains("fast.t-mobile.com"))
        #expect(net.lteBands?.inUse.contains(71) == true)
        #expect(net.nrBands?.inUse.contains(71) == true)
        #expect(net.retirement(of: "umts")?.since == "2022-07-01")
        #expect(net.retirement(of: "lte") == nil)
        #expect(net.retirement(of: "gsm") == nil, "GSM has no confirmed closing date")
        #expect(net.volteRequired?.value == true)
    }

    @Test func keyBandGroupsNeedOneBandEach() throws {
        let net = try #require(try shippedData.carrier("tmobile-us").network)
        #expect(CarrierNetwork.missingKeyBands(net.lteBands, enabled: [2, 4, 5, 12, 13, 14, 66, 71]).isEmpty)
        #expect(CarrierNetwork.missingKeyBands(net.lteBands, enabled: [2, 4, 12, 71]).isEmpty, "B4 stands for AWS")
        #expect(CarrierNetwork.missingKeyBands(net.lteBands, enabled: [2, 4, 5]) == [[12], [71]])
        #expect(CarrierNetwork.missingKeyBands(net.lteBands, enabled: nil).isEmpty, "unknown is not missing")
    }

    @Test func aFactWithoutASourceIsRefusedWithItsLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tmdiag-carrier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shipped = try String(contentsOfFile: packageRoot.appendingPathComponent("Profiles/carriers/tmobile-us.yaml").path, encoding: .utf8)
        let broken = shipped.replacingOccurrences(
            of: "source: \"mobile-broadband-provider-info serviceproviders.xml (T-Mobile, us)\"}", with: "source: \"\"}")
        let path = dir.appendingPathComponent("tmobile-us.yaml").path
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TMDiagError.self) { try CarrierProfile.loadFile(path: path, displayPath: "carriers/tmobile-us.yaml") }
        do {
            _ = try CarrierProfile.loadFile(path: path, displayPath: "carriers/tmobile-us.yaml")
        } catch {
            #expect(error.message.contains("network") && error.message.contains("source"), "\(error.message)")
            #expect(error.status == .dataError)
        }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: providerInfo), "mobile-broadband-provider-info is not installed"))
    func aBareCodeNamesTheNetworkOperatorNotAnMVNO() {
        let names = OperatorDirectory.providerInfo()
        #expect(names["26202"] == "Vodafone", "Bild Mobil is listed first on 262-02 but is an MVNO")
        #expect(names["310260"] == "T-Mobile")
        #expect(names["23415"] == "Vodafone")
        let apns = OperatorDirectory.providerAPNs(mcc: "310", mnc: "260")
        #expect(apns.first?.apn == "fast.t-mobile.com" && apns.first?.isOperator == true)
        #expect(apns.contains { $0.apn == "wholesale" && !$0.isOperator && $0.provider == "Mint Mobile" })
    }

    @Test func ruleFilesNameABadActorOrCarrierConditionByLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tmdiag-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func load(_ when: String, actor: String = "device") -> String? {
            let path = dir.appendingPathComponent("r.yaml").path
            let text = "rules:\n  - id: x\n    category: device\n    severity: warning\n    confidence: 0.5\n    actor: \(actor)\n"
                + "    title: t\n    reasoning: r\n    when:\n      carrier:\n        \(when)\n"
            try? text.write(toFile: path, atomically: true, encoding: .utf8)
            do { _ = try DiagnosisRules.loadFile(path: path, displayPath: "rules/r.yaml"); return nil } catch { return error.message }
        }
        #expect(load("apn: [wrong]") == nil)
        #expect(load("apn: [wrong]", actor: "boss")?.contains("rules[0].actor: unknown actor 'boss'") == true)
        #expect(load("apn: [bogus]")?.contains("when.carrier.apn: unknown value 'bogus'") == true)
        #expect(load("deviceIds: [\"2c7c\"]")?.contains("is not vvvv:pppp hex") == true)
        #expect(load("roaming: []")?.contains("empty list") == true)
    }
}
