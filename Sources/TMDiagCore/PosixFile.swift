import Glibc
import SystemPackage

/// Thin wrappers over the POSIX file calls tmdiag needs where Foundation has no call or costs
/// too much: sysfs attributes, `/proc` entries and links, read many times per scan. Each
/// answers nil where the call fails; the callers treat what they cannot read as absent.
public enum PosixFile {
    /// Wraps `open(2)` + `read(2)` (through swift-system, which retries on EINTR): the whole
    /// file, up to `limit` bytes (files in /proc and /sys report no size, so they are read
    /// until the end).
    public static func read(_ path: String, limit: Int) -> [UInt8]? {
        guard let fd = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) else { return nil }
        defer { try? fd.close() }
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            guard let n = try? buf.withUnsafeMutableBytes({ try fd.read(into: $0) }) else { return nil }
            if n == 0 { break }
            out += buf[0..<min(n, limit - out.count)]
        }
        return out
    }

    /// Wraps `opendir(3)`/`readdir(3)`: the entries of a directory, without `.` and `..`.
    /// Names are read in place up to their NUL (an entry need not be a full `dirent`: the
    /// preload library of umockdev hands out shorter ones).
    public static func list(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        var out: [String] = []
        while let e = readdir(dir) {
            let start = UnsafeRawPointer(e).advanced(by: nameOffset).assumingMemoryBound(to: UInt8.self)
            let name = String(decoding: UnsafeBufferPointer(start: start, count: strlen(UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self))),
                              as: UTF8.self)
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    /// Wraps `readlink(2)`: where a link points, as written in the link.
    public static func linkTarget(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `a/b/../c/./d` → `/a/c/d`: `.` and `..` folded, without touching the file system.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/") {
            if p == "." || p.isEmpty { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        return "/" + parts.joined(separator: "/")
    }
}
