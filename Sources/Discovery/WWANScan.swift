import TMDiagCore

/// PCI(e) modems, found through the kernel's wwan class (`/sys/class/wwan`): each `wwan_dev`
/// (`wwanN`) and its `wwan_port`s (`wwanNatM`, `wwanNmbimM`, ...) belong to the nearest `pci`
/// ancestor, which may sit several levels up (MHI modems: `0000:03:00.0/mhi0/wwan/wwan0`;
/// t7xx and iosm: `0000:58:00.0/wwan/wwan0`). That PCI device is what is listed, with its ids.
///
/// cdc-wdm also registers each USB control channel as a wwan port (CONFIG_WWAN); those have a
/// USB ancestor and are left to the USB scan, which lists them as `cdc-wdm`, so that every
/// channel is listed once (ModemManager ignores them the same way). A PCI device without a
/// wwan child is never looked at.
struct WWANScan {
    /// By the PCI device's syspath.
    private(set) var devices: [String: USBDevice] = [:]
    private(set) var portCount = 0
    /// wwan ports under a USB device (cdc-wdm channels registered twice), left out.
    private(set) var usbChannels = 0

    mutating func scan(_ udev: UDevContext) throws(TMDiagError) {
        try udev.forEachDevice(subsystems: ["wwan"]) { d in take(d) }
    }

    /// The PCI modems in bus order (PCI addresses are fixed-width hex, so text order is bus
    /// order), with hwdb names where udev's database had none, ports by name.
    func modems(names udev: UDevContext) -> [USBDevice] {
        devices.values.map { d in
            var d = d
            if d.vendor == nil || d.model == nil {
                let names = udev.hwdbProperties(modalias: "pci:v0000\(d.vendorId.uppercased())d0000\(d.productId.uppercased())*")
                d.vendor = d.vendor ?? names["ID_VENDOR_FROM_DATABASE"]
                d.model = d.model ?? names["ID_MODEL_FROM_DATABASE"]
            }
            d.ports.sort { $0.path < $1.path }
            return d
        }
        .sorted { $0.busPath < $1.busPath }
    }

    /// For "looked at ...": `wwan: 1 PCI modems, 3 ports`.
    var summary: String {
        "wwan: \(devices.count) PCI modems, \(portCount) ports"
            + (usbChannels > 0 ? " (\(usbChannels) under USB devices, listed as cdc-wdm)" : "")
    }

    private mutating func take(_ d: UDevDevice) {
        guard d.devtype == "wwan_dev" || d.devtype == "wwan_port" else { return }
        if d.parent(subsystem: "usb") != nil {
            if d.devtype == "wwan_port" { usbChannels += 1 }
            return
        }
        // Without a PCI ancestor (SoC modems behind rpmsg or a platform device) there are no
        // ids to name or match the modem by; those are left out for now.
        guard let pci = d.parent(subsystem: "pci") else { return }
        let key = pci.syspath
        var device = devices[key] ?? Self.device(pci)
        if d.devtype == "wwan_port" {
            device.ports.append(Self.port(d))
            portCount += 1
        }
        devices[key] = device
    }

    /// The PCI device's ids come as `0x1eac`; ours are four lower-case hex digits.
    private static func device(_ pci: UDevDevice) -> USBDevice {
        func id(_ attr: String) -> String? {
            guard var s = pci.attribute(attr)?.trimmingSpaces.lowercased() else { return nil }
            if s.hasPrefix("0x") { s.removeFirst(2) }
            guard s.count <= 4, let v = UInt16(s, radix: 16) else { return nil }
            return hex4(v)
        }
        let address = pci.sysname
        let names = pci.properties(prefix: "ID_").filter { $0.key.hasSuffix("_FROM_DATABASE") }
        return USBDevice(id: address, bus: .pci, vendorId: id("vendor") ?? "0000", productId: id("device") ?? "0000",
                         subsystemVendorId: id("subsystem_vendor"), subsystemProductId: id("subsystem_device"),
                         vendor: names["ID_VENDOR_FROM_DATABASE"], model: names["ID_MODEL_FROM_DATABASE"],
                         busPath: address, driver: pci.driver)
    }

    /// The kernel's `type` attribute names the protocol; Linux 5.13 had none, then the name tells.
    private static func port(_ d: UDevDevice) -> DevicePort {
        let type = d.attribute("type")?.trimmingSpaces ?? PortHints.wwanType(portName: d.sysname)
        let path = d.devnode ?? d.property("DEVNAME") ?? "/dev/" + d.sysname
        return DevicePort(path: path, kind: type.map(PortHints.kind(wwanType:)) ?? .unknown, interface: -1,
                          kindSource: type == nil ? nil : "wwan")
    }
}
