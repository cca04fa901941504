import TMDiagCore

/// Decides what a device is (modem, handset, hotspot, other) and what each port is for:
/// by profile first, then by evidence from the whole interface set and the vendor.
///
/// Evidence is weighed, not counted: a CDC ACM port that declares AT commands is common on
/// microcontroller boards and USB-serial bridges, so it makes a modem only together with a
/// cellular vendor; serial-bridge and microcontroller vendors never become modems by evidence.
public struct Classifier: Sendable {
    public var profiles: DeviceProfiles

    public init(profiles: DeviceProfiles) { self.profiles = profiles }

    public func classify(_ device: USBDevice) -> USBDevice {
        var d = device
        if d.isRootHubLike {
            d.kind = .other
            d.kindReason = "root hub"
            return d
        }
        d.ports = d.ports.map { Self.vendorClassHint($0, device: d) }
        if let p = profiles.match(d) {
            d.kind = p.kind
            // A profile for a mode switch (storage) id that shows modem or tethering interfaces now.
            if p.kind == .other, p.kindIsFinal != true {
                let (k, reason) = Self.evidence(d)
                if k != .other { d.kind = k; d.kindReason = reason + " (profile \(p.id) says \(p.kind.rawValue))" }
            }
            d.profile = p.id
            d.name = p.name
            d.kindReason = "profile \(p.origin ?? p.id)"
            d.ports = d.ports.map { apply(profile: p, to: $0) }
        } else {
            let (kind, reason) = Self.evidence(d)
            d.kind = kind
            d.kindReason = reason
        }
        if d.kind == .other || d.kind == .handset {
            // A serial port of a board or adapter is not an AT port of ours.
            d.ports = d.ports.map { port in
                var port = port
                if port.kind == .at || port.kind == .modem, port.kindSource == "class" {
                    port.kind = .unknown
                    port.kindSource = nil
                }
                return port
            }
            if d.kind == .handset {
                // Samsung and others expose a real AT (modem) port over CDC ACM; keep the class hint there.
                d.ports = zip(device.ports, d.ports).map { orig, now in
                    orig.kind == .at && Self.phoneVendors.contains(d.vendorId) ? orig : now
                }
            }
        }
        return d
    }

    /// Huawei numbers its vendor-specific serial interfaces by function in bInterfaceProtocol:
    /// low nibble 1 is the PPP modem port, 2 the PCUI (AT) port, 3 diagnostics.
    static func vendorClassHint(_ port: DevicePort, device d: USBDevice) -> DevicePort {
        guard d.vendorId == "12d1", port.kind == .unknown, port.path.hasPrefix("/dev/tty"),
              let iface = d.interfaces.first(where: { $0.number == port.interface }), iface.class == "ff",
              let proto = UInt8(iface.protocol, radix: 16) else { return port }
        var p = port
        switch proto & 0x0F {
        case 1: p.kind = .modem
        case 2: p.kind = .at
        case 3: p.kind = .diag
        default: return port
        }
        p.kindSource = "class"
        return p
    }

    private func apply(profile p: DeviceProfile, to port: DevicePort) -> DevicePort {
        var port = port
        // The bound driver's word on a control channel (qmi_wwan, cdc_mbim) outranks the
        // profile: the same id is used in QMI and MBIM compositions.
        if port.kind == .net || port.kindSource == "driver" { return port }
        let isTTY = port.path.hasPrefix("/dev/tty")
        var kind = p.ports?[port.interface]
        if p.atInterface == port.interface, isTTY { kind = .at }
        guard let k = kind else { return port }
        if isTTY, [.at, .modem, .gps, .diag, .unknown].contains(k) {
            port.kind = k
            port.kindSource = "profile"
        } else if !isTTY, k == .qmi || k == .mbim {
            port.kind = k
            port.kindSource = "profile"
        }
        return port
    }

    // MARK: Evidence

    static let modemDrivers: Set<String> = ["option", "qcserial", "sierra", "qmi_wwan", "cdc_mbim",
                                            "huawei_cdc_ncm", "sierra_net", "cdc_wdm"]
    /// Vendors whose USB products are cellular modules, modems and hotspots.
    static let cellularVendors: Set<String> = [
        "2c7c", "1199", "1bc7", "2cb7", "12d1", "19d2", "1e0e", "1546", "1410", "1fac", "05c6",
        "1e2d", "0681", "2001", "0489", "413c", "03f0", "0bdb", "8087", "2dee", "2c7d", "05c7",
        "1508", "16d8", "1c9e", "2020", "33f8", "3466", "1782",
    ]
    /// Vendors of USB-serial bridges, microcontroller boards and debug probes: never modems by evidence.
    static let neverModemVendors: Set<String> = [
        "0403", "10c4", "067b", "1a86", "2341", "2a03", "2e8a", "303a", "0483", "04d8", "239a",
        "16c0", "1b4f", "1fc9", "1915", "0d28", "1366", "03eb", "1209", "2886", "2b04", "f055",
    ]
    /// Vendors that make phones (handsets); tethering from them is a handset, not a hotspot.
    static let phoneVendors: Set<String> = [
        "18d1", "04e8", "22b8", "2a70", "05ac", "0bb4", "1004", "0fce", "2717", "2ae5", "0e8d",
        "2d95", "22d9", "1ebf", "2b4c", "1bbb", "0b05", "17ef", "29a9", "2916", "05c6",
        "2e04", "0421", "2a45",
    ]

    static func evidence(_ d: USBDevice) -> (DeviceKind, String) {
        // Discovery lists a PCI device only for its wwan child: the kernel already said modem.
        if d.bus == .pci { return (.modem, "kernel wwan device") }
        let drivers = Set(d.interfaces.compactMap(\.driver))
        let triples = Set(d.interfaces.map(\.triple))
        let vendor = d.vendorId
        let neverModem = neverModemVendors.contains(vendor)

        let phone = PhoneEvidence.reason(d)
        let handsetEvidence = phone != nil

        let modemDriver = drivers.intersection(modemDrivers).sorted().first
        let controlPort = d.ports.first { $0.kind == .qmi || $0.kind == .mbim }
        if !neverModem, let drv = modemDriver, !(handsetEvidence && phoneVendors.contains(vendor) && drv == "cdc_wdm") {
            return (.modem, "\(drv) driver")
        }
        if !neverModem, let p = controlPort { return (.modem, "\(p.kind.rawValue) control port") }
        if !neverModem, triples.contains(where: { $0.hasPrefix("02/0e/") }) { return (.modem, "MBIM interface") }
        if let phone { return (.handset, phone) }

        let tethering = PhoneEvidence.isTethering(d)
        if tethering, cellularVendors.contains(vendor) { return (.hotspot, "RNDIS/ECM/NCM from a hotspot maker") }
        if tethering, phoneVendors.contains(vendor) { return (.handset, "USB tethering from a phone maker") }

        let acmAT = d.interfaces.contains { $0.class == "02" && $0.subclass == "02" && ["01", "02", "03", "04", "05", "06"].contains($0.protocol) }
        if acmAT, cellularVendors.contains(vendor) { return (.modem, "CDC ACM AT port from a cellular vendor") }
        if acmAT, phoneVendors.contains(vendor) { return (.handset, "CDC ACM modem port from a phone maker") }
        if cellularVendors.contains(vendor), !d.interfaces.isEmpty,
           d.interfaces.allSatisfy({ $0.class == "08" }) {
            return (.modem, "cellular vendor in storage (CD-ROM) mode; needs usb_modeswitch")
        }
        if acmAT { return (.other, "CDC ACM port, but not from a cellular vendor") }
        if PhoneEvidence.phoneMakerOnly(d) { return (.handset, "phone maker's id with no data function (charging only?)") }
        return (.other, "no modem, phone or hotspot evidence")
    }
}

extension USBDevice {
    var isRootHubLike: Bool { busPath.hasPrefix("usb") || (vendorId == "1d6b" && ["0001", "0002", "0003"].contains(productId)) }
}
