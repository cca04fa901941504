import Glibc

/// Raw, non-blocking byte I/O on a terminal-like fd (a serial port, or a umockdev pty standing
/// in for a cdc-wdm or wwan port): no echo, no line editing, no translation, reads return at
/// once. Best effort: an fd that takes no termios (a real cdc-wdm port) is left alone.
public enum RawTerminal {
    /// Wraps `tcgetattr`, `cfmakeraw`, `cfsetispeed`/`cfsetospeed` and `tcsetattr`.
    public static func makeRaw(_ fd: Int32, speed: speed_t? = nil) {
        var t = termios()
        guard tcgetattr(fd, &t) == 0 else { return }
        cfmakeraw(&t)
        t.c_cflag |= tcflag_t(CLOCAL | CREAD)
        if let speed {
            cfsetispeed(&t, speed)
            cfsetospeed(&t, speed)
        }
        withUnsafeMutableBytes(of: &t.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        _ = tcsetattr(fd, TCSANOW, &t)
    }
}
