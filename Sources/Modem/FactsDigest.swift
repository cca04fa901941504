import Foundation
import TMDiagCore

/// What the log decoder hands on, in log order: a whole exchange or an unsolicited line, each
/// with a key that is the same whenever the event is the same (or -1 when it has none). An
/// event is sent whole the first time its key is used and by its key alone after that, so
/// that a repeat costs no copying of strings.
enum DecodeEvent: Sendable {
    /// Boxed, so that an event is a few bytes to copy into a batch and out of it.
    case exchange(Box, key: Int32)
    case urc(String, key: Int32)
    case again(key: Int32)

    /// Keys at and above this are unsolicited lines; those below, exchanges (numbered from 0).
    static let urcKeyBase: Int32 = 1 << 30

    final class Box: Sendable {
        let exchange: ATExchange
        init(_ exchange: ATExchange) { self.exchange = exchange }
    }
}

/// The far side of the log decoder: feeds its events to a `FactsBuilder`.
///
/// Logs repeat a handful of exchanges thousands of times, and what an exchange does depends
/// only on the exchange and on the facts and errors before it (errors only grow, so the same
/// count means the same errors). So each (facts state, event) step is parsed once and then
/// replayed as a jump between numbered states; the facts themselves are brought up to date
/// only when a step has to be parsed, or at the end. A log that hardly repeats (a new signal
/// value in every reply) would only pay for numbering its states, so the memo pauses itself
/// when few steps were replays lately.
struct FactsDigest: Sendable {
    private(set) var builder: FactsBuilder
    private var memo = FactsMemo()
    /// The memo's number for the facts the digest is at, or nil when they have none; and the
    /// number of the facts `builder` holds (they lag behind during replays).
    private var state: Int32?
    private var liveState: Int32?
    /// Unsolicited lines replayed since the builder was last brought up to date.
    private var pendingURCs = 0
    /// Events seen whole, by key, for the ones that come again by key alone.
    private var exchanges: [ATExchange] = []
    private var urcs: [Int32: String] = [:]
    /// Replaying saves a parse, so the memo pays while one step in five or more is a replay.
    private var gate = PayoffGate(hitsAtLeast: 1, outOf: 5)

    init(builder: FactsBuilder, memo: Bool = true) {
        self.builder = builder
        if !memo { gate.closeForGood() }
    }

    mutating func take(_ event: DecodeEvent) {
        let key: Int32
        switch event {
        case .exchange(let box, let k):
            key = k
            // Keys are numbered from 0 and each is sent whole once, in order.
            if k >= 0, Int(k) == exchanges.count { exchanges.append(box.exchange) }
        case .urc(let line, let k):
            key = k
            if k >= 0 { urcs[k] = line }
        case .again(let k):
            key = k
        }
        if key >= 0, let from = state, let to = memo.next(from: from, key: key) {
            if key >= DecodeEvent.urcKeyBase { pendingURCs += 1 }
            state = to
            gate.count(hit: true)
            return
        }
        gate.count(hit: false)
        catchUp()
        let from = state, generation = memo.generation
        switch event {
        case .exchange(let box, _): builder.add(box.exchange)
        case .urc(let line, _): builder.addURC(line)
        case .again(let k):
            if k >= DecodeEvent.urcKeyBase {
                if let line = urcs[k] { builder.addURC(line) }
            } else if Int(k) < exchanges.count {
                builder.add(exchanges[Int(k)])
            }
        }
        if !gate.isOpen || key < 0 {
            gate.skip()
            state = nil
            liveState = nil
            return
        }
        let to = memo.number(FactsMemo.State(facts: builder.facts, errorCount: builder.errors.count))
        if let from, memo.generation == generation { memo.record(from: from, key: key, to: to) }
        state = to
        liveState = to
    }

    /// Brings the builder to the facts the digest is at.
    private mutating func catchUp() {
        if let s = state, s != liveState {
            builder.facts = memo.facts(of: s)
            liveState = s
        }
        builder.urcCount += pendingURCs
        pendingURCs = 0
    }

    /// The builder with everything taken in.
    mutating func finish() -> FactsBuilder {
        catchUp()
        return builder
    }
}

/// Runs a `FactsDigest` on a thread of its own, so that reading a large log and parsing its
/// replies share the two cores. Events arrive in batches, in order; `finish` hands the
/// digest back.
final class FactsDigestWorker: @unchecked Sendable {
    private enum Item: Sendable {
        case events([DecodeEvent])
        case end
    }

    /// Where the thread leaves the digest: written before `done` is signalled, read after.
    private final class Outcome: @unchecked Sendable {
        var digest: FactsDigest?
        let done = DispatchSemaphore(value: 0)
    }

    private let channel = BoundedChannel<Item>(capacity: 8)
    private let outcome = Outcome()
    private var finished = false

    init(_ digest: FactsDigest) {
        // The thread holds the channel and the outcome, not the worker, so that a worker
        // dropped half-way still reaches `deinit` and lets the thread end.
        let channel = self.channel, outcome = self.outcome
        let thread = Thread {
            var d = digest
            defer { outcome.done.signal() }
            while let item = channel.receive() {
                switch item {
                case .events(let batch): for e in batch { d.take(e) }
                case .end:
                    _ = d.finish()
                    outcome.digest = d
                    return
                }
            }
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    func send(_ batch: [DecodeEvent]) { channel.send(.events(batch)) }

    /// Waits for every event sent so far to be digested and returns the digest.
    func finish() -> FactsDigest? {
        if !finished {
            finished = true
            channel.send(.end)
            outcome.done.wait()
        }
        return outcome.digest
    }

    deinit {
        // A decoder dropped half-way (its input failed to read): let the thread end.
        if !finished { channel.cancel() }
    }
}
