import Foundation
import History
import TMDiagCore

/// One self-contained page of a report, a ticket or a bundle for an agent without tmdiag:
/// inline CSS, no script, no external resource, printable. The page is well-formed XHTML
/// (every element closed, every attribute quoted), so XML tools read it as well as browsers.
///
/// Every string that came from a device, a history file or a person goes through `text`,
/// which escapes markup and shows control characters as the terminal escaping does: a device
/// string or a history field can never open an element or an attribute.
public enum HTMLPage {
    /// A saved report, with the account's recent history when it is known.
    public static func report(_ r: DeviceReport, history: AccountHistory?, digestNote: String?) -> String {
        var body = header("tmdiag report \(r.reportId)", facts: [
            ("Made", Timestamp.format(r.createdAt)),
            ("Tool", r.tool.name + " " + r.tool.version),
            ("Digest", digestNote ?? r.digest.map { "SHA-256 \($0)" } ?? "none"),
            ("Verdict", FactsWords.verdict(r.judged)),
        ])
        body += devices(r)
        body += findings(r.findings, devices: r.devices)
        if let history { body += timeline(history) }
        return page(title: "tmdiag report \(r.reportId)", body: body)
    }

    /// A ticket (from a bundle or just made), with the report it was made from when there.
    public static func ticket(_ t: Ticket, report: DeviceReport?, history: AccountHistory?) -> String {
        var facts: [(String, String)] = [("Made", Timestamp.format(t.createdAt))]
        if let a = t.account {
            facts.append(("Account", "\(a.id) (\(a.type))" + (a.holder.map { ", \($0)" } ?? "")))
            if let p = a.plan { facts.append(("Plan", p)) }
            if let l = a.line { facts.append(("Line", l + (a.lineDevice.map { " (\($0))" } ?? ""))) }
        }
        if let c = t.linkedCase { facts.append(("Case", c)) }
        if let d = t.draft { facts.append(("Draft contact", d)) }
        for a in t.attachments { facts.append(("Attachment", "\(a.name)\(a.reportId.map { " \($0)" } ?? ""), SHA-256 \(a.sha256)")) }
        var body = header(t.subject, facts: facts)
        var said = "<section><h2>The issue in the customer's words</h2><dl>"
        said += dd("Problem", t.issue.summary) + dd("Started", t.issue.started + (t.issue.startedDay.map { " (\($0))" } ?? ""))
        said += dd("What changed", t.issue.changed)
        said += dd("Already tried", t.issue.tried.isEmpty ? TicketIssue.notStated : t.issue.tried.joined(separator: "; "))
        said += "</dl>"
        if let found = t.issue.changesFound {
            said += "<h3>Changes tmdiag found since the previous report</h3><ul>" + found.map { "<li>\(text($0))</li>" }.joined() + "</ul>"
        }
        said += "</section>\n"
        body += said
        if let report { body += devices(report) } else { body += ticketDevices(t.devices) }
        body += findings(t.findings, devices: report?.devices ?? [])
        if let r = t.routing {
            body += "<section><h2>Suggested department and channel</h2><dl>" + dd("Department", r.department)
            if let a = r.askFor { body += dd("Ask for", a) }
            body += dd("Why", r.reason) + "</dl><ul>"
            for c in r.channels + r.accessibility {
                body += "<li>\(text(c.name)): \(text(c.contact))\(c.hours.map { " (\(text($0)))" } ?? "")</li>"
            }
            body += "</ul>" + r.escalation.map { "<p>\(text($0))</p>" }.joined() + "</section>\n"
        }
        if !t.earlierContacts.isEmpty {
            body += "<section><h2>Earlier contacts</h2><ul>"
            for c in t.earlierContacts {
                body += "<li><strong>\(text(c.caseNumber))</strong>, \(day(c.date)), \(text(c.status))"
                    + (c.channel.map { ", \(text($0))" } ?? "") + (c.summary.map { ": \(text($0))" } ?? "")
                    + (c.resolution.map { " <em>Resolution:</em> \(text($0))" } ?? "") + "</li>"
            }
            body += "</ul></section>\n"
        }
        if let history { body += timeline(history) } else { body += ticketTimeline(t) }
        body += "<section><h2>Privacy</h2><p>\(text(t.reminder))</p></section>\n"
        return page(title: t.subject, body: body)
    }

    // MARK: - Parts

    /// Escapes for text and attribute values alike; control characters and other invisible
    /// or direction-changing characters are shown as the terminal shows them (`\u{202E}`).
    public static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in TerminalText.escape(s) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func day(_ d: Date) -> String { String(Timestamp.format(d).prefix(10)) }

    static func dd(_ label: String, _ value: String?) -> String {
        guard let value, !value.isEmpty else { return "" }
        return "<dt>\(text(label))</dt><dd>\(text(value))</dd>"
    }

    static func header(_ title: String, facts: [(String, String)]) -> String {
        "<header><h1>\(text(title))</h1><dl class=\"facts\">" + facts.map { dd($0.0, $0.1) }.joined() + "</dl></header>\n"
    }

    /// Signal quality as five bars (and the words, for print and screen readers).
    static func bars(_ s: SignalFacts) -> String {
        let n: Int
        switch s.quality {
        case .excellent: n = 5
        case .good: n = 4
        case .fair: n = 3
        case .poor: n = 1
        default: n = 0
        }
        var out = "<span class=\"bars\" role=\"img\" aria-label=\"signal \(text(s.quality.rawValue))\">"
        for i in 1...5 { out += "<span class=\"bar b\(i)\(i <= n ? " on" : "")\"></span>" }
        var words = [s.quality.rawValue]
        if let v = s.rsrpDbm { words.append("RSRP \(Int(v.rounded())) dBm") } else if let v = s.rssiDbm { words.append("RSSI \(v) dBm") }
        if let v = s.rsrqDb { words.append("RSRQ \(Int(v.rounded())) dB") }
        return out + "</span> " + text(words.joined(separator: ", "))
    }

    static func devices(_ r: DeviceReport) -> String {
        var out = "<section><h2>Devices</h2>"
        if r.devices.isEmpty { out += "<p>No phone, modem or hotspot was found, so nothing was checked.</p>" }
        for d in r.devices {
            let label = "\(d.device.kind.rawValue.capitalized) \(d.device.id)"
            out += "<article class=\"device\"><h3>\(text(label)): \(text(d.device.displayName))</h3><dl>"
            out += dd("USB / PCI id", "\(d.device.vendorId):\(d.device.productId)")
            out += dd("Serial", d.device.serial)
            if let m = d.modem {
                out += dd("Manufacturer", m.manufacturer) + dd("Model", m.model) + dd("Firmware", m.firmware) + dd("IMEI", m.imei)
                if let s = m.sim {
                    out += dd("SIM", [s.state.rawValue, s.iccid.map { "ICCID \($0)" }, s.imsi.map { "IMSI \($0)" },
                                      s.operator?.name.map { "home network \($0)" }].compactMap { $0 }.joined(separator: ", "))
                }
                if let g = m.registration {
                    let op = g.operator.flatMap { $0.name ?? [$0.mcc, $0.mnc].compactMap { $0 }.joined(separator: "-") }
                    out += dd("Network", [g.state.rawValue, g.technology, op].compactMap { $0 }.joined(separator: ", "))
                    if let c = g.rejectCause { out += dd("Reject cause", "\(c.kind.uppercased()) cause \(c.code)" + (c.meaning.map { ": \($0)" } ?? "")) }
                }
                if let s = m.signal { out += "<dt>Signal</dt><dd>\(bars(s))</dd>" }
            }
            if let h = d.handset {
                out += dd("Maker", h.manufacturer) + dd("Model", h.model) + dd("OS", h.osVersion) + dd("Build", h.build)
                out += dd("IMEI", h.imei?.joined(separator: ", ")) + dd("SIM", h.simStates?.joined(separator: ", "))
                out += dd("Operator", h.operators?.compactMap(\.name).joined(separator: ", "))
            }
            out += dd("Checked", d.probe.map { p in [p.coverage?.rawValue ?? "not recorded", p.method, p.note].compactMap { $0 }.joined(separator: "; ") })
            out += "</dl>"
            if !d.errors.isEmpty {
                out += "<h4>Errors, explained</h4><ul class=\"errors\">"
                for e in d.errors {
                    out += "<li><code>\(text((e.command.map { "\($0) -> " } ?? "") + e.raw))</code><br/>\(text(e.meaning))"
                        + (e.advice.map { "<br/><em>Advice:</em> \(text($0))" } ?? "") + "</li>"
                }
                out += "</ul>"
            }
            if let changes = d.changes, let first = changes.first {
                let since = first.previousAt.map(day) ?? "the previous report"
                out += "<h4>Changed since \(text(since)) (report \(text(first.previousReportId)))</h4><ul class=\"changes\">"
                for c in changes {
                    out += "<li>\(text(c.fieldWords)): <del>\(text(c.before))</del> &#8594; <ins>\(text(c.after))</ins></li>"
                }
                out += "</ul>"
            }
            out += "</article>"
        }
        return out + "</section>\n"
    }

    static func ticketDevices(_ devices: [TicketDevice]) -> String {
        var out = "<section><h2>Devices</h2>"
        if devices.isEmpty { out += "<p>No device report attached.</p>" }
        for d in devices {
            out += "<article class=\"device\"><h3>\(text(d.label)): \(text(d.name))</h3><dl>"
            out += dd("Manufacturer", d.manufacturer) + dd("Model", d.model) + dd("Firmware", d.firmware) + dd("IMEI", d.imei)
            out += dd("SIM", d.sim.map { [$0.state, $0.iccid, $0.imsi].compactMap { $0 }.joined(separator: ", ") })
            out += dd("Network", d.network.map { [$0.registration, $0.technology, $0.operator, $0.signal].compactMap { $0 }.joined(separator: ", ") })
            out += "</dl>"
            if !d.errors.isEmpty {
                out += "<h4>Errors, explained</h4><ul class=\"errors\">"
                for e in d.errors { out += "<li><code>\(text(e.raw))</code><br/>\(text(e.meaning))" + (e.advice.map { "<br/><em>Advice:</em> \(text($0))" } ?? "") + "</li>" }
                out += "</ul>"
            }
            out += "</article>"
        }
        return out + "</section>\n"
    }

    static func findings(_ findings: [Finding], devices: [ReportedDevice]) -> String {
        var out = "<section><h2>Findings</h2>"
        if findings.isEmpty { out += "<p>No rule found anything to report.</p>" }
        for f in findings {
            let sev = ["problem", "warning", "info"].contains(f.severity) ? f.severity : "info"
            out += "<article class=\"finding \(sev)\"><h3><span class=\"sev\">\(text(f.severity))</span> \(text(f.title))</h3>"
            out += "<p>\(text(f.reasoning))</p>"
            if let n = f.nextStep { out += "<p class=\"next\"><strong>Next step:</strong> \(text(n))</p>" }
            var meta = ["\(f.category)", "\(Int((f.confidence * 100).rounded()))% sure"]
            if let a = f.actor { meta.append("for: \(a)") }
            if let d = f.device { meta.append("device \(d)") }
            out += "<p class=\"meta\">\(text(meta.joined(separator: " · ")))</p>"
            if let ev = f.evidence, !ev.isEmpty {
                out += "<details><summary>Evidence</summary><pre>" + ev.map(text).joined(separator: "\n") + "</pre></details>"
            }
            out += "</article>"
        }
        return out + "</section>\n"
    }

    static func timeline(_ h: AccountHistory) -> String {
        var out = "<section><h2>Account history (\(text(h.account.id)))</h2><ol class=\"timeline\">"
        for e in h.events.sorted(by: { $0.at > $1.at }) {
            var detail: [String] = []
            if let v = e.plan { detail.append("plan \(v)") }
            if let v = e.device { detail.append("device \(v)") }
            if let v = e.country { detail.append(v) }
            if let v = e.caseNumber { detail.append("case \(v)") }
            out += "<li><time>\(day(e.at))\(e.endAt.map { " to " + day($0) } ?? "")</time> <strong>\(text(e.kind.rawValue.replacingOccurrences(of: "_", with: " ")))</strong> "
                + text(e.summary) + (detail.isEmpty ? "" : " <small>(\(text(detail.joined(separator: "; "))))</small>") + "</li>"
        }
        if h.events.isEmpty { out += "<li>No events in the window.</li>" }
        out += "</ol>"
        if h.eventsInWindow > h.events.count { out += "<p>…and \(h.eventsInWindow - h.events.count) older events in the window.</p>" }
        return out + "</section>\n"
    }

    static func ticketTimeline(_ t: Ticket) -> String {
        var out = "<section><h2>Recent service history (last \(t.historyDays) days)</h2><ol class=\"timeline\">"
        for e in t.history {
            out += "<li><time>\(day(e.at))\(e.endAt.map { " to " + day($0) } ?? "")</time> <strong>\(text(e.kind))</strong> \(text(e.summary))"
                + (e.detail.map { " <small>(\(text($0)))</small>" } ?? "") + "</li>"
        }
        if t.history.isEmpty { out += "<li>\(t.account == nil ? "Not known: no account history was available." : "No events in the window.")</li>" }
        out += "</ol>"
        if t.historyTotal > t.history.count { out += "<p>…and \(t.historyTotal - t.history.count) older events in the window.</p>" }
        return out + "</section>\n"
    }

    static let style = """
        body{font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:60rem;margin:1.5rem auto;padding:0 1rem}
        h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;border-bottom:2px solid #ccc;margin-top:1.6rem}h3{font-size:1.05rem;margin:.8rem 0 .3rem}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.4rem 0}dt{font-weight:600;color:#444}dd{margin:0;overflow-wrap:anywhere}
        code,pre{font-family:ui-monospace,monospace;font-size:.9em;white-space:pre-wrap;overflow-wrap:anywhere}
        .device,.finding{border:1px solid #ddd;border-radius:6px;padding:.5rem .9rem;margin:.7rem 0;break-inside:avoid}
        .finding.problem{border-left:6px solid #c62828}.finding.warning{border-left:6px solid #ef8f00}.finding.info{border-left:6px solid #1565c0}
        .sev{text-transform:uppercase;font-size:.75rem;letter-spacing:.05em;border:1px solid currentColor;border-radius:3px;padding:0 .3rem}
        .meta{color:#555;font-size:.85rem}.next{background:#f3f7ee;padding:.3rem .5rem}
        .bars{display:inline-flex;align-items:flex-end;gap:2px;height:1rem;vertical-align:middle}
        .bar{display:inline-block;width:5px;background:#ddd;border:1px solid #999}.bar.on{background:#2e7d32;border-color:#2e7d32}
        .b1{height:20%}.b2{height:40%}.b3{height:60%}.b4{height:80%}.b5{height:100%}
        .timeline{list-style:none;padding-left:0;border-left:3px solid #bbb}.timeline li{margin:.3rem 0 .3rem .8rem}
        .timeline time{font-family:ui-monospace,monospace;color:#555}del{color:#a00}ins{color:#060;text-decoration:none;font-weight:600}
        @media print{body{margin:0;max-width:none;font-size:11pt}details{display:block}.bar.on{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
        """

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="tmdiag \(text(TMDiag.version))"/>
        <title>\(text(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)<footer><p class="meta">Made by tmdiag \(text(TMDiag.version)). Identifiers are masked unless the page says otherwise.</p></footer>
        </body>
        </html>

        """
    }
}

/// Words for the report's verdict, shared by the page and the text.
enum FactsWords {
    static func verdict(_ v: ReportVerdict) -> String {
        switch v {
        case .noDevices: return "no devices found"
        case .problemsFound: return "problems found"
        case .incomplete: return "not everything could be read"
        case .nothingWrongFound: return "nothing wrong found"
        }
    }
}
