/// What kind of thing a USB device is, as far as mobile support cares.
public enum DeviceKind: String, Codable, Sendable, CaseIterable, Comparable {
    case modem, handset, hotspot, other

    /// Modems first: they are what `report` probes, so tables list them first.
    private var rank: Int {
        switch self { case .modem: 0; case .hotspot: 1; case .handset: 2; case .other: 3 }
    }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
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

    public init(number: Int, class: String, subclass: String, protocol: String, driver: String?) {
        self.number = number
        self.class = `class`
        self.subclass = subclass
        self.protocol = `protocol`
        self.driver = driver
    }

    /// `ff/42/01` style triple used by classification rules and profiles.
    public var triple: String { "\(self.class)/\(subclass)/\(self.protocol)" }
}

public struct DevicePort: Codable, Sendable, Hashable {
    /// `/dev/ttyUSB2`, `/dev/cdc-wdm0`, or a network interface name such as `wwan0`.
    public var path: String
    public var kind: PortKind
    public var interface: Int
    /// Where the kind came from: `profile`, `udev` (ID_MM_PORT_TYPE_* hint) or `class`.
    public var kindSource: String?

    public init(path: String, kind: PortKind, interface: Int, kindSource: String? = nil) {
        self.path = path
        self.kind = kind
        self.interface = interface
        self.kindSource = kindSource
    }
}

/// One USB device as discovery sees it. Strings that came from the device are kept raw here;
/// renderers escape them (see `TerminalText`).
public struct USBDevice: Codable, Sendable, Hashable {
    /// Stable bus-port path, e.g. `1-2` or `2-1.4`: the same socket gives the same id.
    public var id: String
    public var kind: DeviceKind
    /// Lower-case four-digit hex, no `0x`.
    public var vendorId: String
    public var productId: String
    /// Names from the udev hwdb or usb.ids (or the profile), not from the device.
    public var vendor: String?
    public var model: String?
    /// Strings the device itself reports (sysfs attributes, libusb string descriptors).
    public var manufacturer: String?
    public var product: String?
    public var serial: String?
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

    public init(id: String, kind: DeviceKind = .other, vendorId: String, productId: String,
                vendor: String? = nil, model: String? = nil, manufacturer: String? = nil,
                product: String? = nil, serial: String? = nil, busPath: String,
                speedMbps: Double? = nil, usbVersion: String? = nil, driver: String? = nil,
                profile: String? = nil, kindReason: String? = nil,
                interfaces: [USBInterface] = [], ports: [DevicePort] = []) {
        self.id = id
        self.kind = kind
        self.vendorId = vendorId
        self.productId = productId
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
        default: return "USB device \(vendorId):\(productId)"
        }
    }
}
