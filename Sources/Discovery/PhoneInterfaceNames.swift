import TMDiagCore

/// The two facts discovery reads for telling phones from look-alikes: an interface's own
/// string (a phone's still-image interface says `MTP`, a camera's says `PTP` or nothing), and
/// whether udev marks the device as MTP (libmtp's hardware database and its `mtp-probe` set
/// `ID_MTP_DEVICE=1` / `ID_MEDIA_PLAYER=1`, also on phones whose MTP interface is
/// vendor-specific, class ff). Both are read only where they can matter, to keep scans cheap.
enum PhoneInterfaceNames {
    /// Still-image (06) and vendor-specific (ff) interfaces: where MTP, PTP and ADB live.
    static func worthReading(_ i: USBInterface) -> Bool { i.class == "06" || i.class == "ff" }

    /// The sysfs `interface` attribute of the interface folder, if the device named it.
    static func read(_ interfacePath: String) -> String? {
        guard let bytes = PosixFile.read(interfacePath + "/interface", limit: 512) else { return nil }
        let s = bytes.withUnsafeBufferPointer { DeviceString.clean($0) }
        return s.trimmingSpaces.isEmpty ? nil : s
    }

    /// True when udev (its database, or the hwdb entry for the ids) tags the device as MTP.
    /// Asked only of devices with a vendor-specific interface and no ADB or usbmux interface:
    /// for the others the interfaces already say enough.
    static func mtpTagged(_ d: USBDevice, syspath: String, hwdb: [String: String], udev: UDevContext) -> Bool? {
        let triples = Set(d.interfaces.map(\.triple))
        guard d.interfaces.contains(where: { $0.class == "ff" }), !triples.contains("ff/42/01"),
              !triples.contains("ff/fe/02") else { return nil }
        func tagged(_ props: [String: String]) -> Bool {
            props["ID_MTP_DEVICE"] == "1" || props["ID_MEDIA_PLAYER"] == "1"
        }
        if tagged(hwdb) { return true }
        var fromDatabase = false
        udev.device(syspath: syspath) { dev in
            fromDatabase = dev.property("ID_MTP_DEVICE") == "1" || dev.property("ID_MEDIA_PLAYER") == "1"
        }
        return fromDatabase ? true : nil
    }
}
