import Foundation
import Synchronization

/// tmdiag's one concurrency model, in one place.
///
/// Orchestration is Swift structured concurrency: pipelines are `async`, devices and ports are
/// probed by the children of a task group, deadlines are clocks. What blocks (serial ports
/// waiting in `poll`, SQLite, parsing a big profile) must not sit on the cooperative pool: it
/// has one thread per core, so two silent ports would stall every other device. Blocking work
/// therefore runs here, each job on a thread of its own that is always waited for:
///
/// - `run` hands a blocking job to a new thread and suspends the calling task until the job
///   returns. `start` does the same in two steps, for callers that must start several jobs at
///   the same instant (their deadlines start together) and wait for them afterwards.
///   When the waiting task is cancelled the job's `StopFlag` is raised; jobs that can end early
///   (a port waiting for an answer nobody needs any more) look at it.
/// - `alongside` runs a producer on a second thread while the calling thread consumes, and
///   returns only after both are done (the history importer reads while it writes).
///
/// No other file in Sources starts a thread. State that outlives one call (caches) sits in a
/// `Locked` value; nothing else is shared between threads.
public enum BlockingIO {
    /// Runs `job` on its own thread; returns (or throws) what it did once it is done.
    public static func run<T: Sendable, E: Error>(
        _ job: @escaping @Sendable (StopFlag) throws(E) -> T
    ) async throws(E) -> T {
        try await start(job).value()
    }

    /// Starts `job` on its own thread now; its result is `value()`, which must be awaited.
    public static func start<T: Sendable, E: Error>(
        _ job: @escaping @Sendable (StopFlag) throws(E) -> T
    ) -> BlockingJob<T, E> {
        let pending = BlockingJob<T, E>()
        let thread = Thread {
            pending.finish(Result { () throws(E) -> T in try job(pending.stop) })
        }
        // Parsers recurse and profiles nest: the 512 KiB default is too tight.
        thread.stackSize = 4 << 20
        thread.start()
        return pending
    }

    /// Runs `producer` on a second thread while `consumer` runs on this one; returns what
    /// `consumer` returned (or rethrows what it threw) after the producer has finished too.
    /// The consumer must make the producer finish (by draining or cancelling what they share).
    public static func alongside<R>(_ producer: @escaping @Sendable () -> Void, _ consumer: () throws -> R) rethrows -> R {
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            producer()
            finished.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
        defer { finished.wait() }
        return try consumer()
    }
}

/// A blocking job started by `BlockingIO.start`: its result once its thread is done.
public final class BlockingJob<T: Sendable, E: Error>: Sendable {
    private enum State {
        case running
        case waiting(CheckedContinuation<Result<T, E>, Never>)
        case done(Result<T, E>)
    }
    private let state = Locked<State>(.running)
    /// Raised by `value()`'s cancellation, or by whoever no longer needs the result.
    public let stop = StopFlag()

    fileprivate init() {}

    fileprivate func finish(_ result: sending Result<T, E>) {
        let waiting: CheckedContinuation<Result<T, E>, Never>? = state.withLock { s in
            if case .waiting(let c) = s { s = .done(result); return c }
            s = .done(result)
            return nil
        }
        waiting?.resume(returning: result)
    }

    /// What the job returned or threw, once it is done; cancelling the waiting task raises `stop`.
    public func value() async throws(E) -> T {
        let outcome: Result<T, E> = await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Result<T, E>, Never>) in
                let done: Result<T, E>? = state.withLock { s in
                    if case .done(let r) = s { return r }
                    s = .waiting(c)
                    return nil
                }
                if let done { c.resume(returning: done) }
            }
        } onCancel: {
            stop.raise()
        }
        return try outcome.get()
    }
}

/// Raised when the task that waits for a blocking job no longer needs its result.
public final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    public var isRaised: Bool { raised.load(ordering: .acquiring) }

    public func raise() { raised.store(true, ordering: .releasing) }
}
