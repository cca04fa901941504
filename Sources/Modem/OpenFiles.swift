import Glibc
import TMDiagCore

/// Every process's open descriptors that name a file (`/proc/PID/fd`), and the kernel's table
/// of `flock`/`fcntl` locks (`/proc/locks`), read in one pass before anyone knows which ports
/// matter, so that the pass can run while discovery does: both are slow to read (the lock
/// table took 6 to 17 ms here, the descriptors a few ms). Descriptors are readable for one's
/// own processes, and for all as root (`TIOCEXCL` does not stop it); what cannot be read is
/// left out.
public struct OpenFiles: Sendable {
    struct Descriptor: Sendable {
        var pid: Int32
        /// The link's target: a path (`/dev/cdc-wdm0`); pipes and sockets are not kept.
        var target: String
        /// For a character device under /dev, its device number: another node with the same
        /// number (a udev symlink's target, a node made elsewhere) is the same port.
        var device: dev_t?
    }

    var descriptors: [Descriptor] = []
    /// `/proc/locks` as read, nil when it could not be.
    var locks: String?

    public static func scan(proc: String = "/proc") -> OpenFiles {
        var files = OpenFiles()
        files.locks = PortHolders.readSmallFile(proc + "/locks")
        for pid in PortHolders.numericEntries(proc) {
            let fdDir = "\(proc)/\(pid)/fd"
            for fd in PortHolders.numericEntries(fdDir) {
                let link = "\(fdDir)/\(fd)"
                guard let target = PosixFile.linkTarget(link), target.hasPrefix("/") else { continue }   // not pipe:[..], socket:[..]
                var device: dev_t?
                if target.hasPrefix("/dev/") {
                    var t = stat()
                    if stat(link, &t) == 0, t.st_mode & S_IFMT == S_IFCHR { device = t.st_rdev }
                }
                files.descriptors.append(Descriptor(pid: pid, target: target, device: device))
            }
        }
        return files
    }

    /// Processes with a descriptor on each port: its link names the port (by the path given or
    /// the path its symlinks lead to, e.g. from /dev/serial/by-id), or, for a character
    /// device, names any node under /dev with the same device number.
    func openers(of paths: [String]) -> [String: [Int32]] {
        var byName: [String: String] = [:]
        var byDevice: [dev_t: String] = [:]
        for path in paths {
            byName[path] = path
            byName[PortHolders.resolvingLinks(path)] = path
            var st = stat()
            if stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFCHR { byDevice[st.st_rdev] = path }
        }
        var out: [String: [Int32]] = [:]
        for d in descriptors {
            guard let port = byName[d.target] ?? d.device.flatMap({ byDevice[$0] }) else { continue }
            if out[port]?.contains(d.pid) != true { out[port, default: []].append(d.pid) }
        }
        return out
    }
}
