import TMDiagCore

/// Text for `tmdiag devices`. Every string that came from a device is escaped.
public enum DevicesRendering {
    public static func text(_ r: DevicesPipeline.Result, color: Bool) -> String {
        if r.devices.isEmpty { return "" }
        var t = TextTable(header: ["KIND", "ID", "VID:PID", "DEVICE", "AT PORT"])
        for d in r.devices {
            t.add([d.kind.rawValue, TerminalText.escape(d.id, limit: 20), "\(d.vendorId):\(d.productId)",
                   TerminalText.escape(d.displayName, limit: 60), d.atPort.map { TerminalText.escape($0.path) } ?? "-"])
        }
        return t.render(bold: color)
    }

    public static func nothingFound(_ r: DevicesPipeline.Result, all: Bool) -> String {
        "no \(all ? "USB devices" : "phones, modems or hotspots") found; looked at \(r.lookedAt)"
            + (all ? "" : " (use --all to list every USB device)")
    }
}
