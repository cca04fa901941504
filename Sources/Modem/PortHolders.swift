import Glibc
import TMDiagCore

/// Another program that has a serial port open or locked.
public struct PortHolder: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    /// The program's name (`/proc/PID/comm`), shown escaped.
    public var name: String
    /// How it was seen: an open descriptor, a `flock`/`fcntl` lock, or a UUCP lock file.
    public var how: How

    public enum How: String, Sendable {
        case open = "has it open"
        case lock = "holds a lock on it"
        case lockFile = "holds its lock file"
    }

    public var description: String { "\(name) (pid \(pid))" }
    public var isModemManager: Bool { name == "ModemManager" }
}

/// Who else is using a serial port. Two programs talking AT on one port take each other's
/// replies, so tmdiag asks before it opens one and, when another program is there, says which
/// instead of fighting over the port. Linux only, from `/proc` and the lock directories:
///
/// - every process's open descriptors (`/proc/PID/fd/*`); readable for one's own processes,
///   and for all as root, which `TIOCEXCL` does not stop;
/// - `flock`/`fcntl` locks on the device node (`/proc/locks`, readable by everyone), which
///   terminal programs such as picocom take;
/// - UUCP lock files (`/run/lock/LCK..ttyUSB2`), which minicom and others write.
///
/// What cannot be read is skipped: the answer is who could be seen, never an error.
public enum PortHolders {
    public static func find(_ path: String, proc: String = "/proc",
                            lockDirs: [String] = ["/run/lock", "/var/lock"]) -> [PortHolder] {
        find([path], proc: proc, lockDirs: lockDirs)[path] ?? []
    }

    /// The holders of each of `paths`, with one pass over the processes' descriptors (a busy
    /// desktop has tens of thousands): a report checks all its ports at once.
    public static func find(_ paths: [String], proc: String = "/proc",
                            lockDirs: [String] = ["/run/lock", "/var/lock"]) -> [String: [PortHolder]] {
        find(paths, openFiles: OpenFiles.scan(proc: proc), proc: proc, lockDirs: lockDirs)
    }

    /// The same, from descriptors read earlier: `tmdiag report` reads them while discovery
    /// runs, since the pass over /proc is the slowest part of a report after the device I/O.
    public static func find(_ paths: [String], openFiles: OpenFiles, proc: String = "/proc",
                            lockDirs: [String] = ["/run/lock", "/var/lock"]) -> [String: [PortHolder]] {
        let me = getpid()
        var out: [String: [PortHolder]] = [:]
        var names: [Int32: String] = [:]
        func add(_ path: String, _ pid: Int32, _ how: PortHolder.How) {
            guard pid > 0, pid != me, out[path]?.contains(where: { $0.pid == pid }) != true else { return }
            if names[pid] == nil { names[pid] = name(of: pid, proc: proc) }
            out[path, default: []].append(PortHolder(pid: pid, name: names[pid]!, how: how))
        }
        for (path, pids) in openFiles.openers(of: paths) { for pid in pids { add(path, pid, .open) } }
        let locks = openFiles.locks
        for path in paths {
            var st = stat()
            if let locks, stat(path, &st) == 0 {
                for pid in lockers(in: locks, device: st.st_dev, inode: st.st_ino) { add(path, pid, .lock) }
            }
            for pid in lockFileOwners(of: path, in: lockDirs, proc: proc) { add(path, pid, .lockFile) }
        }
        return out
    }

    /// `path` with its symbolic links followed (at most 16), `.` and `..` folded. Written out
    /// rather than `realpath(3)`, which umockdev's preload library breaks.
    static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<16 {
            var st = stat()
            guard lstat(current, &st) == 0, st.st_mode & S_IFMT == S_IFLNK, let target = PosixFile.linkTarget(current) else { break }
            if target.hasPrefix("/") {
                current = target
            } else {
                let dir = current.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                current = dir + "/" + target
            }
            current = PosixFile.normalize(current)
        }
        return current
    }

    /// Holders of `flock`/`fcntl` locks on the inode, from `/proc/locks` lines such as
    /// `1: FLOCK  ADVISORY  WRITE 4242 00:05:123 0 EOF` (device major:minor in hex, inode).
    static func lockers(in text: String, device: dev_t, inode: ino_t) -> [Int32] {
        let want = String(major(device), radix: 16) + ":" + String(minor(device), radix: 16) + ":" + String(inode)
        var out: [Int32] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            // "1:" TYPE ADVISORY|MANDATORY READ|WRITE PID DEV:INODE START END; "->" marks waiters.
            guard f.count >= 6, f[1] != "->", let pid = Int32(f[4]) else { continue }
            let id = f[5].lowercased()
            // Major and minor may be printed with leading zeros.
            let parts = id.split(separator: ":")
            guard parts.count == 3 else { continue }
            let normal = parts[0...1].map { String(Int($0, radix: 16) ?? -1, radix: 16) }.joined(separator: ":") + ":" + parts[2]
            if normal == want { out.append(pid) }
        }
        return out
    }

    /// Owners of the port's UUCP lock file (`LCK..ttyUSB2`; `LCK..pts_5` for `/dev/pts/5`),
    /// whose content is the owner's pid in ASCII (or, from old programs, a binary int), when
    /// that process is still alive.
    static func lockFileOwners(of path: String, in dirs: [String], proc: String) -> [Int32] {
        var name = path.hasPrefix("/dev/") ? String(path.dropFirst(5)) : (path.split(separator: "/").last.map(String.init) ?? path)
        name = name.replacingOccurrences(of: "/", with: "_")
        var out: [Int32] = []
        for dir in dirs {
            guard let bytes = PosixFile.read("\(dir)/LCK..\(name)", limit: 1 << 16) else { continue }
            var pid: Int32?
            let text = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            if let p = Int32(text) {
                pid = p
            } else if bytes.count == 4 {
                pid = bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
            }
            if let pid, pid > 0, access("\(proc)/\(pid)", F_OK) == 0, !out.contains(pid) { out.append(pid) }
        }
        return out
    }

    /// glibc's `major()` and `minor()` (macros, not imported): Linux's 64-bit `dev_t` layout.
    static func major(_ d: dev_t) -> UInt64 { UInt64((d >> 8) & 0xFFF) | UInt64((d >> 32) & ~0xFFF) }
    static func minor(_ d: dev_t) -> UInt64 { UInt64(d & 0xFF) | UInt64((d >> 12) & ~0xFF) }

    static func name(of pid: Int32, proc: String) -> String {
        guard let comm = readSmallFile("\(proc)/\(pid)/comm")?.trimmingSpaces, !comm.isEmpty else { return "a program" }
        return TerminalText.escape(comm, limit: 32)
    }

    // MARK: - Reading /proc

    /// The entries of `dir` whose names are numbers (process ids, descriptor numbers).
    static func numericEntries(_ dir: String) -> [Int32] {
        (PosixFile.list(dir) ?? []).compactMap { name in name.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? Int32(name) : nil }
    }

    /// A small text file (files under /proc report no size).
    static func readSmallFile(_ path: String) -> String? {
        PosixFile.read(path, limit: 1 << 16).map { String(decoding: $0, as: UTF8.self) }
    }
}
