import Foundation

/// The only place below the CLI that writes to the standard streams, so that commands stay
/// testable and output stays whole (one write per call).
public enum Console {
    public static func out(_ s: String) {
        write(1, s.hasSuffix("\n") ? s : s + "\n")
    }

    public static func outRaw(_ data: Data) {
        data.withUnsafeBytes { writeAll(1, $0) }
    }

    /// `tmdiag: <message>` on stderr.
    public static func error(_ message: String) {
        write(2, "tmdiag: " + message + "\n")
    }

    public static func note(_ s: String) { write(2, s.hasSuffix("\n") ? s : s + "\n") }

    static func write(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) {
        var off = 0
        while off < buf.count {
            let n = Foundation.write(fd, buf.baseAddress! + off, buf.count - off)
            if n < 0 { if errno == EINTR { continue }; return }
            off += n
        }
    }
}
