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

/// Sysfs links, for what libudev has no call for.
enum SysfsFile {
    /// Wraps `readlink(2)`: the last path component a link points to (a driver's name).
    static func linkName(_ path: String) -> String? {
        PosixFile.linkTarget(path)?.split(separator: "/").last.map(String.init)
    }
}

/// What an MBIM function tells the host in its class-specific descriptors.
public enum MBIMFunctionDescriptors {
    /// `bMaxOutstandingCommandMessages` of the MBIM Extended Functional Descriptor (MBIM 1.0
    /// §6.5; Linux `struct usb_cdc_mbim_extended_desc`: length 8, type 0x24 CS_INTERFACE,
    /// subtype 0x1C, bcdMBIMExtendedVersion, bMaxOutstandingCommandMessages, wMTU) of the
    /// communication interface `interface`, from the device's descriptors in sysfs
    /// (`busPath` as `1-2`). Nil when the function gives none (the descriptor is optional) or
    /// the bytes cannot be read; never less than 1.
    public static func maxOutstandingCommands(busPath: String, interface: Int, sys: String = "/sys") -> Int? {
        guard !busPath.contains("/"), let bytes = PosixFile.read("\(sys)/bus/usb/devices/\(busPath)/descriptors", limit: 64 * 1024) else {
            return nil
        }
        return maxOutstandingCommands(bytes, interface: interface)
    }

    static func maxOutstandingCommands(_ b: [UInt8], interface: Int) -> Int? {
        var i = b.count >= 18 && b[0] == 18 ? 18 : 0
        var inInterface = false
        while i + 2 <= b.count {
            let length = Int(b[i]), type = b[i + 1]
            guard length >= 2, i + length <= b.count else { return nil }
            if type == 4, length >= 9 {
                inInterface = Int(b[i + 2]) == interface && b[i + 3] == 0
            } else if inInterface, type == 0x24, length >= 8, b[i + 2] == 0x1C {
                return b[i + 5] == 0 ? nil : Int(b[i + 5])
            }
            i += length
        }
        return nil
    }
}
