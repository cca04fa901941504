import Foundation
import TMDiagCore

/// Plain-text forms of history and lookup results for a terminal. Every stored string is
/// escaped; identifiers must be masked by the caller first (`masked(_:)`).
public enum HistoryText {
    static func e(_ s: String?) -> String { TerminalText.escape(s ?? "") }

    static func time(_ d: Date) -> String { Timestamp.format(d) }

    static func accountLine(_ a: Account) -> String {
        var parts = [e(a.id)]
        if let h = a.holder { parts.append(e(h)) }
        parts.append(a.type.rawValue)
        if let p = a.plan { parts.append("plan " + e(p)) }
        return parts.joined(separator: " · ")
    }

    static func lineText(_ l: Line) -> String {
        var parts = [e(l.msisdn)]
        if let d = l.device { parts.append(e(d)) }
        if let i = l.imei { parts.append("IMEI " + e(i)) }
        if let c = l.iccid { parts.append("ICCID " + e(c)) }
        return parts.joined(separator: "  ")
    }

    static func eventText(_ ev: ServiceEvent, cases: [String: SupportCase] = [:]) -> String {
        var detail: [String] = []
        if let m = ev.msisdn { detail.append(e(m)) }
        switch ev.kind {
        case .supportCase:
            if let n = ev.caseNumber {
                var c = [e(n)]
                if let sc = cases[n.uppercased()] {
                    if let ch = sc.channel { c.append(ch.rawValue) }
                    if let r = sc.rep { c.append(e(r)) }
                    c.append(sc.status.rawValue)
                }
                detail.append(c.joined(separator: ", "))
            }
        default:
            if let n = ev.caseNumber { detail.append("case " + e(n)) }
        }
        if let p = ev.plan { detail.append("plan " + e(p)) }
        if let d = ev.device { detail.append("device " + e(d)) }
        if let i = ev.imei { detail.append("IMEI " + e(i)) }
        if let c = ev.iccid { detail.append("ICCID " + e(c)) }
        if let c = ev.country { detail.append(e(c)) }
        if let a = ev.area { detail.append(e(a)) }
        if let end = ev.endAt { detail.append("until " + time(end)) }
        let kind = ev.kind.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
        var s = "  \(time(ev.at))  \(kind)"
        if !detail.isEmpty { s += " " + detail.joined(separator: " · ") }
        if !ev.summary.isEmpty { s += (detail.isEmpty ? " " : ": ") + e(ev.summary) }
        return s
    }

    static func caseText(_ c: SupportCase) -> String {
        var parts = [e(c.handle), c.status.rawValue]
        if let ch = c.channel { parts.append(ch.rawValue) }
        if let r = c.rep { parts.append(e(r)) }
        parts.append("opened " + time(c.openedAt))
        if c.updatedAt > c.openedAt { parts.append("updated " + time(c.updatedAt)) }
        var s = "  " + parts.joined(separator: " · ")
        if let sum = c.summary { s += "\n    " + e(sum) }
        if let res = c.resolution { s += "\n    resolution: " + e(res) }
        if !c.reportIds.isEmpty { s += "\n    reports: " + c.reportIds.map(e).joined(separator: ", ") }
        return s
    }

    /// `history show`: the account, its lines, the timeline and the cases.
    public static func timeline(_ h: AccountHistory) -> String {
        var out = [accountLine(h.account), ""]
        out.append("Lines")
        out += h.lines.isEmpty ? ["  (none)"] : h.lines.map { "  " + lineText($0) }
        out.append("")
        var heading = "Timeline" + (h.since.map { " since " + time($0) } ?? "")
        heading += h.eventsInWindow > h.events.count
            ? " (the latest \(h.events.count) of \(Plural.count(h.eventsInWindow, "event")); --limit 0 shows all)"
            : " (\(Plural.count(h.events.count, "event")))"
        out.append(heading)
        var cases: [String: SupportCase] = [:]
        for c in h.cases { if let n = c.number { cases[n.uppercased()] = c } }
        out += h.events.isEmpty ? ["  (none)"] : h.events.map { eventText($0, cases: cases) }
        out.append("")
        out.append("Support contacts")
        out += h.cases.isEmpty ? ["  (none)"] : h.cases.map(caseText)
        return TextWrap.wrappingEachLine(out.joined(separator: "\n"))
    }

    static func lineMatchText(_ l: LineMatch) -> String {
        var s = "  \(e(l.accountId))"
        if let h = l.holder { s += " (\(e(h)))" }
        s += " line \(e(l.msisdn))"
        if let d = l.device { s += " · \(e(d))" }
        if let i = l.imei { s += " · IMEI \(e(i))" }
        s += l.current ? " · now" : " · before"
        return s
    }

    static func reportsText(_ r: [ReportSummary]) -> [String] {
        r.isEmpty ? ["  (none)"] : r.map { "  \(e($0.id))  \(time($0.createdAt))  sha256 \(String($0.sha256.prefix(12)))…" }
    }

    public static func imei(_ x: IMEILookup) -> String {
        let head = "IMEI \(e(x.imei)) (valid) · TAC \(e(x.tac)) · " + (x.model.map { e($0.displayName) } ?? "model unknown (no TAC table entry)")
        return TextWrap.wrappingEachLine(([head] + sightingSections(x, linesTitle: "Lines")).joined(separator: "\n"))
    }

    public static func line(_ x: LineLookup) -> String {
        TextWrap.wrappingEachLine((["Line \(e(x.msisdn))"] + sightingSections(x, linesTitle: "Accounts")).joined(separator: "\n"))
    }

    /// The lines (or accounts), events and reports sections of an IMEI or a line lookup.
    static func sightingSections(_ x: some IdentifierSightings, linesTitle: String) -> [String] {
        var out = [linesTitle]
        out += x.lines.isEmpty ? ["  (none)"] : x.lines.map(lineMatchText)
        out.append("Events (\(x.eventCount))")
        out += x.events.isEmpty ? ["  (none)"] : x.events.map { "  " + e($0.accountId) + eventText($0) }
        out.append("Reports")
        out += reportsText(x.reports)
        return out
    }

    public static func account(_ x: AccountLookup) -> String {
        var out = [accountLine(x.account), "Lines"]
        out += x.lines.isEmpty ? ["  (none)"] : x.lines.map { "  " + lineText($0) }
        out.append("Latest events (\(x.recentEvents.count) of \(x.eventCount))")
        out += x.recentEvents.isEmpty ? ["  (none)"] : x.recentEvents.map { eventText($0) }
        out.append("Support contacts")
        out += x.cases.isEmpty ? ["  (none)"] : x.cases.map(caseText)
        return TextWrap.wrappingEachLine(out.joined(separator: "\n"))
    }

    public static func supportCase(_ x: CaseLookup) -> String {
        var out = ["Case " + caseText(x.supportCase).trimmingSpaces]
        out.append("Account " + (x.account.map(accountLine) ?? e(x.supportCase.accountId)))
        out.append("Reports")
        out += reportsText(x.reports)
        return TextWrap.wrappingEachLine(out.joined(separator: "\n"))
    }

    public static func importSummary(_ s: ImportSummary) -> String {
        var parts: [String] = []
        if s.tacs > 0 || (s.accounts == 0 && s.events == 0) { parts.append(Plural.count(s.tacs, "TAC entry", "TAC entries")) }
        if s.accounts > 0 { parts.append(Plural.count(s.accounts, "account")) }
        if s.lines > 0 { parts.append(Plural.count(s.lines, "line")) }
        if s.events > 0 || s.accounts > 0 { parts.append(Plural.count(s.events, "event") + " (\(s.newEvents) new)") }
        if s.cases > 0 { parts.append(Plural.count(s.cases, "case")) }
        return TextWrap.wrappingEachLine("Imported \(e(s.file)): " + parts.joined(separator: ", "))
    }
}
