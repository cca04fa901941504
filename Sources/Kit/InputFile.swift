import Foundation
import TMDiagCore

/// A file named on the command line, or standard input for `-`, read in chunks with
/// `read(2)`: a pasted log may be larger than it is worth holding in memory, and a pipe
/// has no size to ask for.
public enum InputFile {
    /// Calls `body` with each chunk read, in order. Errors name the file and say why.
    public static func forEachChunk(_ path: String, chunkSize: Int = 1 << 20,
                                    _ body: (UnsafeBufferPointer<UInt8>) -> Void) throws(TMDiagError) {
        let name = path == "-" ? "standard input" : TerminalText.escape(path)
        let fd: Int32
        if path == "-" {
            fd = STDIN_FILENO
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let e = errno
                let why = switch e {
                case ENOENT: "no such file"
                case EACCES: "cannot read: permission denied"
                default: "cannot open: \(String(cString: strerror(e)))"
                }
                throw TMDiagError("\(name): \(why)", status: .noInput)
            }
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            throw TMDiagError("\(name): is a directory", status: .noInput)
        }
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return }
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                throw TMDiagError("\(name): read failed: \(String(cString: strerror(e)))", status: .ioError)
            }
            buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
    }
}
