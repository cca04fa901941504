import CLibUSB
import TMDiagCore

/// What libusb reads from a device's descriptors; used where sysfs/udev has nothing.
struct LibUSBDevice: Sendable {
    var busPath: String
    var vendorId: UInt16
    var productId: UInt16
    var bcdUSB: UInt16
    var speedMbps: Double?
    var interfaces: [USBInterface]
    var strings: (manufacturer: String?, product: String?, serial: String?)
}

/// A libusb session (`libusb_init`). Owns the context; hands out plain values.
final class LibUSBContext {
    private var ctx: OpaquePointer?

    /// Wraps `libusb_init`. Returns nil when libusb cannot start (no usbfs, no permission):
    /// libusb is only a fallback here, so that is not an error.
    init?() {
        var c: OpaquePointer?
        guard libusb_init(&c) == 0, let c else { return nil }
        ctx = c
    }

    deinit { libusb_exit(ctx) }

    /// Wraps `libusb_get_device_list`, `libusb_get_device_descriptor`, `libusb_get_bus_number`,
    /// `libusb_get_port_numbers`, `libusb_get_device_speed` and `libusb_get_active_config_descriptor`
    /// (falling back to `libusb_get_config_descriptor(0)`). `readStrings` also opens each wanted
    /// device for its string descriptors, which needs permission and may fail: best effort.
    func devices(readStringsFor wanted: Set<String> = []) -> [String: LibUSBDevice] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let n = libusb_get_device_list(ctx, &list)
        guard n > 0, let list else { return [:] }
        defer { libusb_free_device_list(list, 1) }
        var out: [String: LibUSBDevice] = [:]
        for i in 0..<Int(n) {
            guard let dev = list[i] else { continue }
            var desc = libusb_device_descriptor()
            guard libusb_get_device_descriptor(dev, &desc) == 0 else { continue }
            let path = busPath(dev)
            var d = LibUSBDevice(busPath: path, vendorId: desc.idVendor, productId: desc.idProduct,
                                 bcdUSB: desc.bcdUSB, speedMbps: speed(dev), interfaces: interfaces(dev),
                                 strings: (nil, nil, nil))
            if wanted.contains(path) {
                d.strings = strings(dev, desc)
            }
            out[path] = d
        }
        return out
    }

    /// `1-2`, `2-1.4`: the same form as the kernel's sysfs name.
    private func busPath(_ dev: OpaquePointer) -> String {
        let bus = libusb_get_bus_number(dev)
        var ports = [UInt8](repeating: 0, count: 8)
        let count = libusb_get_port_numbers(dev, &ports, Int32(ports.count))
        guard count > 0 else { return "usb\(bus)" }
        return "\(bus)-" + ports[0..<Int(count)].map(String.init).joined(separator: ".")
    }

    private func speed(_ dev: OpaquePointer) -> Double? {
        switch Int(libusb_get_device_speed(dev)) {
        case Int(LIBUSB_SPEED_LOW.rawValue): 1.5
        case Int(LIBUSB_SPEED_FULL.rawValue): 12
        case Int(LIBUSB_SPEED_HIGH.rawValue): 480
        case Int(LIBUSB_SPEED_SUPER.rawValue): 5000
        case Int(LIBUSB_SPEED_SUPER_PLUS.rawValue): 10000
        default: nil
        }
    }

    private func interfaces(_ dev: OpaquePointer) -> [USBInterface] {
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        if libusb_get_active_config_descriptor(dev, &config) != 0 || config == nil {
            guard libusb_get_config_descriptor(dev, 0, &config) == 0 else { return [] }
        }
        guard let config else { return [] }
        defer { libusb_free_config_descriptor(config) }
        var out: [USBInterface] = []
        for i in 0..<Int(config.pointee.bNumInterfaces) {
            let iface = config.pointee.interface[i]
            guard iface.num_altsetting > 0, let alt = iface.altsetting else { continue }
            let a = alt[0]
            out.append(USBInterface(number: Int(a.bInterfaceNumber), class: hex2(a.bInterfaceClass),
                                    subclass: hex2(a.bInterfaceSubClass), protocol: hex2(a.bInterfaceProtocol),
                                    driver: nil))
        }
        return out
    }

    /// Wraps `libusb_open` + `libusb_get_string_descriptor_ascii` + `libusb_close`.
    private func strings(_ dev: OpaquePointer, _ desc: libusb_device_descriptor) -> (String?, String?, String?) {
        var handle: OpaquePointer?
        guard libusb_open(dev, &handle) == 0, let handle else { return (nil, nil, nil) }
        defer { libusb_close(handle) }
        func read(_ index: UInt8) -> String? {
            guard index != 0 else { return nil }
            var buf = [UInt8](repeating: 0, count: 256)
            let n = libusb_get_string_descriptor_ascii(handle, index, &buf, Int32(buf.count))
            guard n > 0 else { return nil }
            return buf.withUnsafeBufferPointer { DeviceString.clean(UnsafeBufferPointer(rebasing: $0[0..<Int(n)])) }
        }
        return (read(desc.iManufacturer), read(desc.iProduct), read(desc.iSerialNumber))
    }
}

func hex2(_ v: UInt8) -> String { TerminalText.hex2(v).lowercased() }
func hex4(_ v: UInt16) -> String { hex2(UInt8(v >> 8)) + hex2(UInt8(v & 0xFF)) }
