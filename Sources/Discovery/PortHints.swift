import TMDiagCore

/// Port kinds from udev hints and interface classes, before any profile is applied.
public enum PortHints {
    /// ModemManager's udev rules tag ports with `ID_MM_PORT_TYPE_*=1`; where a system has them
    /// (or a user's own rules add them), they are the vendor's word on what each port is.
    public static func kind(fromUdev props: [String: String]) -> PortKind? {
        func set(_ k: String) -> Bool { props[k] == "1" }
        if set("ID_MM_PORT_TYPE_AT_PRIMARY") || set("ID_MM_PORT_TYPE_AT_SECONDARY") { return .at }
        if set("ID_MM_PORT_TYPE_AT_PPP") { return .modem }
        if set("ID_MM_PORT_TYPE_QCDM") { return .diag }
        if set("ID_MM_PORT_TYPE_GPS") { return .gps }
        if set("ID_MM_PORT_TYPE_QMI") { return .qmi }
        if set("ID_MM_PORT_TYPE_MBIM") { return .mbim }
        return nil
    }

    /// What the bound driver says of a `cdc-wdm` channel: the kernel speaks for the protocol
    /// (qmi_wwan only binds QMI functions, cdc_mbim only MBIM ones), so this beats a profile's
    /// interface map, which cannot know the composition the modem was switched to.
    public static func kind(fromDriverOf iface: USBInterface?, subsystem: String) -> PortKind? {
        guard subsystem == "usbmisc", let driver = iface?.driver else { return nil }
        switch driver {
        case "qmi_wwan": return .qmi
        case "cdc_mbim": return .mbim
        case "huawei_cdc_ncm": return .at
        default: return nil
        }
    }

    /// What the interface class alone says: CDC ACM with a V.250 protocol is an AT command port,
    /// an unbound `cdc-wdm` on a vendor-specific interface is taken as QMI, on class 02/0e as MBIM.
    public static func kind(fromClassOf iface: USBInterface?, subsystem: String, node: String) -> PortKind? {
        guard let iface else { return nil }
        switch subsystem {
        case "usbmisc":
            if iface.triple == "ff/ff/ff" && iface.driver == nil { return .qmi }
            if iface.class == "02" && iface.subclass == "0e" { return .mbim }
            return nil
        case "tty":
            // 02/02/01..06: CDC ACM with AT commands (V.250, PCCA-101, GSM 07.07, 3GPP, CDMA).
            if iface.class == "02", iface.subclass == "02", ["01", "02", "03", "04", "05", "06"].contains(iface.protocol) {
                return .at
            }
            return nil
        default:
            return nil
        }
    }

    /// A wwan port's kind from the kernel's port type (`type` attribute: AT, MBIM, QMI, QCDM,
    /// NMEA, FIREHOSE, XMMRPC, FASTBOOT, ADB, MIPC). Only the first five are something tmdiag
    /// can name; the rest are flashing, vendor RPC or debug channels.
    public static func kind(wwanType: String) -> PortKind {
        switch wwanType.uppercased() {
        case "AT": .at
        case "MBIM": .mbim
        case "QMI": .qmi
        case "QCDM": .diag
        case "NMEA": .gps
        default: .unknown
        }
    }

    /// The port type in a wwan port's name, for kernels without the `type` attribute:
    /// `wwan0at0` (Linux 5.14 on: device number, type in lower case, port number) or
    /// `wwan0p1AT` (Linux 5.13: device number, `p` and port number, type in upper case).
    /// Nil when the name has neither shape.
    public static func wwanType(portName: String) -> String? {
        guard portName.hasPrefix("wwan") else { return nil }
        var rest = portName.dropFirst(4).drop { $0.isASCII && $0.isNumber }
        if rest.first == "p", rest.dropFirst().first?.isNumber == true {
            rest = rest.dropFirst().drop { $0.isASCII && $0.isNumber }
        }
        let type = rest.prefix { $0.isASCII && $0.isLetter }
        guard !type.isEmpty, rest.dropFirst(type.count).allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return type.uppercased()
    }
}
