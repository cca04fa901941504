import Foundation

/// A value that several threads share (the caches of parsed data, a blocking job's result),
/// reached only through `withLock`.
///
/// A pthread mutex (NSLock) rather than `Synchronization.Mutex`: on Linux `Mutex` waits on a
/// futex that ThreadSanitizer does not see, so every access it guards reads as a data race
/// under `make test-tsan`, and real races would hide among the false ones.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
