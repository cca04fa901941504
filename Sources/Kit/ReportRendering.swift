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
        if !host.isEmpty { out += "Host: \(TerminalText.escape(host, limit: 120))\n" }
        if let digest {
            out += "Tool: \(TerminalText.escape(r.tool.name + " " + r.tool.version, limit: 60))\n"
            out += "Digest: \(TerminalText.escape(digest, limit: 200))\n"
        }
        func tacModel(_ imei: String?) -> String? {
            imei.flatMap { tacModels[String($0.prefix(8))] }
        }
        for d in r.devices {
            out += "\n" + bold("\(d.device.kind.rawValue.capitalized) \(TerminalText.escape(d.device.id, limit: 20)): "
                                + TerminalText.escape(d.device.displayName, limit: 80))
                + "  (\(d.device.vendorId):\(d.device.productId))\n"
            if let at = d.probe?.port { out += "  AT port       \(TerminalText.escape(at))\n" }
            if let s = d.device.serial { out += "  USB serial    \(TerminalText.escape(s, limit: 60))\n" }
            if let m = d.modem {
                out += FactsRendering.modem(m)
                out += FactsRendering.field("TAC model", tacModel(m.imei))
            }
            if let h = d.handset {
                out += handset(h)
                out += FactsRendering.field("TAC model", h.imei?.lazy.compactMap(tacModel).first)
            }
            if !d.errors.isEmpty { out += "  Errors:\n" + FactsRendering.errors(d.errors, indent: "    ") }
            if let n = d.probe?.note { out += "  Note: \(TerminalText.escape(n, limit: 300))\n" }
        }
        if r.devices.isEmpty { out += "\nNo phones, modems or hotspots found.\n" }
        out += "\n" + bold("Findings") + "\n"
        // A saved report (shown with its digest) may come from a tmdiag that found less.
        if r.findings.isEmpty { out += digest == nil ? "  Nothing wrong found.\n" : "  None recorded in the report.\n" }
        for f in r.findings {
            out += "  " + tint("[\(f.severity)]", f.severity) + " " + TerminalText.escape(f.title, limit: 200)
                + (f.device.map { " (device \($0))" } ?? "") + "\n"
            out += "    " + TerminalText.escape(f.reasoning, limit: 400) + "\n"
            if let n = f.nextStep { out += "    Next: " + TerminalText.escape(n, limit: 400) + "\n" }
        }
        return out
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
        line("SIM", h.simStates?.joined(separator: ", "))
        line("Operator", h.operators?.map(FactsRendering.operatorText).joined(separator: ", "))
        line("Network", h.networkTypes?.joined(separator: ", "))
        if let n = h.note { line("Note", n) }
        return out
    }
}
