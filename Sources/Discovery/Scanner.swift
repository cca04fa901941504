import TMDiagCore

/// What a scan found, and what it looked at (said when nothing is found).
public struct DiscoveryResult: Sendable {
    public var devices: [USBDevice]
    /// e.g. "udev: 3 USB devices, 9 interfaces, 6 ports; libusb: not needed".
    public var lookedAt: String
    public init(devices: [USBDevice], lookedAt: String) {
        self.devices = devices
        self.lookedAt = lookedAt
    }
}

/// Enumerates USB devices, their interfaces and the ports under them through libudev, and fills
/// gaps from libusb; then PCI modems through the kernel's wwan class (`WWANScan`), listed after
/// the USB devices. Kinds are left to `Classifier` (which knows the profiles).
public enum Discovery {
    public static func scan() throws(TMDiagError) -> DiscoveryResult {
        var raw = RawScan()
        let udev = try UDevContext()
        if let names = PosixFile.list("/sys/bus/usb/devices") {
            // The kernel's own list of USB devices, read from sysfs; names from the udev hwdb,
            // ports through libudev (their udev properties carry the port-type hints). Interfaces
            // come from each device's descriptors and ports from its interfaces' folders, so
            // nothing that is not USB (virtual consoles, platform serial ports) is looked at.
            for name in names where !name.contains(":") { raw.takeSysfsDevice(name: name) }
            for (ifacePath, i) in raw.interfaces where RawScan.mayHavePorts(i.iface) {
                raw.takePorts(under: ifacePath, udev: udev)
            }
            raw.resolvePorts()
        } else {
            try enumerate(udev, into: &raw)
        }
        var result = finish(raw, udev: udev)
        var wwan = WWANScan()
        try wwan.scan(udev)
        result.devices += wwan.modems(names: udev)
        result.lookedAt += "; " + wwan.summary
        return result
    }

    /// Without a listable /sys/bus/usb/devices: libudev's enumerator over usb, tty, usbmisc, net.
    static func enumerate(_ udev: UDevContext, into raw: inout RawScan) throws(TMDiagError) {
        try udev.forEachDevice(subsystems: ["usb"], keep: { !($0.split(separator: "/").last?.contains(":") ?? true) }) { d in raw.take(d) }
        let deviceSyspaths = Set(raw.devices.keys)
        try udev.forEachDevice(subsystems: ["tty", "usbmisc", "net"], keep: { path in
            var p = Substring(path)
            while let slash = p.lastIndex(of: "/") {
                p = p[..<slash]
                if deviceSyspaths.contains(String(p)) { return true }
            }
            return false
        }) { d in raw.take(d) }
        raw.resolvePorts()
    }

    static func finish(_ raw: RawScan, udev: UDevContext) -> DiscoveryResult {
        var names = USBNames()
        var devices: [USBDevice] = []
        let interfacesByDevice = Dictionary(grouping: raw.interfaces.values, by: \.deviceSyspath)
        let portsByDevice = Dictionary(grouping: raw.ports, by: \.deviceSyspath)
        for (syspath, dev) in raw.devices {
            var d = dev
            d.interfaces = (interfacesByDevice[syspath] ?? []).map(\.iface).sorted { $0.number < $1.number }
            d.ports = (portsByDevice[syspath] ?? [])
                .map { p in
                    var port = p.port
                    let iface = raw.interfaces[p.interfaceSyspath]
                    if let i = iface { port.interface = i.iface.number }
                    if port.kind == .unknown, let k = PortHints.kind(fromDriverOf: iface?.iface, subsystem: p.subsystem) {
                        port.kind = k
                        port.kindSource = "driver"
                    } else if port.kind == .unknown, let hint = PortHints.kind(fromUdev: p.hints) {
                        port.kind = hint
                        port.kindSource = "udev"
                    } else if port.kind == .unknown, let k = PortHints.kind(fromClassOf: iface?.iface, subsystem: p.subsystem, node: port.path) {
                        port.kind = k
                        port.kindSource = "class"
                    }
                    return port
                }
                .sorted { ($0.interface, $0.path) < ($1.interface, $1.path) }
            let hw = raw.hwdb[syspath] ?? [:]
            var lookup = hw
            if hw["ID_VENDOR_FROM_DATABASE"] == nil || hw["ID_MODEL_FROM_DATABASE"] == nil {
                let modalias = "usb:v\(d.vendorId.uppercased())p\(d.productId.uppercased())*"
                lookup.merge(udev.hwdbProperties(modalias: modalias)) { a, _ in a }
            }
            (d.vendor, d.model) = names.names(vendorId: d.vendorId, productId: d.productId, hwdb: lookup)
            d.mtpTagged = PhoneInterfaceNames.mtpTagged(d, syspath: syspath, hwdb: lookup, udev: udev)
            devices.append(d)
        }

        // libusb only where udev/sysfs left a gap: no interfaces listed, or no strings at all.
        // The kernel reads a device's strings when it enumerates it, so sysfs lacks them only when
        // the device has none, unless its descriptors say otherwise; likewise for interfaces.
        let needStrings = Set(devices.filter { $0.manufacturer == nil && $0.product == nil && !$0.isRootHub
            && raw.declaresStrings[$0.busPath] != false }.map(\.busPath))
        let needInterfaces = devices.contains { $0.interfaces.isEmpty && !$0.isRootHub && raw.hasDescriptors[$0.busPath] != true }
        var libusbNote = "not needed"
        if needInterfaces || !needStrings.isEmpty {
            if let usb = LibUSBContext() {
                let found = usb.devices(readStringsFor: needStrings)
                libusbNote = "\(found.count) devices"
                for i in devices.indices {
                    guard let u = found[devices[i].busPath] else { continue }
                    if devices[i].interfaces.isEmpty { devices[i].interfaces = u.interfaces }
                    devices[i].manufacturer = devices[i].manufacturer ?? u.strings.manufacturer
                    devices[i].product = devices[i].product ?? u.strings.product
                    devices[i].serial = devices[i].serial ?? u.strings.serial
                    devices[i].speedMbps = devices[i].speedMbps ?? u.speedMbps
                    if devices[i].usbVersion == nil, u.bcdUSB != 0 {
                        devices[i].usbVersion = "\(u.bcdUSB >> 8).\(hex2(UInt8(u.bcdUSB & 0xFF)))"
                    }
                }
            } else {
                libusbNote = "unavailable"
            }
        }
        // Keys worked out once, not once per comparison.
        devices = devices.map { (BusPath.numbers($0.busPath), $0) }
            .sorted { $0.0.lexicographicallyPrecedes($1.0) }
            .map(\.1)
        let lookedAt = "udev (usb, tty, usbmisc, net): \(raw.devices.count) USB devices, "
            + "\(raw.interfaces.count) interfaces, \(raw.ports.count) ports; libusb: \(libusbNote)"
        return DiscoveryResult(devices: devices, lookedAt: lookedAt)
    }
}

extension USBDevice {
    /// Root hubs (`usb1`) are the host controller, not a plugged-in device.
    public var isRootHub: Bool { busPath.hasPrefix("usb") }
}

/// Orders `1-2` < `1-10` < `2-1.4` by their numbers, not their text.
public enum BusPath {
    public static func less(_ a: String, _ b: String) -> Bool {
        let na = numbers(a), nb = numbers(b)
        return na.lexicographicallyPrecedes(nb)
    }
    static func numbers(_ s: String) -> [Int] {
        let base = s.hasPrefix("usb") ? "\(s.dropFirst(3))-0" : s
        return base.split(whereSeparator: { $0 == "-" || $0 == "." || $0 == ":" }).map { Int($0) ?? Int.max }
    }
}

/// The raw pieces of one udev scan, keyed by syspath.
struct RawScan {
    struct Interface {
        var deviceSyspath: String
        var iface: USBInterface
    }
    struct Port {
        var deviceSyspath: String
        var interfaceSyspath: String
        var subsystem: String
        var port: DevicePort
        var hints: [String: String]
    }

    var devices: [String: USBDevice] = [:]
    var hwdb: [String: [String: String]] = [:]
    var interfaces: [String: Interface] = [:]
    var ports: [Port] = []
    /// By bus path: whether the device descriptor names any string, and whether it was read.
    var declaresStrings: [String: Bool] = [:]
    var hasDescriptors: [String: Bool] = [:]

    mutating func take(_ d: UDevDevice) {
        switch (d.subsystem, d.devtype) {
        case ("usb", "usb_device"):
            takeDevice(d)
        case ("tty", _), ("usbmisc", _), ("net", _):
            // Only ports that hang under a USB interface; the nearest usb_device must own them.
            // Resolved against the scanned interfaces once the scan is done (`resolvePorts`).
            let subsystem = d.subsystem ?? ""
            let path: String
            if subsystem == "net" {
                path = d.property("INTERFACE") ?? d.sysname
            } else {
                path = d.devnode ?? d.property("DEVNAME") ?? "/dev/" + d.sysname
            }
            let kind: PortKind = subsystem == "net" ? .net : .unknown
            ports.append(Port(deviceSyspath: "", interfaceSyspath: d.syspath, subsystem: subsystem,
                              port: DevicePort(path: path, kind: kind, interface: -1,
                                               kindSource: subsystem == "net" ? "class" : nil),
                              hints: d.properties(prefix: "ID_MM_")))
        default:
            return
        }
    }

    /// Interfaces of these classes never carry a serial, control or network port (audio, HID,
    /// printer, storage, hub, smart card, security, video, audio/video, diagnostic,
    /// application-specific): their folders are not read.
    static func mayHavePorts(_ i: USBInterface) -> Bool {
        !["01", "03", "07", "08", "09", "0b", "0d", "0e", "10", "dc", "fe"].contains(i.class)
    }

    /// The ports in one interface's folder: `ttyUSBn/tty/ttyUSBn` (usb-serial), `tty/ttyACMn`
    /// (CDC ACM), `usbmisc/cdc-wdmN` (QMI, MBIM), `net/<ifname>`.
    mutating func takePorts(under iface: String, udev: UDevContext) {
        guard let entries = PosixFile.list(iface) else { return }
        for e in entries {
            switch e {
            case "tty", "usbmisc":
                for child in PosixFile.list(iface + "/" + e) ?? [] {
                    udev.device(syspath: "\(iface)/\(e)/\(child)") { take($0) }
                }
            case "net":
                for ifname in PosixFile.list(iface + "/net") ?? [] {
                    ports.append(Port(deviceSyspath: "", interfaceSyspath: "\(iface)/net/\(ifname)", subsystem: "net",
                                      port: DevicePort(path: ifname, kind: .net, interface: -1, kindSource: "class"), hints: [:]))
                }
            default:
                // usb-serial: a ttyUSBn (or ttyHSn ...) folder holding tty/ttyUSBn.
                if e.hasPrefix("tty") {
                    let node = "\(iface)/\(e)/tty/\(e)"
                    udev.device(syspath: node) { take($0) }
                }
            }
        }
    }

    /// Hangs each port under the nearest scanned interface above it (the longest syspath prefix),
    /// and that interface's device; ports under no USB interface (virtual consoles, ...) are dropped.
    mutating func resolvePorts() {
        ports = ports.compactMap { p in
            var path = Substring(p.interfaceSyspath)
            while let slash = path.lastIndex(of: "/") {
                path = path[..<slash]
                if let iface = interfaces[String(path)] {
                    var p = p
                    p.interfaceSyspath = String(path)
                    p.deviceSyspath = iface.deviceSyspath
                    return p
                }
                if devices[String(path)] != nil { return nil }   // under a device but no interface
            }
            return nil
        }
    }

    private mutating func takeDevice(_ d: UDevDevice) {
        let hw = d.properties(prefix: "ID_").filter { $0.key.hasSuffix("_FROM_DATABASE") }
        takeDevice(syspath: d.syspath, sysname: d.sysname, driver: d.driver, hwdb: hw,
                   ids: (d.property("ID_VENDOR_ID"), d.property("ID_MODEL_ID")), attribute: d.attribute)
    }

    /// A USB device read straight from its sysfs folder (`/sys/bus/usb/devices/<name>`), as
    /// lsusb and libusb do: a udev device object would cost a path resolution and a database
    /// read on top, for nothing discovery needs (names come from the hwdb, ports from udev).
    mutating func takeSysfsDevice(name: String) {
        let link = "/sys/bus/usb/devices/" + name
        guard let target = PosixFile.linkTarget(link) else { return }
        let syspath = PosixFile.normalize(target.hasPrefix("/") ? target : "/sys/bus/usb/devices/" + target)
        takeDevice(syspath: syspath, sysname: name, driver: SysfsFile.linkName(syspath + "/driver"), hwdb: [:],
                   ids: (nil, nil)) { attr in
            PosixFile.read(syspath + "/" + attr, limit: 64 * 1024).map { bytes in
                bytes.withUnsafeBufferPointer { DeviceString.clean($0) }
            }
        }
    }

    private mutating func takeDevice(syspath: String, sysname: String, driver: String?, hwdb hw: [String: String],
                                     ids: (String?, String?), attribute: (String) -> String?) {
        // The descriptors carry the ids and the interfaces: one read instead of one per attribute.
        let parsed = PosixFile.read(syspath + "/descriptors", limit: 64 * 1024).flatMap(USBDescriptors.init)
        let vid = parsed.map { hex4($0.vendorId) } ?? Self.hex4Attr(ids.0 ?? attribute("idVendor"))
        let pid = parsed.map { hex4($0.productId) } ?? Self.hex4Attr(ids.1 ?? attribute("idProduct"))
        let speed = attribute("speed").flatMap { Double($0.trimmingSpaces) }
        var dev = USBDevice(id: sysname, vendorId: vid, productId: pid,
                            manufacturer: nonEmpty(attribute("manufacturer")),
                            product: nonEmpty(attribute("product")),
                            serial: nonEmpty(attribute("serial")),
                            busPath: sysname, speedMbps: speed, usbVersion: nil, driver: driver)
        if dev.vendorId.isEmpty { dev.vendorId = "0000" }
        if dev.productId.isEmpty { dev.productId = "0000" }
        // Interfaces, ids and USB version from the descriptors the kernel keeps (one read), as
        // lsusb and libusb do; each interface's driver from its sysfs link.
        declaresStrings[sysname] = parsed?.hasStrings
        hasDescriptors[sysname] = parsed != nil
        if let parsed {
            dev.usbVersion = "\(parsed.bcdUSB >> 8).\(hex2(UInt8(parsed.bcdUSB & 0xFF)))"
            // The active configuration matters only for the few devices that have several.
            let active = parsed.configurations.count == 1 ? parsed.configurations[0].value
                : attribute("bConfigurationValue").flatMap { Int($0.trimmingSpaces) } ?? parsed.configurations.first?.value ?? 1
            let config = parsed.configurations.first { $0.value == active } ?? parsed.configurations.first
            for i in config?.interfaces ?? [] {
                let ifacePath = "\(syspath)/\(sysname):\(config!.value).\(i.number)"
                var iface = i
                iface.driver = SysfsFile.linkName(ifacePath + "/driver")
                if PhoneInterfaceNames.worthReading(iface) { iface.name = PhoneInterfaceNames.read(ifacePath) }
                interfaces[ifacePath] = Interface(deviceSyspath: syspath, iface: iface)
            }
        }
        devices[syspath] = dev
        hwdb[syspath] = hw
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.trimmingSpaces.isEmpty else { return nil }
        return s
    }

    static func hex4Attr(_ s: String?) -> String {
        guard let s = s?.trimmingSpaces.lowercased(), s.count <= 4, let v = UInt16(s, radix: 16) else { return "" }
        return hex4(v)
    }
}
