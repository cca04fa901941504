import Foundation
import Glibc
import SystemPackage

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
        let fd: FileDescriptor
        if stdin {
            fd = .standardInput
        } else {
            do { fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) } catch {
                switch error as? Errno ?? .ioError {
                case .noSuchFileOrDirectory: throw TMDiagError("\(name): no such file", status: .noInput)
                case .permissionDenied, .notPermitted: throw TMDiagError("\(name): permission denied", status: .noPermission)
                case let e: throw TMDiagError("\(name): cannot open: \(e.description)", status: .noInput)
                }
            }
        }
        defer { if !stdin { try? fd.close() } }
        var st = stat()
        if fstat(fd.rawValue, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
            throw TMDiagError("\(name): is a directory", status: .noInput)
        }
        func tooLarge(_ why: String) -> TMDiagError { TMDiagError("\(name): too large (\(why))", status: .dataError) }
        if let limit, st.st_mode & S_IFMT == S_IFREG, Int(st.st_size) > limit {
            throw tooLarge("\(Int(st.st_size) / 1_048_576) MB; at most \(limit / 1_048_576) MB")
        }
        var total = 0
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            // FileDescriptor.read retries on EINTR itself.
            let n: Int
            do { n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0) } } catch {
                throw TMDiagError("\(name): read failed: \(error)", status: .ioError)
            }
            if n == 0 { return }
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
