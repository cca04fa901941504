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

    /// What the interface class alone says: CDC ACM with a V.250 protocol is an AT command port,
    /// `cdc-wdm` under qmi_wwan speaks QMI and under cdc_mbim (or class 02/0e) MBIM.
    public static func kind(fromClassOf iface: USBInterface?, subsystem: String, node: String) -> PortKind? {
        guard let iface else { return nil }
        switch subsystem {
        case "usbmisc":
            if iface.driver == "qmi_wwan" || iface.triple == "ff/ff/ff" && iface.driver == nil { return .qmi }
            if iface.driver == "cdc_mbim" || (iface.class == "02" && iface.subclass == "0e") { return .mbim }
            if iface.driver == "huawei_cdc_ncm" { return .at }
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
}
