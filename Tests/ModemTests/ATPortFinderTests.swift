import Foundation
import Glibc
import Testing
@testable import Modem

/// A modem that no profile describes: its serial ports are asked a bare AT, at once, and the
/// first in order that answers is its AT port. The ports are real pseudo-terminals with fake
/// modems behind them: silent (a diagnostic port), flooding NMEA (a GPS port), answering.
@Suite("Finding an unknown modem's AT port", .serialized)
struct ATPortFinderTests {
    @Test func theFirstPortThatAnswersWinsAndOnlyAnATIsSent() async throws {
        let diag = try FakeModem(.init(silent: true))
        let gps = try FakeModem(.init(replies: ["AT": "$GPGSV,3,1,11,03,03,111,00,04,15,270,00*7A"]))
        let at = try FakeModem()
        let modemPort = try FakeModem()
        let r = await ATPortFinder.find([diag.slavePath, gps.slavePath, at.slavePath, modemPort.slavePath], timeout: .milliseconds(1200))
        #expect(r.port == at.slavePath, "the first in order that answers, not the first to answer")
        #expect(r.tried.map(\.path) == [diag.slavePath, gps.slavePath, at.slavePath, modemPort.slavePath])
        #expect(r.tried[0].outcome == "no answer")
        #expect(r.tried[2].outcome == "answered OK")
        for m in [diag, gps, at] {
            #expect(m.received.allSatisfy { $0 == "AT" }, "only a bare AT: \(m.received)")
        }
    }

    @Test func noPortAnsweringIsSaidPortByPort() async throws {
        let a = try FakeModem(.init(silent: true))
        let b = try FakeModem(.init(replies: ["AT": "ERROR"]))
        let r = await ATPortFinder.find([a.slavePath, b.slavePath, "/dev/tmdiag-no-such-port"], timeout: .milliseconds(600))
        #expect(r.port == nil)
        #expect(r.tried[0].outcome == "no answer")
        #expect(r.tried[1].outcome == "answered ERROR")
        #expect(r.tried[2].outcome.hasPrefix("cannot open"))
    }

    @Test func aPortAnotherProgramHoldsIsNotAsked() async throws {
        let held = try FakeModem()
        let sleeper = try holdOpen(held.slavePath)
        defer { stop(sleeper) }
        let free = try FakeModem()
        let r = await ATPortFinder.find([held.slavePath, free.slavePath], timeout: .milliseconds(800))
        #expect(r.port == free.slavePath)
        #expect(r.tried[0].outcome.hasPrefix("in use by sleep (pid \(sleeper.processIdentifier))"))
        #expect(held.received.isEmpty)
    }
}
