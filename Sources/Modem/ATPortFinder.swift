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
    /// port costs its full timeout but one after it costs nothing (its wait is stopped).
    public static func find(_ candidates: [String], timeout: Duration = .milliseconds(1500)) async -> Result {
        guard !candidates.isEmpty else { return Result(port: nil, tried: []) }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let held = PortHolders.find(candidates)
        var outcomes = [String?](repeating: nil, count: candidates.count)
        // Every port is asked at the same instant, each on a thread of its own.
        var asking: [(Int, BlockingJob<String, Never>)] = []
        for (i, path) in candidates.enumerated() {
            if let holders = held[path], !holders.isEmpty {
                outcomes[i] = "in use by " + holders.map(\.description).joined(separator: ", ")
                continue
            }
            asking.append((i, BlockingIO.start { stop in ask(path, deadline: deadline, stop: stop) }))
        }
        await withTaskGroup(of: (Int, String).self) { group in
            for (i, job) in asking { group.addTask { (i, await job.value()) } }
            while !isDecided(outcomes), let (i, outcome) = await group.next() { outcomes[i] = outcome }
            // The ports still waiting are not needed: stop them (the group waits for them).
            group.cancelAll()
        }
        let winner = outcomes.firstIndex { $0 == answered }
        let tried = zip(candidates, outcomes).map { ($0, $1 ?? "still waiting when another port answered") }
        return Result(port: winner.map { candidates[$0] }, tried: tried)
    }

    static let answered = "answered OK"

    /// Whether a port answered and every port before it is done, or all are done.
    static func isDecided(_ outcomes: [String?]) -> Bool {
        for o in outcomes {
            guard let o else { return false }
            if o == answered { return true }
        }
        return true
    }

    /// One port's answer to a bare `AT`, in words.
    static func ask(_ path: String, deadline: ContinuousClock.Instant, stop: StopFlag? = nil) -> String {
        let port: SerialPort
        do { port = try SerialPort(path: path, stop: stop) } catch { return "cannot open: " + PortAccess.describe(error).message }
        defer { port.close() }
        let session = ATSession(port: port, deadline: deadline)
        do {
            let ex = try session.send("AT", timeout: ContinuousClock.now.duration(to: deadline))
            return ex.final.isOK ? answered : "answered \(ex.finalRaw ?? "\(ex.final)")"
        } catch .timeout {
            return "no answer"
        } catch {
            return "\(error)"
        }
    }
}
