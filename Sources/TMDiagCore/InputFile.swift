import Foundation
import Glibc

/// A file named on the command line (or standard input for `-`, where the command takes it),
/// read with `read(2)` in chunks: a pasted log may be larger than it is worth holding in
/// memory, and a pipe has no size to ask for. One place for the one-line errors every
/// command gives for a missing, unreadable or oversized file.
public enum InputFile {
    /// Calls `body` with each chunk read, in order. Errors name the file and say why; a file of
    /// more than `limit` bytes is refused (up front when its size is known).
    public static func forEachChunk(_ path: String, dashIsStandardInput: Bool = true, limit: Int? = nil,
                                    chunkSize: Int = 1 << 20,
                                    _ body: (UnsafeBufferPointer<UInt8>) throws(TMDiagError) -> Void) throws(TMDiagError) {
        let stdin = dashIsStandardInput && path == "-"
        let name = stdin ? "standard input" : TerminalText.escape(path)
        let fd: Int32
        if stdin {
            fd = STDIN_FILENO
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let e = errno
                switch e {
                case ENOENT: throw TMDiagError("\(name): no such file", status: .noInput)
                case EACCES, EPERM: throw TMDiagError("\(name): permission denied", status: .noPermission)
                default: throw TMDiagError("\(name): cannot open: \(String(cString: strerror(e)))", status: .noInput)
                }
            }
        }
        defer { if !stdin { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            throw TMDiagError("\(name): is a directory", status: .noInput)
        }
        func tooLarge(_ why: String) -> TMDiagError { TMDiagError("\(name): too large (\(why))", status: .dataError) }
        if let limit, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) > limit {
            throw tooLarge("\(Int(st.st_size) / 1_048_576) MB; at most \(limit / 1_048_576) MB")
        }
        var total = 0
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return }
            if n < 0 {
                let e = errno
                if e == EINTR { continue }
                throw TMDiagError("\(name): read failed: \(String(cString: strerror(e)))", status: .ioError)
            }
            total += n
            if let limit, total > limit { throw tooLarge("more than \(limit / 1_048_576) MB") }
            try buffer.withUnsafeBufferPointer { (b) throws(TMDiagError) in try body(UnsafeBufferPointer(rebasing: b[0..<n])) }
        }
    }

    /// The whole file, refused with a clear error when it is larger than `limit` bytes.
    public static func read(_ path: String, limit: Int, dashIsStandardInput: Bool = true) throws(TMDiagError) -> Data {
        var out = Data()
        try forEachChunk(path, dashIsStandardInput: dashIsStandardInput, limit: limit) { out.append($0) }
        return out
    }
}
