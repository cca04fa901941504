import Foundation
import TMDiagCore

/// The report for a person: a section per device, then findings. `tmdiag report` prints it
/// as the report is made and `tmdiag show` as it was saved (then with the digest it checked
/// and the model names of the IMEIs' TACs), so an agent sees what the customer saw.
/// Identifiers arrive masked; device strings are escaped here.
public enum ReportRendering {
    public static func text(_ r: DeviceReport, color: Bool, digest: String? = nil, tacModels: [String: String] = [:]) -> String {
        func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
        func tint(_ s: String, _ sev: String) -> String {
            guard color else { return s }
            let code = sev == "problem" ? "31" : sev == "warning" ? "33" : "36"
            return "\u{1B}[\(code)m\(s)\u{1B}[0m"
        }
        var out = bold("tmdiag report \(r.reportId)") + "  \(Timestamp.format(r.createdAt))\n"
        let host = [r.host.os, r.host.kernel.map { "kernel \($0)" }].compactMap { $0 }.joined(separator: ", ")
        if !host.isEmpty { out += FactsRendering.para("Host: ", TerminalText.escape(host, limit: 120), hanging: "      ") }
        if let digest {
            out += "Tool: \(TerminalText.escape(r.tool.name + " " + r.tool.version, limit: 60))\n"
            out += FactsRendering.para("Digest: ", TerminalText.escape(digest, limit: 200), hanging: "        ")
        }
        func tacModel(_ imei: String?) -> String? {
            imei.flatMap { tacModels[String($0.prefix(8))] }
        }
        var explained: [String: String] = [:]
        for d in r.devices {
            out += "\n" + TextWrap.wrap(bold("\(label(d.device)): " + TerminalText.escape(d.device.displayName, limit: 80))
                                        + "  (\(d.device.bus == .pci ? "PCI " : "")\(d.device.vendorId):\(d.device.productId))",
                                        hanging: "  ").joined(separator: "\n") + "\n"
            if let at = d.probe?.port { out += FactsRendering.field("AT port", at) }
            if let s = d.device.serial { out += FactsRendering.field("USB serial", s) }
            if let m = d.modem {
                out += FactsRendering.modem(m)
                out += FactsRendering.field("TAC model", tacModel(m.imei))
            }
            if let h = d.handset {
                out += handset(h)
                out += FactsRendering.field("TAC model", h.imei?.lazy.compactMap(tacModel).first)
            }
            if !d.errors.isEmpty { out += "  Errors:\n" + FactsRendering.errors(d.errors, indent: "    ", explained: &explained) }
            out += changed(d.changes ?? [])
            if let n = d.probe?.note ?? d.handset?.note {
                out += FactsRendering.para("  Note: ", TerminalText.escape(n, limit: 300), hanging: "        ")
            }
            out += FactsRendering.field("Checked", checked(d))
        }
        if r.devices.isEmpty {
            out += "\n" + FactsRendering.para("", "No phones, modems or hotspots found, so nothing was checked.", hanging: "")
            out += FactsRendering.para("", noDeviceHints, hanging: "")
        }
        out += "\n" + bold("Findings") + "\n"
        if r.findings.isEmpty {
            switch r.judged {
            case .nothingWrongFound: out += "  Nothing wrong found: every device was read and no rule fired.\n"
            case .noDevices: out += "  None: there was no device to check.\n"
            case .incomplete, .problemsFound:
                out += FactsRendering.para("  ", "No finding, but this is not a clean bill of health: not every device "
                                           + "could be read (see \"Checked\" above).", hanging: "  ")
            }
        }
        for f in r.findings {
            let who = f.device.flatMap { id in r.devices.first { $0.device.id == id } }.map { " (\(label($0.device)))" } ?? ""
            out += FactsRendering.para("  " + tint("[\(f.severity)]", f.severity) + " ",
                                       TerminalText.escape(f.title, limit: 200) + who, hanging: "    ")
            out += FactsRendering.para("    ", TerminalText.escape(f.reasoning, limit: 400), hanging: "    ")
            if let n = f.nextStep { out += FactsRendering.para("    Next: ", TerminalText.escape(n, limit: 400), hanging: "    ") }
            if let a = f.actor { out += FactsRendering.para("    Who acts: ", a, hanging: "    ") }
            // The device's own lines, as read (escaped: they are the device's words).
            for e in (f.evidence ?? []).prefix(8) {
                out += FactsRendering.para("    Evidence: ", TerminalText.escape(e, limit: 200), hanging: "    ")
            }
        }
        return out
    }

    /// "Changed since <date>": what differs from the device's previous saved report.
    static func changed(_ changes: [DeviceChange]) -> String {
        guard let first = changes.first else { return "" }
        let since = first.previousAt.map { String(Timestamp.format($0).prefix(10)) } ?? "the previous report"
        var out = "  Changed since \(since) (report \(TerminalText.escape(first.previousReportId, limit: 20))):\n"
        for c in changes {
            out += FactsRendering.para("    \(c.fieldWords): ", TerminalText.escape(c.before, limit: 120) + " -> "
                                       + TerminalText.escape(c.after, limit: 120), hanging: "      ")
        }
        return out
    }

    /// The likely causes when nothing is found, for the person at the machine.
    public static let noDeviceHints = "Check that the cable carries data (some are charge-only), that a phone is "
        + "unlocked and set to \"File transfer\" in its USB notification, and that the modem shows in `lsusb` "
        + "(or `lspci` for a laptop's built-in modem). `tmdiag devices --all` lists every USB device seen."

    /// How a device is named everywhere (report, ticket, findings): its kind and bus id.
    public static func label(_ d: USBDevice) -> String {
        "\(d.kind.rawValue.capitalized) \(TerminalText.escape(d.id, limit: 20))"
    }

    /// What could and could not be read of a device, in words.
    static func checked(_ d: ReportedDevice) -> String {
        switch d.probe?.coverage {
        case .complete?: return "fully read" + (d.probe.map { " (\(methodWords($0.method)))" } ?? "")
        case .partial?: return "partly read: some queries got no answer"
        case .none?: return "not read: " + (d.probe?.note.map { TerminalText.escape($0, limit: 200) } ?? "no way to ask this device")
        case nil: return d.probe == nil ? "not probed" : "not recorded in this report"
        }
    }

    static func methodWords(_ m: String) -> String {
        switch m {
        case "at": return "over AT"
        case "mbim": return "over MBIM"
        case "qmi": return "over QMI"
        case "mmcli": return "through ModemManager"
        case "adb": return "through adb"
        case "ideviceinfo": return "through ideviceinfo"
        default: return m
        }
    }

    static func handset(_ h: HandsetFacts) -> String {
        var out = ""
        func line(_ k: String, _ v: String?) { out += FactsRendering.field(k, v) }
        line("Maker", h.manufacturer)
        line("Model", h.model)
        line("OS", h.osVersion)
        line("Build", h.build)
        line("Patch level", h.securityPatch)
        line("Baseband", h.baseband)
        line("IMEI", h.imei?.joined(separator: ", "))
        line("Carrier bundle", h.carrierBundle)
        if let slots = h.slots, !slots.isEmpty {
            out += HandsetSlotRendering.slots(slots, readAt: h.readAt)
        } else {
            // Reports from before per-slot facts, and phones whose telephony dump was not read.
            line("SIM", h.simStates?.joined(separator: ", "))
            line("Operator", h.operators?.map(FactsRendering.operatorText).joined(separator: ", "))
            line("Network", h.networkTypes?.joined(separator: ", "))
        }
        if let steps = h.customerSteps, !steps.isEmpty {
            out += "  To read this phone:\n"
            for (i, step) in steps.enumerated() {
                out += FactsRendering.para("    \(i + 1). ", TerminalText.escape(step, limit: 300), hanging: "       ")
            }
        }
        return out
    }
}
