import Glibc
import TMDiagCore

/// The device and configuration descriptors as the kernel keeps them in sysfs
/// (`/sys/bus/usb/devices/X/descriptors`): the 18-byte device descriptor, then each
/// configuration with its interface and endpoint descriptors (USB 2.0 §9.6).
struct USBDescriptors {
    struct Configuration {
        var value: Int
        var interfaces: [USBInterface]
    }

    var vendorId: UInt16
    var productId: UInt16
    var bcdUSB: UInt16
    /// Whether the device declares manufacturer, product or serial strings at all.
    var hasStrings: Bool
    var configurations: [Configuration]

    /// Nil when the bytes are not a device descriptor; stops quietly at a truncated or
    /// malformed descriptor (a hostile device may lie in any length field).
    init?(_ b: [UInt8]) {
        guard b.count >= 18, b[0] == 18, b[1] == 1 else { return nil }
        bcdUSB = UInt16(b[2]) | UInt16(b[3]) << 8
        vendorId = UInt16(b[8]) | UInt16(b[9]) << 8
        productId = UInt16(b[10]) | UInt16(b[11]) << 8
        hasStrings = b[14] != 0 || b[15] != 0 || b[16] != 0
        configurations = []
        var i = 18
        var current: Configuration?
        while i + 2 <= b.count {
            let length = Int(b[i]), type = b[i + 1]
            guard length >= 2, i + length <= b.count else { break }
            switch type {
            case 2 where length >= 9:        // configuration
                if let c = current { configurations.append(c) }
                current = Configuration(value: Int(b[i + 5]), interfaces: [])
            case 4 where length >= 9:        // interface; alternate setting 0 only
                if b[i + 3] == 0, current != nil {
                    let number = Int(b[i + 2])
                    if !current!.interfaces.contains(where: { $0.number == number }) {
                        current!.interfaces.append(USBInterface(number: number, class: hex2(b[i + 5]), subclass: hex2(b[i + 6]),
                                                                protocol: hex2(b[i + 7]), driver: nil))
                    }
                }
            default:
                break
            }
            i += length
        }
        if let c = current { configurations.append(c) }
    }
}

/// Plain reads of sysfs files and links, for what libudev has no call for (binary attributes).
enum SysfsFile {
    /// Wraps `open(2)` + `read(2)`: the whole file, up to `limit` bytes.
    static func read(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 4096)
        while out.count < limit {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    /// Wraps `opendir(3)`/`readdir(3)`: the entries of a directory, without `.` and `..`.
    static func list(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var out: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    /// Wraps `readlink(2)`: where a link points, as written in the link.
    static func linkTarget(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `/sys/bus/usb/devices/../../../devices/x` → `/sys/devices/x` (sysfs links are relative).
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for p in path.split(separator: "/") {
            if p == "." || p.isEmpty { continue }
            if p == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(p)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Wraps `readlink(2)`: the last path component a link points to (a driver's name).
    static func linkName(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink(path, &buf, buf.count - 1)
        guard n > 0 else { return nil }
        let target = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.split(separator: "/").last.map(String.init)
    }
}
