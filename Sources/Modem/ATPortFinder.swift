import Foundation
import TMDiagCore

/// Finds the AT port of a modem that no profile and no udev hint describes: each candidate
/// serial port is asked a bare `AT` at the same time, and the first port in interface order
/// that answers `OK` wins. A bare `AT` changes nothing, and the diagnostic, GPS and network
/// ports of a modem simply do not answer it, so asking is safe (ModemManager finds ports the
/// same way, one after the other, with retries; tmdiag asks all at once, once).
///
/// Ports that another program holds are never asked (see `PortHolders`).
public enum ATPortFinder {
    public struct Result: Sendable {
        /// The port that answered, if any.
        public var port: String?
        /// The ports asked, in order, and what each did.
        public var tried: [(path: String, outcome: String)]
    }

    /// Asks every candidate (in interface order) within `timeout`; returns as soon as the
    /// earliest candidate that answered is known, so a silent diagnostic port before the AT
    /// port costs its full timeout but one after it costs nothing.
    public static func find(_ candidates: [String], timeout: Duration = .milliseconds(1500)) -> Result {
        guard !candidates.isEmpty else { return Result(port: nil, tried: []) }
        let state = Board(count: candidates.count)
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let held = PortHolders.find(candidates)
        for (i, path) in candidates.enumerated() {
            if let holders = held[path], !holders.isEmpty {
                state.finish(i, outcome: "in use by " + holders.map(\.description).joined(separator: ", "))
                continue
            }
            Thread.detachNewThread {
                state.finish(i, outcome: ask(path, deadline: deadline))
            }
        }
        let outcomes = state.waitForWinner()
        let winner = outcomes.firstIndex { $0 == Board.answered }
        let tried = zip(candidates, outcomes).map { ($0, $1 ?? "still waiting when another port answered") }
        return Result(port: winner.map { candidates[$0] }, tried: tried)
    }

    /// One port's answer to a bare `AT`, in words.
    static func ask(_ path: String, deadline: ContinuousClock.Instant) -> String {
        let port: SerialPort
        do { port = try SerialPort(path: path) } catch { return "cannot open: " + PortAccess.describe(error).message }
        defer { port.close() }
        let session = ATSession(port: port, deadline: deadline)
        do {
            let ex = try session.send("AT", timeout: ContinuousClock.now.duration(to: deadline))
            return ex.final.isOK ? Board.answered : "answered \(ex.finalRaw ?? "\(ex.final)")"
        } catch .timeout {
            return "no answer"
        } catch {
            return "\(error)"
        }
    }

    /// The outcomes as they come in, and the wait for the earliest port that answered.
    final class Board: @unchecked Sendable {
        static let answered = "answered OK"
        private let condition = NSCondition()
        private var outcomes: [String?]

        init(count: Int) { outcomes = Array(repeating: nil, count: count) }

        func finish(_ i: Int, outcome: String) {
            condition.lock()
            outcomes[i] = outcome
            condition.broadcast()
            condition.unlock()
        }

        /// Waits until a port answered and every port before it is done, or all are done.
        func waitForWinner() -> [String?] {
            condition.lock()
            defer { condition.unlock() }
            while true {
                var decided = true
                for o in outcomes {
                    guard let o else { decided = false; break }
                    if o == Self.answered { return outcomes }
                }
                if decided { return outcomes }
                condition.wait()
            }
        }
    }
}
