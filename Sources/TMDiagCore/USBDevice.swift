/// What kind of thing a USB device is, as far as mobile support cares.
public enum DeviceKind: String, Codable, Sendable, CaseIterable, Comparable {
    case modem, handset, hotspot, other

    /// Modems first: they are what `report` probes, so tables list them first.
    private var rank: Int {
        switch self { case .modem: 0; case .hotspot: 1; case .handset: 2; case .other: 3 }
    }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// Which bus a device sits on: USB devices, or PCI(e) modems that the kernel's wwan class exposes.
public enum Bus: String, Codable, Sendable, CaseIterable {
    case usb, pci
}

/// What a port that hangs under an interface is for.
public enum PortKind: String, Codable, Sendable, CaseIterable {
    case at, modem, gps, diag, qmi, mbim, net, adb, unknown
}

public struct USBInterface: Codable, Sendable, Hashable {
    public var number: Int
    /// Interface class, subclass and protocol as two-digit lower-case hex, as lsusb prints them.
    public var `class`: String
    public var subclass: String
    public var `protocol`: String
    public var driver: String?
    /// The interface's own string (`MTP`, `PTP`, `ADB Interface`), read only for still-image
    /// and vendor-specific interfaces: it is what tells a phone's MTP from a camera's PTP.
    public var name: String?

    public init(number: Int, class: String, subclass: String, protocol: String, driver: String?, name: String? = nil) {
        self.number = number
        self.class = `class`
        self.subclass = subclass
        self.protocol = `protocol`
        self.driver = driver
        self.name = name
    }

    /// `ff/42/01` style triple used by classification rules and profiles.
    public var triple: String { "\(self.class)/\(subclass)/\(self.protocol)" }
}

public struct DevicePort: Codable, Sendable, Hashable {
    /// `/dev/ttyUSB2`, `/dev/cdc-wdm0`, `/dev/wwan0mbim0`, or a network interface name such as `wwan0`.
    public var path: String
    public var kind: PortKind
    /// The USB interface number; -1 for a PCI modem's wwan port, which has no interface.
    public var interface: Int
    /// Where the kind came from: `profile`, `driver` (qmi_wwan, cdc_mbim), `udev`
    /// (ID_MM_PORT_TYPE_* hint), `class`, or `wwan` (the kernel's wwan port type).
    public var kindSource: String?

    public init(path: String, kind: PortKind, interface: Int, kindSource: String? = nil) {
        self.path = path
        self.kind = kind
        self.interface = interface
        self.kindSource = kindSource
    }
}

/// One device as discovery sees it: a USB device, or a PCI modem with wwan ports (the name
/// stays from when only USB was scanned). Strings that came from the device are kept raw here;
/// renderers escape them (see `TerminalText`).
public struct USBDevice: Codable, Sendable, Hashable {
    /// Stable bus-port path, e.g. `1-2` or `2-1.4`, or a PCI address `0000:03:00.0`: the same
    /// socket gives the same id.
    public var id: String
    public var kind: DeviceKind
    public var bus: Bus
    /// Lower-case four-digit hex, no `0x`: USB vendor/product ids, or a PCI device's vendor
    /// and device ids.
    public var vendorId: String
    public var productId: String
    /// A PCI device's subsystem vendor and device ids (the card maker's, e.g. Dell's `1028`);
    /// nil on USB.
    public var subsystemVendorId: String?
    public var subsystemProductId: String?
    /// Names from the udev hwdb or usb.ids (or the profile), not from the device.
    public var vendor: String?
    public var model: String?
    /// Strings the device itself reports (sysfs attributes, libusb string descriptors).
    public var manufacturer: String?
    public var product: String?
    public var serial: String?
    /// `1-2` on USB; the PCI address (`0000:03:00.0`) on PCI.
    public var busPath: String
    public var speedMbps: Double?
    public var usbVersion: String?
    public var driver: String?
    /// The matching device profile's id (`quectel-ec25`).
    public var profile: String?
    /// The profile's display name ("Quectel EC25"), when a profile matched.
    public var name: String?
    /// Why the kind was chosen, in a few words ("profile", "option serial driver", ...).
    public var kindReason: String?
    public var interfaces: [USBInterface]
    public var ports: [DevicePort]
    /// True when udev says the device speaks MTP (`ID_MTP_DEVICE=1` or `ID_MEDIA_PLAYER=1`, set
    /// by libmtp's hardware database and its udev probe): evidence of a phone whose MTP
    /// interface is vendor-specific rather than class 06. Nil when udev said nothing.
    public var mtpTagged: Bool?

    public init(id: String, kind: DeviceKind = .other, bus: Bus = .usb, vendorId: String, productId: String,
                subsystemVendorId: String? = nil, subsystemProductId: String? = nil, vendor: String? = nil, model: String? = nil, manufacturer: String? = nil,
                product: String? = nil, serial: String? = nil, busPath: String,
                speedMbps: Double? = nil, usbVersion: String? = nil, driver: String? = nil,
                profile: String? = nil, kindReason: String? = nil,
                interfaces: [USBInterface] = [], ports: [DevicePort] = []) {
        self.id = id
        self.kind = kind
        self.bus = bus
        self.vendorId = vendorId
        self.productId = productId
        self.subsystemVendorId = subsystemVendorId
        self.subsystemProductId = subsystemProductId
        self.vendor = vendor
        self.model = model
        self.manufacturer = manufacturer
        self.product = product
        self.serial = serial
        self.busPath = busPath
        self.speedMbps = speedMbps
        self.usbVersion = usbVersion
        self.driver = driver
        self.profile = profile
        self.kindReason = kindReason
        self.interfaces = interfaces
        self.ports = ports
    }

    /// The first port of kind `at`, then `modem` (a PPP port also answers AT).
    public var atPort: DevicePort? {
        ports.first { $0.kind == .at && $0.path.hasPrefix("/dev/tty") } ?? ports.first { $0.kind == .at }
            ?? ports.first { $0.kind == .modem }
    }

    /// A display name: the profile or database model, else what the device says.
    public var displayName: String {
        if let name { return name }
        let maker = vendor ?? manufacturer
        let name = model ?? product
        switch (maker, name) {
        case let (m?, n?): return n.lowercased().hasPrefix(m.lowercased()) ? n : "\(m) \(n)"
        case let (m?, nil): return m
        case let (nil, n?): return n
        default: return "\(bus == .pci ? "PCI" : "USB") device \(vendorId):\(productId)"
        }
    }

    // Decoding by hand only so that reports saved before PCI discovery (no `bus` key) read as
    // USB; encoding stays synthesized, so `bus` is always written.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(DeviceKind.self, forKey: .kind)
        bus = try c.decodeIfPresent(Bus.self, forKey: .bus) ?? .usb
        vendorId = try c.decode(String.self, forKey: .vendorId)
        productId = try c.decode(String.self, forKey: .productId)
        subsystemVendorId = try c.decodeIfPresent(String.self, forKey: .subsystemVendorId)
        subsystemProductId = try c.decodeIfPresent(String.self, forKey: .subsystemProductId)
        vendor = try c.decodeIfPresent(String.self, forKey: .vendor)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        manufacturer = try c.decodeIfPresent(String.self, forKey: .manufacturer)
        product = try c.decodeIfPresent(String.self, forKey: .product)
        serial = try c.decodeIfPresent(String.self, forKey: .serial)
        busPath = try c.decode(String.self, forKey: .busPath)
        speedMbps = try c.decodeIfPresent(Double.self, forKey: .speedMbps)
        usbVersion = try c.decodeIfPresent(String.self, forKey: .usbVersion)
        driver = try c.decodeIfPresent(String.self, forKey: .driver)
        profile = try c.decodeIfPresent(String.self, forKey: .profile)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        kindReason = try c.decodeIfPresent(String.self, forKey: .kindReason)
        interfaces = try c.decode([USBInterface].self, forKey: .interfaces)
        ports = try c.decode([DevicePort].self, forKey: .ports)
        mtpTagged = try c.decodeIfPresent(Bool.self, forKey: .mtpTagged)
    }
}
