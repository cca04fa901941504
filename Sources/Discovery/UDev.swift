import CUDev
import Glibc
import TMDiagCore

/// A libudev context (`udev_new`). Owns the C handle; nothing it hands out holds a C pointer.
/// Not Sendable: one scan, one thread.
final class UDevContext {
    private let handle: OpaquePointer
    /// One hwdb for the whole scan: `udev_hwdb_new` maps hwdb.bin, too costly once per device.
    private var hwdb: OpaquePointer?

    /// Wraps `udev_new`.
    init() throws(TMDiagError) {
        guard let h = udev_new() else {
            throw TMDiagError("discovery: udev_new failed (errno \(errno)); is /sys mounted?", status: .unavailable)
        }
        handle = h
    }

    deinit {
        if let hwdb { udev_hwdb_unref(hwdb) }
        udev_unref(handle)
    }

    /// Wraps `udev_enumerate_new` + `udev_enumerate_add_match_subsystem` + `udev_enumerate_scan_devices`,
    /// then `udev_device_new_from_syspath` for each entry; `body` sees each device once.
    /// `keep` sees each syspath first, so that devices nobody needs are never created: under
    /// umockdev and on busy systems, creating a udev device costs several sysfs reads.
    func forEachDevice(subsystems: [String], keep: (String) -> Bool = { _ in true },
                       _ body: (UDevDevice) -> Void) throws(TMDiagError) {
        guard let e = udev_enumerate_new(handle) else {
            throw TMDiagError("discovery: udev_enumerate_new failed (errno \(errno))", status: .unavailable)
        }
        defer { udev_enumerate_unref(e) }
        for s in subsystems { udev_enumerate_add_match_subsystem(e, s) }
        let rc = udev_enumerate_scan_devices(e)
        if rc < 0 {
            throw TMDiagError("discovery: udev_enumerate_scan_devices failed (errno \(-rc))", status: .unavailable)
        }
        var entry = udev_enumerate_get_list_entry(e)
        while let en = entry {
            if let name = udev_list_entry_get_name(en), keep(String(cString: name)),
               let dev = udev_device_new_from_syspath(handle, name) {
                body(UDevDevice(dev))
                udev_device_unref(dev)
            }
            entry = udev_list_entry_get_next(en)
        }
    }

    /// Wraps `udev_device_new_from_syspath` for one known device (symlinks such as
    /// `/sys/bus/usb/devices/1-2` are resolved by libudev); `body` is not called when it is gone.
    func device(syspath: String, _ body: (UDevDevice) -> Void) {
        guard let dev = udev_device_new_from_syspath(handle, syspath) else { return }
        body(UDevDevice(dev))
        udev_device_unref(dev)
    }

    /// Wraps `udev_hwdb_new` + `udev_hwdb_get_properties_list_entry`: the hwdb's properties for a modalias.
    func hwdbProperties(modalias: String) -> [String: String] {
        if hwdb == nil { hwdb = udev_hwdb_new(handle) }
        guard let hwdb else { return [:] }
        var out: [String: String] = [:]
        var entry = udev_hwdb_get_properties_list_entry(hwdb, modalias, 0)
        while let en = entry {
            if let n = udev_list_entry_get_name(en), let v = udev_list_entry_get_value(en) {
                out[String(cString: n)] = String(cString: v)
            }
            entry = udev_list_entry_get_next(en)
        }
        return out
    }
}

/// A borrowed `struct udev_device *`, valid only inside `UDevContext.forEachDevice`'s body;
/// internal so that it cannot outlive its owner outside this module.
struct UDevDevice {
    private let dev: OpaquePointer

    init(_ dev: OpaquePointer) { self.dev = dev }

    /// `udev_device_get_syspath`.
    var syspath: String { udev_device_get_syspath(dev).map { String(cString: $0) } ?? "" }
    /// `udev_device_get_sysname`.
    var sysname: String { udev_device_get_sysname(dev).map { String(cString: $0) } ?? "" }
    /// `udev_device_get_subsystem`.
    var subsystem: String? { udev_device_get_subsystem(dev).map { String(cString: $0) } }
    /// `udev_device_get_devtype`.
    var devtype: String? { udev_device_get_devtype(dev).map { String(cString: $0) } }
    /// `udev_device_get_driver`.
    var driver: String? { udev_device_get_driver(dev).map { String(cString: $0) } }
    /// `udev_device_get_devnode`.
    var devnode: String? { udev_device_get_devnode(dev).map { String(cString: $0) } }

    /// `udev_device_get_parent_with_subsystem_devtype`: the nearest ancestor on that subsystem.
    /// The parent is owned by this device, so it is as borrowed as this one.
    func parent(subsystem: String) -> UDevDevice? {
        udev_device_get_parent_with_subsystem_devtype(dev, subsystem, nil).map(UDevDevice.init)
    }

    /// `udev_device_get_sysattr_value`, decoded without losing invalid bytes.
    func attribute(_ name: String) -> String? {
        udev_device_get_sysattr_value(dev, name).map { DeviceString.decode($0) }
    }

    /// `udev_device_get_property_value`.
    func property(_ name: String) -> String? {
        udev_device_get_property_value(dev, name).map { DeviceString.decode($0) }
    }

    /// `udev_device_get_properties_list_entry`, keeping only keys with `prefix`.
    func properties(prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        var entry = udev_device_get_properties_list_entry(dev)
        while let en = entry {
            if let n = udev_list_entry_get_name(en) {
                let key = String(cString: n)
                if key.hasPrefix(prefix) {
                    out[key] = udev_list_entry_get_value(en).map { String(cString: $0) } ?? ""
                }
            }
            entry = udev_list_entry_get_next(en)
        }
        return out
    }

}

/// Strings that came from a device: decoded byte for byte (invalid UTF-8 kept visible as `\xNN`),
/// trailing newline and spaces dropped, cut at a sane length (a USB string descriptor holds at
/// most 126 characters, so anything near `limit` is already a lie).
enum DeviceString {
    static let limit = 1024

    static func decode(_ p: UnsafePointer<CChar>) -> String {
        let n = strlen(p)
        return p.withMemoryRebound(to: UInt8.self, capacity: n) { bytes in
            clean(UnsafeBufferPointer(start: bytes, count: n))
        }
    }

    static func clean(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var end = raw.count
        while end > 0, [0x0A, 0x0D, 0x20, 0x00].contains(raw[end - 1]) { end -= 1 }
        let cut = min(end, limit)
        var s = TerminalText.decode(raw[0..<cut])
        if end > limit { s += "…(\(end) bytes)" }
        return s
    }
}
