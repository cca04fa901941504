import Testing
import TMDiagCore

/// The hand-over between an import's reader and writer threads keeps only what is queued.
@Suite("Bounded channel")
struct BoundedChannelTests {
    final class Payload: Sendable {
        let n: Int
        init(_ n: Int) { self.n = n }
    }

    @Test func itemsComeOutInOrder() {
        let channel = BoundedChannel<Int>(capacity: 3)
        for i in 0..<3 { #expect(channel.send(i)) }
        #expect((0..<3).map { _ in channel.receive() } == [0, 1, 2])
    }

    /// A received item belongs to the receiver alone: the channel holds no reference to it
    /// (a batch of events kept there stayed in memory for the rest of an import).
    @Test func aReceivedItemIsNotKeptByTheChannel() {
        let channel = BoundedChannel<Payload>(capacity: 4)
        weak var first: Payload?
        weak var last: Payload?
        do {
            for i in 0..<3 {
                let p = Payload(i)
                if i == 0 { first = p }
                if i == 2 { last = p }
                channel.send(p)
            }
            for _ in 0..<3 { #expect(channel.receive() != nil) }
        }
        #expect(first == nil)
        #expect(last == nil)
    }

    @Test func cancellingWakesAndEnds() {
        let channel = BoundedChannel<Int>(capacity: 1)
        channel.send(1)
        channel.cancel()
        #expect(!channel.send(2))
        #expect(channel.receive() == nil)
    }
}
