import Foundation
import Testing
@testable import Modem
import Kit

@Suite("Probing a fake modem on a pseudo-terminal")
struct ProbeTests {
    func probe(_ fake: FakeModem, timeout: Duration = .seconds(5), command: Duration = .seconds(1)) throws -> ProbeResult {
        try Prober.probe(port: fake.slavePath, options: ProbeOptions(timeout: timeout, commandTimeout: command),
                         catalog: testCatalog, operators: testData.operators)
    }

    @Test func healthyModemYieldsTheContractFacts() throws {
        let fake = try FakeModem()
        let r = try probe(fake)
        #expect(r.facts.manufacturer == "Quectel")
        #expect(r.facts.model == "EC25")
        #expect(r.facts.firmware == "EC25AFFAR07A08M4G")
        #expect(r.facts.imei == "356938035643809")
        #expect(r.facts.sim?.state == .ready)
        #expect(r.facts.sim?.iccid == "8901260123456789012")
        #expect(r.facts.sim?.imsi == "310260123456789")
        #expect(r.facts.sim?.msisdn == "+12065550142")
        #expect(r.facts.registration?.state == .home)
        #expect(r.facts.registration?.technology == "lte")
        #expect(r.facts.registration?.operator?.name == "T-Mobile")
        #expect(r.facts.signal?.csq == 21)
        #expect(r.facts.signal?.rsrpDbm == -96)
        #expect(r.facts.signal?.quality == .fair)
        #expect(r.errors.isEmpty, "unexpected errors: \(r.errors)")
        #expect(r.note == nil)
    }

    @Test func echoAndURCsAreSetAside() throws {
        let fake = try FakeModem(.init(echo: true, urcBeforeReply: "+CREG: 5"))
        let r = try probe(fake)
        #expect(r.facts.model == "EC25")
        #expect(r.facts.registration?.state == .home, "a +CREG URC must not be taken for the read reply")
        #expect(r.facts.imei == "356938035643809")
    }

    @Test func simAbsentIsReportedAndExplained() throws {
        var b = FakeModem.Behaviour()
        b.replies["AT+CPIN?"] = "+CME ERROR: 10"
        b.replies["AT+CCID"] = "+CME ERROR: 10"
        b.replies["AT+COPS?"] = "+COPS: 0\r\n\r\nOK"
        b.replies["AT+CREG?"] = "+CREG: 0,0\r\n\r\nOK"
        b.replies["AT+CEREG?"] = "+CEREG: 0,0\r\n\r\nOK"
        b.replies["AT+CGREG?"] = "+CGREG: 0,0\r\n\r\nOK"
        let r = try probe(try FakeModem(b))
        #expect(r.facts.sim?.state == .absent)
        #expect(r.facts.registration?.state == .notRegistered)
        let e = try #require(r.errors.first { $0.command == "AT+CPIN?" })
        #expect(e.kind == .cme && e.code == 10)
        #expect(e.meaning.lowercased().contains("sim"))
        #expect(!r.written.contains("AT+CIMI"), "IMSI needs a ready SIM; not asked")
    }

    @Test func registrationDeniedCarriesTheRejectCause() throws {
        var b = FakeModem.Behaviour()
        b.replies["AT+CEREG?"] = "+CEREG: 3,3,\"1A2B\",\"01A2D001\",7,0,7\r\n\r\nOK"
        b.replies["AT+CREG?"] = "+CREG: 0,3\r\n\r\nOK"
        b.replies["AT+CGREG?"] = "+CGREG: 0,3\r\n\r\nOK"
        b.replies["AT+COPS?"] = "+COPS: 0\r\n\r\nOK"
        b.replies["AT+CEER"] = "+CEER: EMM cause 7\r\n\r\nOK"
        let r = try probe(try FakeModem(b))
        #expect(r.facts.registration?.state == .denied)
        #expect(r.facts.registration?.rejectCause?.kind == "emm")
        #expect(r.facts.registration?.rejectCause?.code == 7)
        #expect(r.errors.contains { $0.kind == .emm && $0.code == 7 })
    }

    @Test func silentPortEndsWithATimeoutWithinTheDeadline() throws {
        let fake = try FakeModem(.init(silent: true))
        let started = ContinuousClock.now
        let r = try probe(fake, timeout: .seconds(3), command: .seconds(1))
        let elapsed = started.duration(to: .now)
        // The deadline holds (a margin for a loaded machine; speed is the benchmarks' business).
        #expect(elapsed < .seconds(5))
        #expect(r.errors.contains { $0.kind == .timeout })
        #expect(r.facts.isEmpty)
    }

    @Test func disconnectMidProbeGivesAPartialResult() throws {
        let fake = try FakeModem(.init(hangUpAfter: 6))
        let r = try probe(fake)
        #expect(r.facts.manufacturer == "Quectel")
        #expect(r.facts.imei == nil)
        #expect(r.note?.contains("went away") == true)
        #expect(r.errors.contains { $0.raw == "(port closed)" })
    }

    @Test func lateReplyIsNotTakenForTheNextCommand() throws {
        // The fake holds +CGMM's reply until the probe, having timed it out, sends its next
        // command, and sends it just before answering that one.
        var b = FakeModem.Behaviour()
        b.lateCommand = "AT+CGMM"
        let fake = try FakeModem(b)
        // Every command after it must still answer within its limit while the suite runs
        // in parallel on a loaded machine: 600 ms lost +CGSN once in CI (2 cores).
        let r = try probe(fake, timeout: .seconds(30), command: .seconds(2))
        // The model may still come from ATI's identification lines.
        #expect(r.facts.model == nil || r.facts.model == "EC25")
        #expect(fake.received.contains("AT+CGMM"))
        #expect(r.facts.firmware == "EC25AFFAR07A08M4G", "the late EC25 must not land in +CGMR's reply")
        #expect(r.facts.imei == "356938035643809")
    }

    @Test func floodingPortEndsWithAClearErrorWithinTheDeadline() throws {
        let fake = try FakeModem(.init(floodBytes: 8 << 20))
        let started = ContinuousClock.now
        let r = try probe(fake, timeout: .seconds(4))
        #expect(started.duration(to: .now) < .milliseconds(6500))
        #expect(r.note != nil)
        fake.stop()
    }

    @Test func forbiddenCommandsNeverReachThePort() throws {
        let fake = try FakeModem()
        let port = try SerialPort(path: fake.slavePath)
        let s = ATSession(port: port, deadline: .now.advanced(by: .seconds(5)))
        for c in ["AT+CFUN=0", "AT+COPS=1,2,\"310260\"", "AT+CPIN=\"1234\"", "AT+CLCK=\"SC\",0,\"1234\"", "AT&W", "ATZ",
                  "AT+CGDCONT=1,\"IP\",\"fast.t-mobile.com\"", "AT+CGMI;+CFUN=0", "AT+CGMI\rAT+CFUN=0", "ATD911;",
                  "AT!RESET", "AT+QPOWD?", "AT+CRSM=176,12258,0,0,10", "AT+CPIN?\u{1A}"] {
            #expect(throws: ATSessionError.forbidden(c)) { try s.send(c, timeout: .seconds(1)) }
        }
        _ = try s.send("AT", timeout: .seconds(1))
        usleep(50_000)
        #expect(fake.received == ["AT"])
        #expect(s.written == ["AT"])
    }

    @Test func theStandardProbeSetIsReadOnly() throws {
        let fake = try FakeModem()
        let r = try probe(fake)
        for c in r.written { #expect(ATCommandPolicy.isAllowed(c), "\(c)") }
        for c in fake.received { #expect(ATCommandPolicy.isAllowed(c), "\(c)") }
        #expect(fake.received.contains("AT+CPIN?"))
    }
}
