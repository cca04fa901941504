import Foundation
import Modem
import TMDiagCore

/// Text for modem facts and errors, shared by `probe`, `decode`, `report` and `show`.
/// Device-supplied strings are escaped; identifiers arrive already masked.
public enum FactsRendering {
    /// `  Label         value`, escaped; nothing when the value is missing or empty.
    public static func field(_ label: String, _ value: String?, indent: String = "  ") -> String {
        guard let value, !value.isEmpty else { return "" }
        return indent + label.padding(toLength: 14, withPad: " ", startingAt: 0) + TerminalText.escape(value, limit: 200) + "\n"
    }

    public static func modem(_ m: ModemFacts, indent: String = "  ") -> String {
        var out = ""
        func line(_ k: String, _ v: String?) { out += field(k, v, indent: indent) }
        line("Manufacturer", m.manufacturer)
        line("Model", m.model)
        line("Firmware", m.firmware)
        line("IMEI", m.imei)
        if let s = m.sim {
            line("SIM", s.state.rawValue + (s.detail.map { $0 == "READY" ? "" : " (\($0))" } ?? ""))
            line("ICCID", s.iccid)
            line("IMSI", s.imsi)
            line("Number", s.msisdn)
            line("Home network", s.operator.map(operatorText))
        }
        if let r = m.registration {
            var state = r.state.rawValue
            if let t = r.technology { state += " on \(t)" }
            line("Network", state)
            line("Operator", r.operator.map(operatorText))
            if let c = r.rejectCause {
                line("Reject cause", "\(c.kind.uppercased()) cause \(c.code)" + (c.meaning.map { ": \($0)" } ?? ""))
            }
        }
        if let s = m.signal {
            var parts: [String] = [s.quality.rawValue]
            if let v = s.rsrpDbm { parts.append("RSRP \(fmt(v)) dBm") }
            if let v = s.rsrqDb { parts.append("RSRQ \(fmt(v)) dB") }
            if let v = s.sinrDb { parts.append("SINR \(fmt(v)) dB") }
            if let v = s.rssiDbm { parts.append("RSSI \(v) dBm") }
            line("Signal", parts.joined(separator: ", "))
        }
        if let f = m.functionality {
            line("Radio", f == 1 ? "on (CFUN 1)" : f == 4 ? "off: airplane mode (CFUN 4)" : f == 0 ? "off: minimum functionality (CFUN 0)" : "CFUN \(f)")
        }
        return out
    }

    public static func operatorText(_ o: OperatorInfo) -> String {
        let plmn = [o.mcc, o.mnc].compactMap { $0 }.joined(separator: "-")
        switch (o.name, plmn.isEmpty) {
        case let (n?, false): return "\(n) (\(plmn))"
        case let (n?, true): return n
        default: return plmn
        }
    }

    static func fmt(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(format: "%.1f", d)
    }

    public static func errors(_ errors: [ReportedError], indent: String = "  ") -> String {
        var out = ""
        for e in errors {
            let cmd = e.command.map { TerminalText.escape($0, limit: 60) + " → " } ?? ""
            out += indent + "• " + cmd + TerminalText.escape(e.raw, limit: 120) + "\n"
            out += indent + "  " + TerminalText.escape(e.meaning, limit: 400) + "\n"
            if let a = e.advice { out += indent + "  What to do: " + TerminalText.escape(a, limit: 600) + "\n" }
        }
        return out
    }

    public static func explanation(_ e: Explanation) -> String {
        var out = ""
        let code = e.code.map { " \($0)" } ?? ""
        out += "\(e.table.uppercased())\(code): \(TerminalText.escape(e.name, limit: 200))\n"
        out += "Meaning:  \(e.meaning)\n"
        out += "Who acts: \(e.actor.rawValue)\n"
        out += "Advice:   \(e.advice)\n"
        if let s = e.source { out += "Source:   \(s)\n" }
        return out
    }
}

