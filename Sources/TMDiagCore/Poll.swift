import Glibc

/// Waiting on one descriptor with `poll(2)` until a deadline: how the serial port and the
/// MBIM/QMI message port wait for a reply or for room to write. EINTR is retried, and a wake-up
/// before the deadline with nothing ready waits again (poll's timeout is capped at a minute).
public enum Poll {
    public enum Outcome: Sendable, Equatable {
        /// The events asked for are there.
        case ready
        /// The deadline passed, or the `slice` did.
        case timedOut
        /// The other end is gone: the descriptor is invalid (EBADF), or it hung up or failed
        /// without the events (EIO): unplugged, a pty or a socket closed.
        case gone(errno: Int32)
        /// `poll(2)` itself failed.
        case failed(errno: Int32)
    }

    /// Wraps `poll(2)`: waits for `events` on `fd` until `deadline`. With a `slice`, it comes
    /// back `.timedOut` after at most that long, for a caller that checks a stop flag between.
    public static func wait(fd: Int32, events: Int16, deadline: ContinuousClock.Instant, slice: Duration? = nil) -> Outcome {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            var ms = remaining <= .zero ? 0 : min(remaining.milliseconds, 60_000)
            if let slice { ms = min(ms, slice.milliseconds) }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&p, 1, Int32(ms))
            if r < 0 {
                let e = errno
                if e == EINTR { continue }
                return .failed(errno: e)
            }
            if r == 0 {
                if slice == nil && ContinuousClock.now < deadline { continue }
                return .timedOut
            }
            if p.revents & Int16(POLLNVAL) != 0 { return .gone(errno: EBADF) }
            if p.revents & events != 0 { return .ready }
            if p.revents & Int16(POLLHUP | POLLERR) != 0 { return .gone(errno: EIO) }
            return .timedOut
        }
    }
}
