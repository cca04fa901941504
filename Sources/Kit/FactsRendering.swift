import Foundation
import Modem
import TMDiagCore

/// Text for modem facts and errors, shared by `probe`, `decode`, `report` and `show`.
/// Device-supplied strings are escaped; identifiers arrive already masked.
public enum FactsRendering {
    /// `  Label         value`, escaped; nothing when the value is missing or empty.
    /// Long values wrap under the value column, so every line fits 80 columns.
    public static func field(_ label: String, _ value: String?, indent: String = "  ") -> String {
        guard let value, !value.isEmpty else { return "" }
        let head = indent + label.padding(toLength: 14, withPad: " ", startingAt: 0)
        return TextWrap.wrap(head + TerminalText.escape(value, limit: 200),
                             hanging: String(repeating: " ", count: head.count)).joined(separator: "\n") + "\n"
    }

    /// A paragraph wrapped to 80 columns, its first line after `lead`, the rest under `hanging`.
    public static func para(_ lead: String, _ text: String, hanging: String) -> String {
        TextWrap.wrap(lead + text, hanging: hanging).joined(separator: "\n") + "\n"
    }

    /// The contract's words (`not-registered`, `pin-required`) as a person reads them.
    public static func words(_ contractWord: String) -> String {
        contractWord.replacingOccurrences(of: "-", with: " ")
    }

    /// "a good signal", "no signal": the quality word in a sentence.
    public static func signalWords(_ q: SignalQuality) -> String {
        switch q {
        case .none: return "no signal"
        case .unknown: return "signal unknown"
        default: return q.rawValue
        }
    }

    /// The `+CPIN:` word each SIM state comes from, which says nothing more when shown beside it.
    static let impliedDetail: [SIMState: String] = [.ready: "READY", .pinRequired: "SIM PIN", .pukRequired: "SIM PUK"]

    public static func modem(_ m: ModemFacts, indent: String = "  ") -> String {
        var out = ""
        func line(_ k: String, _ v: String?) { out += field(k, v, indent: indent) }
        line("Manufacturer", m.manufacturer)
        line("Model", m.model)
        line("Firmware", m.firmware)
        line("IMEI", m.imei)
        if let s = m.sim {
            // The raw +CPIN word only where it says more than the state ("PH-NET PIN").
            let detail = s.detail.flatMap { impliedDetail[s.state]?.caseInsensitiveCompare($0) == .orderedSame ? nil : $0 }
            line("SIM", words(s.state.rawValue) + (detail.map { " (\($0))" } ?? ""))
            line("ICCID", s.iccid)
            line("IMSI", s.imsi)
            line("Number", s.msisdn)
            line("Home network", s.operator.map(operatorText))
        }
        if let r = m.registration {
            var state = words(r.state.rawValue)
            if let t = r.technology { state += " on \(t)" }
            line("Network", state)
            line("Operator", r.operator.map(operatorText))
            if let c = r.rejectCause {
                line("Reject cause", "\(c.kind.uppercased()) cause \(c.code)" + (c.meaning.map { ": \($0)" } ?? ""))
            }
        }
        if let s = m.signal {
            var parts: [String] = [signalWords(s.quality)]
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
        var explained: [String: String] = [:]
        return self.errors(errors, indent: indent, explained: &explained)
    }

    /// The same error said twice in one report (a code several commands or devices raised) is
    /// explained once, then referred to; `explained` carries what was said across devices.
    public static func errors(_ errors: [ReportedError], indent: String = "  ", explained: inout [String: String]) -> String {
        var out = ""
        let hang = indent + "  "
        for e in errors {
            let cmd = e.command.map { TerminalText.escape($0, limit: 60) + " → " } ?? ""
            out += para(indent + "• " + cmd, TerminalText.escape(e.raw, limit: 120), hanging: hang)
            let key = "\(e.kind.rawValue) \(e.code.map(String.init) ?? e.meaning)"
            if let first = explained[key] {
                out += para(hang, "Same error as \(first) above.", hanging: hang)
                continue
            }
            explained[key] = e.command.map { TerminalText.escape($0, limit: 60) } ?? TerminalText.escape(e.raw, limit: 60)
            out += para(hang, TerminalText.escape(e.meaning, limit: 400), hanging: hang)
            if let a = e.advice { out += para(hang + "What to do: ", TerminalText.escape(a, limit: 600), hanging: hang) }
        }
        return out
    }

    public static func explanation(_ e: Explanation) -> String {
        var out = ""
        let code = e.code.map { " \($0)" } ?? ""
        let hang = String(repeating: " ", count: 10)
        out += para("", "\(e.table.uppercased())\(code): \(TerminalText.escape(e.name, limit: 200))", hanging: "")
        out += para("Meaning:  ", e.meaning, hanging: hang)
        out += para("Who acts: ", e.actor.rawValue, hanging: hang)
        out += para("Advice:   ", e.advice, hanging: hang)
        if let s = e.source { out += para("Source:   ", s, hanging: hang) }
        return out
    }
}

