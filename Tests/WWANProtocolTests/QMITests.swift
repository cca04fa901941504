import FakeModemKit
import Foundation
import Testing
import TMDiagCore
@testable import QMI

@Suite("QMUX framing and QMI TLVs")
struct QMICodecTests {
    @Test func requestsRoundTrip() throws {
        let ctl = QMIMessage.request(service: .ctl, clientId: 0, transactionId: 5, messageId: 0x0022, tlvs: [(0x01, [0x02])])
        // Marker, length 15 (everything after it), host, CTL, cid 0; flags, tid, 0x0022, 4 bytes of TLV.
        #expect(ctl.bytes == [0x01, 0x0F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x22, 0x00, 0x04, 0x00, 0x01, 0x01, 0x00, 0x02])
        try ctl.validate()
        #expect(ctl.isControl && ctl.transactionId == 5 && ctl.messageId == 0x22)
        #expect(try ctl.tlvs()[0x01] == [0x02])
        let nas = QMIMessage.request(service: .nas, clientId: 0x11, transactionId: 0x0102, messageId: 0x0024)
        #expect(nas.bytes == [0x01, 0x0C, 0x00, 0x00, 0x03, 0x11, 0x00, 0x02, 0x01, 0x24, 0x00, 0x00, 0x00])
        #expect(nas.transactionId == 0x0102 && nas.name == "NAS Get Serving System")
        #expect(QMIMessage.framing.length(nas.bytes[0..<3]) == 13)
        #expect(QMIMessage.framing.length(ArraySlice([0x7E, 0x00, 0x10])) == nil)
    }

    @Test func theFakesEncodingReadsBack() throws {
        let m = QMIMessage(bytes: FakeQMIModem.service(3, cid: 0x11, tid: 7, msg: 0x0024,
                                                       tlvs: [(0x02, [0, 0, 0, 0]), (0x01, [1, 1, 1, 2, 1, 8]), (0x10, [1]),
                                                              (0x12, FakeQMIModem.plmn(310, 260, "T-Mobile"))]))
        try m.validate()
        #expect(m.isResponse && !m.isIndication && m.clientId == 0x11 && m.transactionId == 7)
        let t = try m.tlvs()
        #expect(t.result?.ok == true)
        let s = try QMIServingSystem.parse(t)
        #expect(s.registrationState == 1 && s.radioInterfaces == [8] && s.roamingIndicator == 1)
        #expect(s.mcc == 310 && s.mnc == 260 && s.networkDescription == "T-Mobile")
    }

    @Test func lengthsThatLieAreErrors() {
        var b = FakeQMIModem.service(3, cid: 1, tid: 1, msg: 0x24, tlvs: [(0x02, [0, 0, 0, 0])])
        b[1] = 0x40  // QMUX length
        #expect(throws: QMIDecodeError.self) { try QMIMessage(bytes: b).validate() }
        var c = FakeQMIModem.service(3, cid: 1, tid: 1, msg: 0x24, tlvs: [(0x02, [0, 0, 0, 0])])
        c[14] = 0x30  // the TLV's own length
        #expect(throws: QMIDecodeError.self) { try QMIMessage(bytes: c).validate() }
        // A structure shorter than its fields.
        #expect(throws: QMIDecodeError.self) { try QMIServingSystem.parse(QMITLVs(values: [0x01: [1, 1]])) }
        #expect(throws: QMIDecodeError.self) { try QMIServingSystem.parse(QMITLVs(values: [0x01: [1, 1, 1, 2, 9, 8]])) }
        #expect(throws: QMIDecodeError.self) { try QMICardStatus.parse(QMITLVs(values: [0x10: [0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 3, 1]])) }
    }

    @Test func cardStatusGivesSIMStateAndRetries() throws {
        let fake = FakeQMIModem(qmiBehaviour("pin-required"))
        let c = try QMICardStatus.parse(QMITLVs(values: [0x10: fake.cardStatus()]))
        var b = QMIFactsBuilder()
        b.add(c)
        #expect(b.facts.sim?.state == .pinRequired && b.facts.sim?.pinRetries == 3 && b.facts.sim?.pukRetries == 10)
        let absent = try QMICardStatus.parse(QMITLVs(values: [0x10: FakeQMIModem(qmiBehaviour("sim-absent")).cardStatus()]))
        var a = QMIFactsBuilder()
        a.add(absent)
        #expect(a.facts.sim?.state == .absent)
    }

    @Test func mncDigits() {
        #expect(QMIFactsBuilder.mnc(260, threeDigits: nil) == "260")
        #expect(QMIFactsBuilder.mnc(15, threeDigits: nil) == "15")
        #expect(QMIFactsBuilder.mnc(15, threeDigits: true) == "015")
        #expect(QMIFactsBuilder.mnc(1, threeDigits: false) == "01")
        #expect(QMIFactsBuilder.technology([8, 12]) == "nr5g-nsa")
        #expect(QMIFactsBuilder.technology([12]) == "nr5g-sa")
    }
}

@Suite("QMI client against a fake QMI modem on a pseudo-terminal")
struct QMIClientTests {
    func read(_ fake: QMIFake, timeout: Duration = .seconds(5), request: Duration = .seconds(1)) -> WWANProbeResult {
        QMIClient.read(path: fake.path, options: testOptions(timeout: timeout, request: request))
    }

    /// Every run: nothing off the fake's allowlist, and every client id given back.
    func expectClean(_ fake: QMIFake, _ r: WWANProbeResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fake.violations.isEmpty, "not allowed: \(fake.violations)", sourceLocation: sourceLocation)
        let left = fake.inspect { $0.allocated.map { "\($0.0)/\($0.1)" } }
        #expect(left.isEmpty, "client ids not released: \(left)", sourceLocation: sourceLocation)
        #expect(!r.sent.contains { $0.contains("Sync") }, sourceLocation: sourceLocation)
    }

    @Test func healthyModemYieldsTheContractFacts() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy")))
        let r = read(fake)
        let f = r.facts
        #expect(f.manufacturer == "Sierra Wireless, Incorporated")
        #expect(f.model == "EM7455")
        #expect(f.firmware?.hasPrefix("SWI9X30C_02.33.03.00") == true)
        #expect(f.imei == "356938035643809")
        #expect(f.functionality == 1)
        #expect(f.sim?.state == .ready && f.sim?.pinRetries == 3 && f.sim?.pukRetries == 10)
        #expect(f.sim?.iccid == "8901260123456789012")
        #expect(f.sim?.imsi == "310260123456789")
        #expect(f.sim?.msisdn == "+12065550142")
        #expect(f.sim?.operator == OperatorInfo(name: "T-Mobile", mcc: "310", mnc: "260"))
        #expect(f.registration?.state == .home)
        #expect(f.registration?.technology == "lte")
        #expect(f.registration?.operator == OperatorInfo(name: "T-Mobile", mcc: "310", mnc: "260"))
        #expect(f.signal?.rsrpDbm == -96 && f.signal?.rsrqDb == -10 && f.signal?.sinrDb == 12.5 && f.signal?.rssiDbm == -65)
        #expect(f.signal?.quality == .fair)
        #expect(r.errors.isEmpty, "unexpected errors: \(r.errors)")
        #expect(r.note == nil && r.answered && r.method == .qmi && r.route == "device")
        #expect(r.sent.first == "CTL Allocate CID (DMS)")
        #expect(r.sent.filter { $0.hasPrefix("CTL Allocate CID") }.count == 3)
        #expect(r.sent.filter { $0.hasPrefix("CTL Release CID") }.count == 3)
        #expect(fake.inspect { $0.everAllocated } == 3)
        expectClean(fake, r)
    }

    @Test func simAbsent() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("sim-absent")))
        let r = read(fake)
        #expect(r.facts.sim?.state == .absent)
        #expect(r.facts.sim?.iccid == nil)
        #expect(r.facts.registration?.state == .searching)
        #expect(!r.sent.contains("DMS UIM Get IMSI"))
        #expect(r.errors.isEmpty, "\(r.errors)")
        expectClean(fake, r)
    }

    @Test func pinRequired() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("pin-required")))
        let r = read(fake)
        #expect(r.facts.sim?.state == .pinRequired && r.facts.sim?.pinRetries == 3 && r.facts.sim?.pukRetries == 10)
        #expect(r.facts.sim?.iccid == "8901260123456789012")
        #expect(r.facts.sim?.imsi == nil)
        #expect(r.errors.isEmpty, "\(r.errors)")
        expectClean(fake, r)
    }

    @Test func pukRequired() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("puk-required")))
        let r = read(fake)
        #expect(r.facts.sim?.state == .pukRequired && r.facts.sim?.pinRetries == 0)
        expectClean(fake, r)
    }

    @Test func deniedCarriesTheRejectCause() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("denied")))
        let r = read(fake)
        #expect(r.facts.registration?.state == .denied)
        #expect(r.facts.registration?.rejectCause == RejectCause(kind: "emm", code: 7))
        let e = try #require(r.errors.first { $0.kind == .network })
        #expect(e.code == 7 && e.reported.kind == .emm)
        expectClean(fake, r)
    }

    @Test func roaming() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("roaming")))
        let r = read(fake)
        #expect(r.facts.registration?.state == .roaming)
        #expect(r.facts.registration?.operator == OperatorInfo(name: "Vodafone UK", mcc: "234", mnc: "15"))
        expectClean(fake, r)
    }

    @Test func radioOffIsFunctionalityFour() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("radio-off")))
        let r = read(fake)
        #expect(r.facts.functionality == 4)
        #expect(r.facts.registration?.state == .notRegistered)
        #expect(r.facts.signal == nil)
        #expect(r.errors.isEmpty, "\(r.errors)")
        expectClean(fake, r)
    }

    @Test func noiseAndSplitWritesAreSetAside() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy") { $0.noiseBeforeReply = 2 }), splitWrites: true)
        let r = read(fake)
        #expect(r.facts.registration?.state == .home)
        #expect(r.facts.imei == "356938035643809")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.details.contains { $0.hasPrefix("set aside") })
        expectClean(fake, r)
    }

    @Test func slowRepliesCostAboutTheirDelays() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy")), delayMs: 20)
        let r = read(fake)
        #expect(r.errors.isEmpty, "\(r.errors)")
        print("QMI read with 20 ms replies: \(r.durationMs) ms for \(fake.received.count) replies (\(20 * fake.received.count) ms of delays)")
        expectClean(fake, r)
    }

    // MARK: Client ids always released

    @Test func clientIdsAreReleasedWhenServicesTimeOut() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy") { $0.servicesSilent = true }))
        let started = ContinuousClock.now
        let r = read(fake, timeout: .seconds(3), request: .milliseconds(400))
        #expect(started.duration(to: .now) < .seconds(5))
        #expect(r.errors.contains { $0.kind == .timeout })
        #expect(r.note == "the modem stopped answering")
        #expect(r.sent.contains { $0.hasPrefix("CTL Release CID (DMS") })
        expectClean(fake, r)
    }

    @Test func aServiceWithoutClientIdsDoesNotStopTheOthers() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy") { $0.exhausted = [2] }))
        let r = read(fake)
        let e = try #require(r.errors.first)
        #expect(r.errors.count == 1 && e.kind == .status && e.request == "CTL Allocate CID (DMS)" && e.what.contains("client ids exhausted"))
        #expect(r.facts.imei == nil && r.facts.sim?.state == .ready && r.facts.registration?.state == .home)
        expectClean(fake, r)
    }

    @Test func aLateAllocationIsReleasedToo() throws {
        // The DMS client id arrives after its request timed out: it is still given back.
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy") { $0.lateAllocationMs = 700 }))
        let r = read(fake, timeout: .seconds(4), request: .milliseconds(400))
        #expect(r.errors.contains { $0.kind == .timeout && $0.request == "CTL Allocate CID (DMS)" })
        usleep(100_000)
        expectClean(fake, r)
    }

    @Test func aPortThatVanishesEndsCleanly() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy") { $0.hangUpAfter = 3 }))
        let r = read(fake, timeout: .seconds(3))
        #expect(r.facts.manufacturer == "Sierra Wireless, Incorporated")
        #expect(r.errors.contains { $0.kind == .port })
        #expect(r.note?.contains("went away") == true)
        #expect(r.errors.filter { $0.kind == .port }.count == 1, "the client ids went with the device: \(r.errors)")
    }

    @Test func aHeldPortIsNeverOpened() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy")))
        var o = testOptions()
        o.heldBy = ["ModemManager (pid 812)"]
        let r = QMIClient.read(path: fake.path, options: o)
        #expect(r.sent.isEmpty && r.errors.first?.kind == .refused && r.note == "held by ModemManager (pid 812)")
        usleep(50_000)
        #expect(fake.received.isEmpty)
    }

    @Test func aPortHeldByAnotherProgramIsNotReadThroughTheProxyEither() throws {
        let proxy = try AbstractListener("tmdiag-test-qmi-proxy")
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy")))
        let r = QMIClient.read(path: fake.path, options: WWANOptions(timeout: .seconds(2), proxySocket: proxy.name,
                                                                     heldBy: ["qmi-proxy (pid 77)", "minicom (pid 5)"]))
        #expect(r.sent.isEmpty && r.note == "held by minicom (pid 5)")
        usleep(50_000)
        #expect(fake.received.isEmpty)
    }

    @Test func aProxyThatDropsTheCallerIsSaidSo() throws {
        let proxy = try AbstractListener("tmdiag-test-qmi-proxy", dropCallers: true)
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy")))
        let r = QMIClient.read(path: fake.path, options: WWANOptions(timeout: .seconds(2), proxySocket: proxy.name))
        #expect(r.route == "qmi-proxy")
        #expect(r.note?.contains("serves root and its configured user only") == true, "\(r.describe)")
        #expect(fake.received.isEmpty)
    }

    // MARK: Read-only, proven

    @Test func forbiddenMessagesAreRefusedBeforeAnyByteIsWritten() throws {
        let fake = try QMIFake(FakeQMIModem(qmiBehaviour("healthy")))
        let port = try MessagePort(device: fake.path)
        let s = QMISession(port: port, viaProxy: false)
        let deadline = ContinuousClock.now.advanced(by: .seconds(1))
        let forbidden: [QMIMessage] = [
            .request(service: .ctl, clientId: 0, transactionId: 1, messageId: 0x0027),                       // CTL Sync
            .request(service: .ctl, clientId: 0, transactionId: 2, messageId: 0x0023, tlvs: [(0x01, [3, 1])]), // release someone's id
            .request(service: .ctl, clientId: 0, transactionId: 3, messageId: 0x0022, tlvs: [(0x01, [1])]),   // a WDS client
            .request(service: .dms, clientId: 1, transactionId: 4, messageId: 0x0021),                         // read on a foreign id
            .request(service: .dms, clientId: 1, transactionId: 5, messageId: 0x002E, tlvs: [(0x01, [1])]),   // Set Operating Mode
            .request(service: .uim, clientId: 1, transactionId: 6, messageId: 0x0026),                         // Verify PIN
            .request(service: .wds, clientId: 1, transactionId: 7, messageId: 0x0020),                         // Start Network
            .request(service: .ctl, clientId: 0, transactionId: 8, messageId: 0xFF00, tlvs: [(UInt8(0x01), [UInt8]("/dev/cdc-wdm0".utf8))]),
            .request(service: .nas, clientId: 1, transactionId: 9, messageId: 0x7777),                         // unknown
            QMIMessage(bytes: [0x01, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x22, 0x00, 0x00, 0x00]),        // lying length
        ]
        for m in forbidden {
            do {
                try s.send(m, deadline: deadline)
                Issue.record("\(m.name) was sent")
            } catch {
                guard case .forbidden = error else {
                    Issue.record("\(m.name): \(error), not refused as forbidden")
                    continue
                }
            }
        }
        #expect(port.bytesWritten == 0 && s.sent.isEmpty)
        usleep(50_000)
        #expect(fake.received.isEmpty, "the fake saw: \(fake.received)")
        // A read on tmdiag's own client id passes, and its id goes back.
        _ = try s.allocate(.dms, deadline: deadline)
        let reply = try s.request(.dmsGetModel, deadline: deadline)
        #expect(try reply.tlvs().string(0x01) == "EM7455")
        #expect(s.releaseAll().isEmpty)
        expectClean(fake, WWANProbeResult(port: fake.path, method: .qmi, sent: s.sent, route: "device"))
    }

    // MARK: Bad input ends within the deadline

    func expectEndsInTime(_ b: FakeQMIModem.Behaviour, budget: Duration = .seconds(3), request: Duration = .milliseconds(800),
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> WWANProbeResult {
        let fake = try QMIFake(FakeQMIModem(b))
        let started = ContinuousClock.now
        let r = read(fake, timeout: budget, request: request)
        let took = started.duration(to: .now)
        // The budget holds, with a margin for a loaded machine.
        #expect(took < budget + .seconds(2), "took \(took)", sourceLocation: sourceLocation)
        #expect(!r.errors.isEmpty, sourceLocation: sourceLocation)
        #expect(fake.violations.isEmpty, sourceLocation: sourceLocation)
        return r
    }

    @Test func silentPortEndsWithATimeout() throws {
        let r = try expectEndsInTime(qmiBehaviour("silent"))
        #expect(r.errors.contains { $0.kind == .timeout })
        #expect(r.facts.isEmpty && !r.answered)
        #expect(r.note?.contains("silent") == true)
    }

    @Test func garbageIsAFramingError() throws {
        let r = try expectEndsInTime(qmiBehaviour("garbage"))
        #expect(r.errors.contains { $0.kind == .framing })
    }

    @Test func aLyingLengthIsAnError() throws {
        let r = try expectEndsInTime(qmiBehaviour("healthy") { $0.lyingLength = true })
        #expect(r.errors.contains { $0.kind == .framing || $0.kind == .timeout })
    }

    @Test func truncatedRepliesTimeOutAsTruncated() throws {
        let r = try expectEndsInTime(qmiBehaviour("healthy") { $0.truncate = true })
        #expect(r.errors.contains { $0.kind == .timeout && $0.what.contains("truncated") })
    }
}
