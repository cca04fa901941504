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

extension Console {
    /// A progress line on stderr that rewrites itself (callers check stderr is a terminal).
    public static func progress(_ s: String) {
        write(2, "\r\u{1B}[K" + s)
    }
}

/// Writing a file whole or not at all: a temporary file in the same folder, then rename.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws(TMDiagError) {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try data.write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                let e = errno
                try? FileManager.default.removeItem(at: tmp)
                throw TMDiagError("\(TerminalText.escape(path)): cannot write: \(String(cString: strerror(e)))", status: .ioError)
            }
        } catch let e as TMDiagError {
            throw e
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw TMDiagError("\(TerminalText.escape(path)): cannot write: \(error.localizedDescription)", status: .ioError)
        }
    }
}
