import Glibc

/// mbim-proxy and qmi-proxy listen on machine-wide abstract socket names (`@mbim-proxy`), and
/// tmdiag reads a cdc-wdm port through the proxy whenever one listens. A test that starts a
/// real proxy would therefore draw every emulated-modem run on the machine (another suite of
/// the same `swift test`, or another test run) to a proxy that cannot see its emulated port.
/// So the proxy tests hold this turn exclusively while their proxy runs, and every
/// `fakemodem-bed` run holds it shared: the two never overlap, across processes.
public enum ProxyTurn {
    static let path = "/tmp/tmdiag-test-proxy-turn.lock"

    /// Waits for the turn (`flock(2)` on a shared file) and holds it until `release` or the
    /// process ends; nil when the lock file cannot be opened (the caller runs unguarded).
    public static func take(exclusive: Bool) -> Int32? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { return nil }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { close(fd); return nil }
        }
        return fd
    }

    public static func release(_ fd: Int32?) {
        if let fd { close(fd) }
    }
}
