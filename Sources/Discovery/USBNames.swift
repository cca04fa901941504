import Foundation

/// Vendor and model names for vendor/product ids: the udev hwdb first (what `lsusb` shows on
/// a system with udev), then the usb.ids file (systems without a compiled hwdb).
struct USBNames {
    static let usbIDsPaths = ["/usr/share/misc/usb.ids", "/usr/share/hwdata/usb.ids", "/usr/share/usb.ids",
                              "/var/lib/usbutils/usb.ids"]

    private var usbIDs: USBIDsFile?
    private var triedUSBIDs = false

    /// The hwdb answer, given the device's own udev properties and the hwdb lookup (done by the
    /// caller, which owns the udev context), else the usb.ids file.
    mutating func names(vendorId: String, productId: String, hwdb: [String: String]) -> (vendor: String?, model: String?) {
        var vendor = hwdb["ID_VENDOR_FROM_DATABASE"]
        var model = hwdb["ID_MODEL_FROM_DATABASE"]
        if vendor == nil || model == nil {
            if !triedUSBIDs {
                triedUSBIDs = true
                usbIDs = Self.usbIDsPaths.lazy.compactMap { USBIDsFile(path: $0) }.first
            }
            if let f = usbIDs {
                let (v, m) = f.lookup(vendorId: vendorId, productId: productId)
                vendor = vendor ?? v
                model = model ?? m
            }
        }
        return (vendor, model)
    }
}

/// A lazily searched usb.ids: finds one vendor's block without parsing the whole 700 KB file.
struct USBIDsFile {
    let bytes: [UInt8]

    init?(path: String) {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        bytes = [UInt8](d)
    }

    init(contents: String) { bytes = Array(contents.utf8) }

    /// Vendor lines are `vvvv  Name` at column 0; product lines `\tpppp  Name` follow.
    func lookup(vendorId: String, productId: String) -> (String?, String?) {
        let vid = Array(vendorId.lowercased().utf8), pid = Array(productId.lowercased().utf8)
        var vendor: String?
        var i = 0
        let n = bytes.count
        while i < n {
            var end = i
            while end < n, bytes[end] != 0x0A { end += 1 }
            let line = bytes[i..<end]
            if vendor == nil {
                if line.count > 6, line.starts(with: vid), line[line.startIndex + 4] == 0x20 {
                    vendor = name(line.dropFirst(4))
                }
            } else {
                if let f = line.first, f != 0x09, f != 0x23 { break }  // next vendor: no product match
                if line.count > 7, line.first == 0x09, line.dropFirst().starts(with: pid),
                   line[line.startIndex + 5] == 0x20 {
                    return (vendor, name(line.dropFirst(5)))
                }
            }
            // Headers of other sections (C, AT, HID ...) come after all vendors.
            if vendor == nil, line.first == 0x43, line.dropFirst().first == 0x20 { break }
            i = end + 1
        }
        return (vendor, nil)
    }

    private func name(_ s: ArraySlice<UInt8>) -> String {
        String(decoding: s, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}

/// Vendor and product names from a usb.ids file, for lookups outside a scan.
public enum USBIDsLookup {
    public static func lookup(path: String, vendorId: String, productId: String) -> (String?, String?)? {
        guard let f = USBIDsFile(path: path) else { return nil }
        return f.lookup(vendorId: vendorId, productId: productId)
    }
}
