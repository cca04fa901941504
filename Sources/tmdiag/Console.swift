import Foundation
import SystemPackage

/// The only place that writes to the standard streams, so that output stays whole (one write
/// per call). Only the CLI prints; the library layers return text.
enum Console {
    static func out(_ s: String) {
        write(.standardOutput, s.hasSuffix("\n") ? s : s + "\n")
    }

    static func outRaw(_ data: Data) {
        data.withUnsafeBytes { writeAll(.standardOutput, $0) }
    }

    /// `tmdiag: <message>` on stderr.
    static func error(_ message: String) {
        write(.standardError, "tmdiag: " + message + "\n")
    }

    static func note(_ s: String) { write(.standardError, s.hasSuffix("\n") ? s : s + "\n") }

    static func write(_ fd: FileDescriptor, _ s: String) {
        var s = s
        s.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    }

    /// A closed or broken stream is not worth a second error: what could not be written is dropped.
    static func writeAll(_ fd: FileDescriptor, _ buf: UnsafeRawBufferPointer) {
        _ = try? fd.writeAll(buf)
    }
}

extension Console {
    /// A progress line on stderr that rewrites itself (callers check stderr is a terminal).
    static func progress(_ s: String) {
        write(.standardError, "\r\u{1B}[K" + s)
    }
}
