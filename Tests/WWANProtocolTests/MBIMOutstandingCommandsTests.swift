import FakeModemKit
import Foundation
import MBIM
import Testing
import TMDiagCore

/// Several MBIM commands outstanding at once (MBIM 1.0 §6.5, bMaxOutstandingCommandMessages):
/// replies are paired with their commands by transaction id whatever order they are read in,
/// and the client's reading gives the same facts as one command at a time, sooner.
@Suite("MBIM: several commands outstanding")
struct MBIMOutstandingCommandsTests {
    @Test func aReplyReadWhileAnotherIsAwaitedIsKeptForItsCommand() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") { $0.openAtStart = true }))
        let s = MBIMSession(port: try MessagePort(device: fake.path), viaProxy: false)
        let deadline = ContinuousClock.now.advanced(by: .seconds(2))
        let caps = MBIMMessage.command(transactionId: s.nextTransactionId(), service: .basicConnect, cid: MBIMCommand.deviceCaps.cid, type: .query)
        let signal = MBIMMessage.command(transactionId: s.nextTransactionId(), service: .basicConnect, cid: MBIMCommand.signalState.cid, type: .query)
        try s.send(caps, deadline: deadline)
        try s.send(signal, deadline: deadline)
        #expect(s.outstandingCount == 2)
        // Awaited in the other order: DEVICE_CAPS's reply arrives first and must not be lost.
        let second = try s.awaitReply(transactionId: signal.transactionId, type: .commandDone, deadline: deadline)
        let first = try s.awaitReply(transactionId: caps.transactionId, type: .commandDone, deadline: deadline)
        #expect(second.cid == MBIMCommand.signalState.cid && second.transactionId == signal.transactionId)
        #expect(first.cid == MBIMCommand.deviceCaps.cid && first.transactionId == caps.transactionId)
        #expect(s.outstandingCount == 0)
        #expect(s.skipped.isEmpty, "nothing dropped: \(s.skipped)")
        #expect(fake.violations.isEmpty)
    }

    @Test func aReplyToNoOutstandingCommandIsStillSetAside() throws {
        // Noise before every reply: indications and a stale transaction's reply.
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy") { $0.openAtStart = true; $0.noiseBeforeReply = 2 }))
        var options = testOptions()
        options.maxOutstanding = 8
        let r = MBIMClient.read(path: fake.path, options: options)
        #expect(r.errors.isEmpty, "\(r.errors)")
        #expect(r.facts.imei == "356938035643809")
        #expect(r.details.contains { $0.hasPrefix("set aside") }, "\(r.details)")
    }

    @Test func readingSeveralAtOnceGivesTheSameFactsSooner() throws {
        let delay = 60
        let one = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")), delayMs: delay)
        let r1 = MBIMClient.read(path: one.path, options: testOptions())
        let many = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")), delayMs: delay)
        var options = testOptions()
        options.maxOutstanding = 64
        let r8 = MBIMClient.read(path: many.path, options: options)
        #expect(r1.errors.isEmpty && r8.errors.isEmpty, "\(r1.errors) \(r8.errors)")
        #expect(r1.facts == r8.facts)
        #expect(r1.sent.sorted() == r8.sent.sorted(), "the same messages, \(r8.sent)")
        #expect(r8.sent.first == "QUERY BASIC_CONNECT DEVICE_CAPS" && r8.sent.last == "CLOSE", "\(r8.sent)")
        // Probe, OPEN, the independent queries, those that wait for the SIM's state, CLOSE.
        print("MBIM read, \(delay) ms replies: \(r1.durationMs) ms one at a time, \(r8.durationMs) ms several at once, \(r8.sent.count) messages")
        // Structural, not a clock bound: several commands were outstanding at once, or only one.
        #expect(many.mostPending > 1, "never more than one command outstanding")
        #expect(one.mostPending == 1)
        #expect(r1.durationMs >= r1.sent.count * delay)
        #expect(one.violations.isEmpty && many.violations.isEmpty)
    }

    @Test func queriesThatDependOnTheSIMWaitForItsState() throws {
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("sim-absent")))
        var options = testOptions()
        options.maxOutstanding = 64
        let r = MBIMClient.read(path: fake.path, options: options)
        #expect(r.facts.sim?.state == .absent)
        #expect(!r.sent.contains("QUERY BASIC_CONNECT PIN") && !r.sent.contains("QUERY BASIC_CONNECT HOME_PROVIDER"),
                "no SIM, nothing to ask it: \(r.sent)")
        #expect(r.errors.isEmpty, "\(r.errors)")
    }

    @Test func aFunctionThatDoesNotSayGetsOneCommandAtATime() throws {
        #expect(WWANOptions().maxOutstanding == 1)
        let fake = try MBIMFake(FakeMBIMModem(mbimBehaviour("healthy")), delayMs: 30)
        let r = MBIMClient.read(path: fake.path, options: testOptions())
        #expect(r.errors.isEmpty, "\(r.errors)")
        // One at a time, the read waits for every reply in turn.
        #expect(r.durationMs >= r.sent.count * 30, "\(r.durationMs) ms for \(r.sent.count) messages")
    }
}
