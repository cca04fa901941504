import Foundation

/// A bounded first-in first-out hand-over between one producing thread and one consuming
/// thread: the producer waits while `capacity` items are queued, the consumer while none are.
/// Either side can give up with `cancel`, which wakes the other.
///
/// Used where one thread reads and checks input while another digests it (history imports,
/// decoding large logs), so the two cores work at once and memory stays bounded.
public final class BoundedChannel<Item: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Received items are set to nil at once: a received batch that stayed in its slot until
    /// the next compaction kept up to 64 batches alive (about 100 MB of events in a large
    /// history import), and the last ones until the channel went away.
    private var items: [Item?] = []
    private var head = 0
    private var cancelled = false
    private let capacity: Int

    public init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Queues `item`; false when the other side has cancelled.
    @discardableResult
    public func send(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, waiting for one; nil once the channel is cancelled.
    public func receive() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.count == head && !cancelled { condition.wait() }
        if cancelled { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// Wakes both sides; later sends fail and receives return nil.
    public func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
