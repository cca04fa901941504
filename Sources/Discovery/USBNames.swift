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

/// A usb.ids file with an index of where each vendor's block starts, made in one pass when
/// the file is first needed: a scan of many devices then jumps to each vendor instead of
/// reading the 700 KB file once per device.
struct USBIDsFile {
    let bytes: [UInt8]
    private let vendorLines: [UInt16: Int]

    init?(path: String) {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        self.init(bytes: d.withUnsafeBytes { [UInt8]($0) })
    }

    init(contents: String) { self.init(bytes: Array(contents.utf8)) }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        vendorLines = Self.index(bytes)
    }

    /// Vendor lines are `vvvv  Name` at column 0; product lines `\tpppp  Name` follow. The
    /// sections after the vendors (`C 00  ...` device classes, then AT, HID ...) end the index.
    static func index(_ b: [UInt8]) -> [UInt16: Int] {
        var out: [UInt16: Int] = [:]
        out.reserveCapacity(4_096)
        b.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            let n = p.count
            var i = 0
            while i < n {
                let c = p[i]
                if c == 0x43, i + 1 < n, p[i + 1] == 0x20 { break }
                if c != 0x09, c != 0x23, i + 5 < n, p[i + 4] == 0x20, let v = hex4(b, i), out[v] == nil { out[v] = i }
                // The next line: memchr is many times faster than a byte loop over 700 KB.
                guard let nl = memchr(base + i, 0x0A, n - i) else { break }
                i = base.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1
            }
        }
        return out
    }

    static func hex4(_ b: [UInt8], _ i: Int) -> UInt16? {
        var v: UInt16 = 0
        for k in 0..<4 {
            let c = b[i + k] | 0x20
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    func lookup(vendorId: String, productId: String) -> (String?, String?) {
        guard let vid = UInt16(vendorId, radix: 16), let start = vendorLines[vid] else { return (nil, nil) }
        let pid = Array(productId.lowercased().utf8)
        let n = bytes.count
        var end = start
        while end < n, bytes[end] != 0x0A { end += 1 }
        let vendor = name(bytes[(start + 4)..<end])
        var i = end + 1
        while i < n {
            end = i
            while end < n, bytes[end] != 0x0A { end += 1 }
            let line = bytes[i..<end]
            if let f = line.first, f != 0x09, f != 0x23 { break }  // the next vendor: no product matched
            if line.count > 7, line.first == 0x09, pid.count == 4,
               line[(i + 1)..<(i + 5)].elementsEqual(pid, by: { $0 | 0x20 == $1 }), line[i + 5] == 0x20 {
                return (vendor, name(line.dropFirst(5)))
            }
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
