import FakeModemKit
import Foundation
import Testing
import TMDiagCore
@testable import MBIM

@Suite("MBIM client against a fake MBIM function on a pseudo-terminal")
struct MBIMClientTests {
    func read(_ fake: MBIMFake, timeout: Duration = .seconds(5), request: Duration = .seconds(1)) -> WWANProbeResult {
        MBIMClient.read(path: fake.path, options: testOptions(timeout: timeout, request: request))
    }

    /// Every run: nothing off the fake's own allowlist reached it.
    func expectClean(_ fake: MBIMFake, _ r: WWANProbeResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fake.violations.isEmpty, "not allowed: \(fake.violations)", sourceLocation: sourceLocation)
        #expect(!r.sent.contains { $0.hasPrefix("SET") }, sourceLocation: sourceLocation)
    }

    @Test func healthyModemYieldsTheContractFacts() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")))
        let r = read(fake)
        let f = r.facts
        #expect(f.model == "EM7455")
        #expect(f.firmware == "SWI9X30C_02.33.03.00")
        #expect(f.imei == "356938035643809")
        #expect(f.manufacturer == nil, "MBIM has no manufacturer")
        #expect(f.sim?.state == .ready)
        #expect(f.sim?.imsi == "310260123456789")
        #expect(f.sim?.iccid == "8901260123456789012")
        #expect(f.sim?.msisdn == "+12065550142")
        #expect(f.sim?.operator == OperatorInfo(name: "T-Mobile", mcc: "310", mnc: "260"))
        #expect(f.sim?.pinRetries == 3)
        #expect(f.radio == RadioFacts(hardware: true, software: true))
        #expect(f.functionality == 1)
        #expect(f.registration?.state == .home)
        #expect(f.registration?.technology == "lte")
        #expect(f.registration?.operator == OperatorInfo(name: "T-Mobile", mcc: "310", mnc: "260"))
        #expect(f.registration?.rejectCause == nil)
        #expect(f.signal?.csq == 21 && f.signal?.rssiDbm == -71 && f.signal?.quality == .good)
        #expect(r.errors.isEmpty, "unexpected errors: \(r.errors)")
        #expect(r.note == nil)
        #expect(r.answered)
        #expect(r.method == .mbim)
        // Closed function: asked, found closed, opened, read, closed again.
        #expect(r.route == "device (opened and closed by tmdiag)")
        #expect(r.sent.first == "QUERY BASIC_CONNECT DEVICE_CAPS")
        #expect(r.sent[1] == "OPEN")
        #expect(r.sent.last == "CLOSE")
        #expect(fake.inspect { !$0.isOpen && $0.opens == 1 && $0.closes == 1 })
        expectClean(fake, r)
    }

    @Test func theTraceSeesEveryMessageBothWays() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") { $0.noiseBeforeReply = 1 }))
        let log = TraceLog()
        var o = testOptions()
        o.trace = log.hook
        let r = MBIMClient.read(path: fake.path, options: o)
        let sent = log.all.filter { $0.0 == ">>" }.map(\.1), got = log.all.filter { $0.0 == "<<" }.map(\.1)
        #expect(sent.count == r.sent.count && sent.first?.hasPrefix("QUERY BASIC_CONNECT DEVICE_CAPS") == true)
        // Each reply; and an indication and a stale reply before each query's once the function is open.
        let queriesOpen = r.sent.filter { $0.hasPrefix("QUERY") }.count - 1
        #expect(got.count == r.sent.count + 2 * queriesOpen)
        #expect(got.contains { $0.hasPrefix("INDICATE_STATUS BASIC_CONNECT SIGNAL_STATE") })
        #expect(r.describe.contains("sent: OPEN") && r.describe.contains("via device (opened and closed by tmdiag)"))
    }

    @Test func simAbsent() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("sim-absent")))
        let r = read(fake)
        #expect(r.facts.sim?.state == .absent)
        #expect(r.facts.sim?.detail == "sim-not-inserted")
        #expect(r.facts.sim?.iccid == nil && r.facts.sim?.imsi == nil)
        #expect(r.facts.registration?.state == .notRegistered)
        #expect(r.facts.signal?.quality == .unknown)
        #expect(!r.sent.contains("QUERY BASIC_CONNECT HOME_PROVIDER"), "no SIM, no home provider to ask")
        #expect(!r.sent.contains("QUERY BASIC_CONNECT PIN"))
        #expect(r.errors.isEmpty, "\(r.errors)")
        expectClean(fake, r)
    }

    @Test func pinRequiredWithAttemptsLeft() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("pin-required")))
        let r = read(fake)
        #expect(r.facts.sim?.state == .pinRequired)
        #expect(r.facts.sim?.pinRetries == 3)
        #expect(r.facts.sim?.iccid == "8901260123456789012")
        #expect(r.facts.sim?.imsi == nil)
        #expect(r.facts.registration?.state == .notRegistered)
        #expect(r.errors.isEmpty, "\(r.errors)")
        expectClean(fake, r)
    }

    @Test func pukRequired() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("puk-required")))
        let r = read(fake)
        #expect(r.facts.sim?.state == .pukRequired)
        #expect(r.facts.sim?.pukRetries == 10)
        expectClean(fake, r)
    }

    @Test func deniedCarriesTheNwErrorAsRejectCause() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("denied")))
        let r = read(fake)
        #expect(r.facts.registration?.state == .denied)
        #expect(r.facts.registration?.rejectCause == RejectCause(kind: "emm", code: 7))
        let e = try #require(r.errors.first { $0.kind == .network })
        #expect(e.code == 7 && e.causeKind == "emm" && e.request == "QUERY BASIC_CONNECT REGISTER_STATE")
        #expect(e.reported.kind == .emm && e.reported.code == 7, "the catalog can explain it like +CEER's EMM cause")
        expectClean(fake, r)
    }

    @Test func deniedWithAFailedStatusStillReadsTheBuffer() throws {
        // MBIM 1.0 §9.4.5: REGISTER_STATE keeps its buffer (with NwError) when it fails.
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("denied") { $0.registerFailureWithBuffer = true }))
        let r = read(fake)
        #expect(r.facts.registration?.state == .denied)
        #expect(r.facts.registration?.rejectCause?.code == 7)
        #expect(r.errors.contains { $0.kind == .status && $0.code == 2 })
    }

    @Test func roaming() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("roaming")))
        let r = read(fake)
        #expect(r.facts.registration?.state == .roaming)
        #expect(r.facts.registration?.operator == OperatorInfo(name: "Vodafone UK", mcc: "234", mnc: "15"))
        #expect(r.facts.sim?.operator?.mcc == "310", "the home operator stays the SIM's")
        expectClean(fake, r)
    }

    @Test func radioOffIsFunctionalityFour() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("radio-off")))
        let r = read(fake)
        #expect(r.facts.functionality == 4)
        #expect(r.facts.radio == RadioFacts(hardware: true, software: false))
        #expect(r.facts.registration?.state == .notRegistered)
        #expect(r.errors.isEmpty, "RADIO_POWER_OFF is explained by the radio state: \(r.errors)")
        expectClean(fake, r)
    }

    @Test func mbimexV3LayoutsAreRead() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") { $0.mbimex = 3 }))
        let r = read(fake)
        #expect(r.facts.sim?.imsi == "310260123456789")
        #expect(r.facts.sim?.iccid == "8901260123456789012")
        #expect(r.facts.registration?.state == .home)
        #expect(r.facts.signal?.rsrpDbm == -96 && r.facts.signal?.sinrDb == 12.5 && r.facts.signal?.quality == .fair)
        #expect(r.details.contains("layout: SUBSCRIBER_READY_STATUS MBIMEx v3"))
        #expect(r.details.contains("layout: SIGNAL_STATE MBIMEx v2"))
        #expect(r.errors.isEmpty, "\(r.errors)")
    }

    @Test func fragmentedSplitAndNoisyRepliesAreReassembled() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") {
            $0.fragmentSize = 40
            $0.noiseBeforeReply = 2
        }), splitWrites: true)
        let r = read(fake)
        #expect(r.facts.firmware == "SWI9X30C_02.33.03.00")
        #expect(r.facts.sim?.iccid == "8901260123456789012")
        #expect(r.facts.signal?.csq == 21, "an indication's RSSI must not be taken for the reply")
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.details.contains { $0.hasPrefix("set aside") })
    }

    // MARK: A live session stays up

    @Test func anOpenFunctionWithADataSessionIsReadWithoutOpenOrClose() throws {
        // A program opened the function, connected, and exited without CLOSE (mbimcli
        // --no-close, a connect script): the data session is up with nobody holding the port.
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") {
            $0.openAtStart = true
            $0.contextAtStart = true
        }))
        let r = read(fake)
        #expect(r.facts.imei == "356938035643809")
        #expect(r.facts.registration?.state == .home)
        #expect(!r.sent.contains("OPEN") && !r.sent.contains("CLOSE"))
        #expect(r.route == "device, session already open (no OPEN or CLOSE sent)")
        #expect(fake.inspect { $0.contextActive && $0.isOpen && $0.opens == 0 && $0.closes == 0 }, "the modem stays connected")
        expectClean(fake, r)
    }

    @Test func aHeldPortIsNeverOpened() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") {
            $0.openAtStart = true
            $0.contextAtStart = true
        }))
        var o = testOptions()
        o.heldBy = ["ModemManager (pid 812)"]
        let r = MBIMClient.read(path: fake.path, options: o)
        #expect(r.sent.isEmpty)
        #expect(r.errors.first?.kind == .refused)
        #expect(r.errors.first?.what.contains("ModemManager (pid 812)") == true)
        usleep(50_000)
        #expect(fake.received.isEmpty)
        #expect(fake.inspect { $0.contextActive })
    }

    @Test func aPortHeldByAnotherProgramIsNotReadThroughTheProxyEither() throws {
        // The proxy would be a second opener beside ModemManager: neither route is safe.
        let proxy = try AbstractListener("tmdiag-test-mbim-proxy")
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")))
        let held = MBIMClient.read(path: fake.path, options: WWANOptions(timeout: .seconds(2), proxySocket: proxy.name,
                                                                          heldBy: ["ModemManager (pid 812)", "mbim-proxy (pid 77)"]))
        #expect(held.sent.isEmpty && held.errors.first?.kind == .refused)
        #expect(held.note == "held by ModemManager (pid 812)")
        usleep(50_000)
        #expect(fake.received.isEmpty)
    }

    @Test func aProxyThatDropsTheCallerIsSaidSo() throws {
        let proxy = try AbstractListener("tmdiag-test-mbim-proxy", dropCallers: true)
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")))
        let r = MBIMClient.read(path: fake.path, options: WWANOptions(timeout: .seconds(2), proxySocket: proxy.name))
        #expect(r.route == "mbim-proxy")
        #expect(r.note?.contains("serves root and its configured user only") == true, "\(r.describe)")
        #expect(fake.received.isEmpty, "never the device behind the proxy's back")
    }

    @Test func proxyOnlyWithoutAProxyOpensNothing() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")))
        let r = MBIMClient.read(path: fake.path, options: WWANOptions(timeout: .seconds(2), proxy: .only,
                                                                       proxySocket: "tmdiag-test-no-such-proxy-\(getpid())"))
        #expect(r.sent.isEmpty && r.errors.first?.kind == .refused)
        usleep(50_000)
        #expect(fake.received.isEmpty)
    }

    // MARK: Read-only, proven

    @Test func forbiddenMessagesAreRefusedBeforeAnyByteIsWritten() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") { $0.openAtStart = true }))
        let port = try MessagePort(device: fake.path)
        let s = MBIMSession(port: port, viaProxy: false)
        let deadline = ContinuousClock.now.advanced(by: .seconds(1))
        let forbidden: [MBIMMessage] = [
            // SET RADIO_STATE off.
            .command(transactionId: 1, service: .basicConnect, cid: 3, type: .set, buffer: [0, 0, 0, 0]),
            // SET of an allowed CID is still a SET.
            .command(transactionId: 2, service: .basicConnect, cid: 9, type: .set),
            // CONNECT, even as a query.
            .command(transactionId: 3, service: .basicConnect, cid: 12, type: .query),
            // The MBIMEx version exchange.
            .command(transactionId: 4, service: .msBasicConnectExtensions, cid: 15, type: .set, buffer: [0, 2, 0, 3]),
            .command(transactionId: 5, service: .msBasicConnectExtensions, cid: 15, type: .query),
            // An unknown service.
            .command(transactionId: 6, service: MBIMService(name: "X", uuid: "00000000-0000-0000-0000-000000000001"), cid: 1, type: .query),
            // The proxy's configuration, to a device.
            .command(transactionId: 7, service: .proxyControl, cid: 1, type: .set),
            // A query with parameters smuggled in.
            .command(transactionId: 8, service: .basicConnect, cid: 1, type: .query, buffer: [1, 2, 3, 4]),
            // HOST_ERROR and raw bytes that only look like OPEN.
            MBIMMessage(bytes: [4, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0]),
            MBIMMessage(bytes: [1, 0, 0, 0, 99, 0, 0, 0, 1, 0, 0, 0, 0, 16, 0, 0]),
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
        #expect(port.bytesWritten == 0)
        #expect(s.sent.isEmpty)
        usleep(50_000)
        #expect(fake.received.isEmpty, "the fake saw: \(fake.received)")
        // The allowlist still lets a read through.
        let reply = try s.request(.command(transactionId: 9, service: .basicConnect, cid: 1, type: .query), deadline: deadline)
        #expect(reply.type == .commandDone)
        #expect(fake.received == ["QUERY BASIC_CONNECT DEVICE_CAPS"])
    }

    @Test func everyCommandInThePlanIsAQueryOnTheAllowlist() {
        for c in MBIMClient.plan {
            #expect(c.access == .query, "\(c)")
            let m = MBIMMessage.command(transactionId: 1, service: c.service, cid: c.cid, type: .query)
            #expect(MBIMSession.refusal(m, viaProxy: false) == nil, "\(c)")
        }
        let version = MBIMCommand.catalog.first { $0.name == "VERSION" }
        #expect(version.map { if case .forbidden = $0.access { true } else { false } } == true)
    }

    // MARK: Bad input ends within the deadline

    func expectEndsInTime(_ b: FakeMBIMModem.Behaviour, budget: Duration = .seconds(3), request: Duration = .milliseconds(800),
                          sourceLocation: SourceLocation = #_sourceLocation) throws -> WWANProbeResult {
        let fake = try MBIMFake(FakeMBIMModem(b))
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
        let r = try expectEndsInTime(mbimBehaviour("silent"))
        #expect(r.errors.contains { $0.kind == .timeout })
        #expect(r.facts.isEmpty)
        #expect(!r.answered)
        // An OPEN that was not answered may have opened the function all the same: closed again.
        #expect(r.sent == ["QUERY BASIC_CONNECT DEVICE_CAPS", "OPEN", "CLOSE"])
    }

    @Test func garbageIsAFramingError() throws {
        let r = try expectEndsInTime(mbimBehaviour("garbage"))
        #expect(r.errors.contains { $0.kind == .framing })
        #expect(r.note == "the port does not speak MBIM")
    }

    @Test func aLyingLengthIsAFramingError() throws {
        let r = try expectEndsInTime(mbimBehaviour("healthy") { $0.lyingLength = true })
        #expect(r.errors.contains { $0.kind == .framing && $0.what.contains("lies") })
    }

    @Test func truncatedRepliesTimeOutAsTruncated() throws {
        let r = try expectEndsInTime(mbimBehaviour("healthy") { $0.truncate = true })
        #expect(r.errors.contains { $0.kind == .timeout && $0.what.contains("truncated") })
    }

    @Test func aFragmentFloodIsRefused() throws {
        let r = try expectEndsInTime(mbimBehaviour("healthy") { $0.fragmentFlood = true })
        #expect(r.errors.contains { $0.kind == .framing && $0.what.contains("fragments") })
    }

    @Test func anIndicationFloodIsRefused() throws {
        let r = try expectEndsInTime(mbimBehaviour("healthy") { $0.indicationFlood = true })
        #expect(r.errors.contains { $0.kind == .framing && $0.what.contains("unrelated") })
    }

    @Test func aVanishingPortKeepsWhatWasRead() throws {
        let r = try expectEndsInTime(mbimBehaviour("healthy") { $0.hangUpAfter = 4 })
        #expect(r.facts.imei == "356938035643809", "DEVICE_CAPS came before the port went away")
        #expect(r.errors.contains { $0.kind == .port })
        #expect(r.note?.contains("went away") == true)
        #expect(!r.sent.contains("CLOSE"), "nothing is said to a port that is gone")
        #expect(r.errors.filter { $0.kind == .port }.count == 1)
    }

    @Test func slowRepliesStillFitTheBudget() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")), delayMs: 20)
        let r = read(fake)
        #expect(r.errors.isEmpty, "\(r.errors)")
        // Every message answered 20 ms late: the read costs about the sum of the delays.
        let sum = 20 * fake.received.count
        print("MBIM read with 20 ms replies: \(r.durationMs) ms for \(fake.received.count) replies (\(sum) ms of delays)")
    }
}
