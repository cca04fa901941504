import Modem
import TMDiagCore

/// Text for `tmdiag devices`. Every string that came from a device is escaped.
public enum DevicesRendering {
    public static func text(_ r: DevicesPipeline.Result, color: Bool) -> String {
        if r.devices.isEmpty { return "" }
        // Five columns fit 80: the bus shows in the id (a PCI address), and a modem with no
        // AT port shows its MBIM or QMI channel in the port column.
        var t = TextTable(header: ["KIND", "ID", "VID:PID", "DEVICE", "PORT"], flexible: 3)
        for d in r.devices {
            t.add([d.kind.rawValue, TerminalText.escape(d.id, limit: 20), "\(d.vendorId):\(d.productId)",
                   TerminalText.escape(d.displayName, limit: 60), d.atPort.map { TerminalText.escape($0.path) } ?? controlPort(d)])
        }
        var text = t.render(bold: color)
        // The ports tmdiag would talk to (AT, MBIM, QMI); one line if this user may not open them.
        let ports = r.devices.filter { $0.kind != .other }.flatMap(\.ports)
            .filter { [.at, .mbim, .qmi].contains($0.kind) }.map(\.path)
        if let hint = PortPermission.hint(PortPermission.denied(ports)) {
            text += (text.hasSuffix("\n") ? "" : "\n") + "note: " + hint
        }
        return text
    }

    /// The MBIM or QMI channel (cdc-wdm, or a PCI modem's wwan port) with its protocol: what
    /// a modem without an AT port is reached through.
    static func controlPort(_ d: USBDevice) -> String {
        guard let p = d.ports.first(where: { $0.kind == .mbim || $0.kind == .qmi }) else { return "-" }
        return "\(TerminalText.escape(p.path)) (\(p.kind.rawValue))"
    }

    public static func nothingFound(_ r: DevicesPipeline.Result, all: Bool) -> String {
        "no \(all ? "USB devices or PCI modems" : "phones, modems or hotspots") found; looked at \(r.lookedAt)"
            + (all ? "" : " (use --all to list every USB device)")
    }
}
