import Foundation
import TMDiagCore

/// Ticket output formats.
public enum TicketFormat: String, Sendable, CaseIterable {
    case text, markdown, json
}

extension Ticket {
    public func render(_ format: TicketFormat) throws -> String {
        switch format {
        case .text: return TextRenderer.render(document())
        case .markdown: return MarkdownRenderer.render(document())
        case .json: return String(decoding: try JSONCoding.encode(self), as: UTF8.self)
        }
    }
}

/// A format-neutral outline of the ticket; every string in it is escaped by the renderer.
struct TicketDocument {
    enum Item {
        case field(String, String)
        case bullet(String, [String])
        case para(String)
        case list(String, [String])
    }
    struct Section {
        var title: String
        var items: [Item]
    }
    var subject: String
    var sections: [Section]
}

extension Ticket {
    static func day(_ d: Date) -> String { String(Timestamp.format(d).prefix(10)) }

    func document() -> TicketDocument {
        var sections: [TicketDocument.Section] = []
        if let a = account {
            var items: [TicketDocument.Item] = []
            if let v = a.holder { items.append(.field("Holder", v)) }
            items.append(.field("Account", "\(a.id) (\(a.type))"))
            if let v = a.plan { items.append(.field("Plan", v)) }
            if let v = a.line { items.append(.field("Line", v + (a.lineDevice.map { " (\($0))" } ?? ""))) }
            sections.append(.init(title: "Account", items: items))
        } else {
            sections.append(.init(title: "Account", items: [.para("Not found in the history store; the agent will look it up.")]))
        }
        if devices.isEmpty {
            sections.append(.init(title: "Device", items: [.para("No device report attached.")]))
        }
        for d in devices {
            var items: [TicketDocument.Item] = [.field("Device", d.name)]
            if let v = d.manufacturer { items.append(.field("Manufacturer", v)) }
            if let v = d.model { items.append(.field("Model", v)) }
            if let v = d.firmware { items.append(.field("Firmware", v)) }
            if let v = d.imei { items.append(.field("IMEI", v + (d.tacModel.map { " (TAC model: \($0))" } ?? ""))) }
            if let s = d.sim {
                var v = s.state
                if let x = s.detail { v += " (\(x))" }
                if let x = s.iccid { v += ", ICCID \(x)" }
                if let x = s.imsi { v += ", IMSI \(x)" }
                if let x = s.homeOperator { v += ", home network \(x)" }
                items.append(.field("SIM", v))
            }
            if let n = d.network {
                var v = n.registration
                if let x = n.technology { v += ", \(x)" }
                if let x = n.operator { v += ", \(x)" }
                items.append(.field("Network", v))
                if let x = n.rejectCause { items.append(.field("Reject cause", x)) }
                if let x = n.signal { items.append(.field("Signal", x)) }
            }
            if let v = d.note { items.append(.field("Note", v)) }
            if d.errors.isEmpty {
                items.append(.field("Errors", "none reported"))
            } else {
                for e in d.errors {
                    var sub = ["means: " + e.meaning]
                    if let a = e.advice { sub.append("advice: " + a) }
                    items.append(.bullet((e.command.map { "\($0) -> " } ?? "") + e.raw, sub))
                }
            }
            if d.coverage == "none" { items.append(.field("Checked", "could not be read (see the note)")) }
            else if d.coverage == "partial" { items.append(.field("Checked", "partly read: some queries got no answer")) }
            sections.append(.init(title: devices.count > 1 ? d.label : "Device, SIM and network (\(d.label))", items: items))
        }
        var hist: [TicketDocument.Item] = history.map { e in
            var when = Self.day(e.at)
            if let end = e.endAt { when += " to " + Self.day(end) }
            return .bullet("\(when) \(e.kind): \(e.summary)", e.detail.map { [$0] } ?? [])
        }
        // Without an account nothing was looked at: the history is not known, not empty.
        if hist.isEmpty {
            hist = [.para(account == nil
                ? "Not known: no account history was available to tmdiag."
                : "No plan, SIM, device, outage, roaming or billing events in the last \(historyDays) days.")]
        }
        if historyTotal > history.count { hist.append(.para("…and \(historyTotal - history.count) older events in the window.")) }
        sections.append(.init(title: "Recent service history (last \(historyDays) days, newest first)", items: hist))
        var contacts: [TicketDocument.Item] = earlierContacts.map { c in
            var head = "\(c.caseNumber), \(Self.day(c.date))"
            if let v = c.channel { head += ", \(v)" }
            if let v = c.rep { head += ", \(v)" }
            head += ", \(c.status)"
            var sub: [String] = []
            if let v = c.summary { sub.append("issue: " + v) }
            sub.append("resolution: " + (c.resolution ?? "none recorded"))
            return .bullet(head, sub)
        }
        if contacts.isEmpty { contacts = [.para(account == nil ? "Not known: no account history was available." : "None recorded.")] }
        sections.append(.init(title: "Earlier contacts", items: contacts))
        var said: [TicketDocument.Item] = [
            .field("Problem", issue.summary),
            .field("Started", issue.started + (issue.startedDay.map { $0 == issue.started ? "" : " (\($0))" } ?? "")),
            .field("What changed", issue.changed),
        ]
        if let found = issue.changesFound { said.append(.list("Changes tmdiag found since the previous report", found)) }
        if issue.tried.isEmpty { said.append(.field("Already tried", TicketIssue.notStated)) }
        else { said.append(.list("Already tried", issue.tried)) }
        if issue.secretRemoved {
            said.append(.para("A PIN, PUK, passcode or password typed into the description was removed."))
        }
        sections.append(.init(title: "The issue as the customer states it", items: said))
        var f: [TicketDocument.Item] = findings.map { x in
            var sub = [x.reasoning]
            if let n = x.nextStep { sub.append("Next step: " + n) }
            if let a = x.actor { sub.append("Who acts: " + a) }
            // The lines the finding was drawn from, as the device gave them (already masked).
            for e in (x.evidence ?? []).prefix(8) { sub.append("Evidence: " + e) }
            let pct = Int((x.confidence * 100).rounded())
            let about = x.device.flatMap { id in devices.first { $0.id == id } }.map { " (\($0.label))" } ?? ""
            return .bullet("[\(x.severity), \(x.category), \(pct)% sure] \(x.title)\(about)", sub)
        }
        if f.isEmpty {
            let unread = devices.filter { $0.coverage != "complete" }
            if devices.isEmpty {
                f = [.para("None: without a device report nothing on the device side was checked.")]
            } else if !unread.isEmpty {
                f = [.para("No finding, but not everything was checked: "
                           + unread.map { "\($0.label) " + ($0.coverage == "partial" ? "was only partly read" : "could not be read") }
                               .joined(separator: "; ") + ". The cause may be in what could not be read.")]
            } else {
                f = [.para("No rule matched: nothing in the report or the history explains the issue.")]
            }
        }
        sections.append(.init(title: "Findings", items: f))
        if let r = routing {
            var items: [TicketDocument.Item] = [.field("Department", r.department)]
            if let v = r.askFor { items.append(.field("Ask for", v)) }
            items.append(.field("Why", r.reason))
            for c in r.channels {
                var sub: [String] = []
                if let h = c.hours { sub.append("hours: " + h) }
                if let n = c.note { sub.append(n) }
                items.append(.bullet("\(c.name): \(c.contact)", sub))
            }
            for c in r.accessibility { items.append(.bullet("\(c.name): \(c.contact)", [])) }
            for e in r.escalation { items.append(.para(e)) }
            sections.append(.init(title: "Suggested department and channel", items: items))
        }
        var att: [TicketDocument.Item] = attachments.map { a in
            .bullet("\(a.name)\(a.reportId.map { " \($0)" } ?? ""), SHA-256 \(a.sha256)", [])
        }
        if let d = draft { att.append(.field("Draft contact", "\(d) (give the agent's case number to `tmdiag history add-case`)")) }
        if let c = linkedCase { att.append(.field("Case", "\(c) (this report is linked to it: `tmdiag verify --case \(c)` checks the fix)")) }
        if att.isEmpty { att = [.para("None.")] }
        sections.append(.init(title: "Attachments", items: att))
        sections.append(.init(title: "Privacy", items: [.para(reminder)]))
        return TicketDocument(subject: subject, sections: sections)
    }
}

/// Plain text wrapped at 72 columns; untrusted text escaped with `TerminalText`.
enum TextRenderer {
    static let width = 72

    static func render(_ doc: TicketDocument, subjectLabel: String = "Subject: ") -> String {
        var out: [String] = []
        out += wrap(subjectLabel + esc(doc.subject), indent: "", hanging: String(repeating: " ", count: subjectLabel.count))
        for s in doc.sections {
            out.append("")
            out.append(s.title.uppercased())
            for item in s.items {
                switch item {
                case .field(let label, let value):
                    let head = "  " + label + ": "
                    if value.isEmpty { out.append(head.trimmingSpacesRight); continue }
                    out += wrap(head + esc(value), indent: "", hanging: "    ")
                case .bullet(let text, let sub):
                    out += wrap("  - " + esc(text), indent: "", hanging: "    ")
                    for x in sub { out += wrap("    " + esc(x), indent: "", hanging: "    ") }
                case .para(let text):
                    out += wrap("  " + esc(text), indent: "", hanging: "  ")
                case .list(let label, let items):
                    out.append("  " + label + ":")
                    for x in items { out += wrap("    - " + esc(x), indent: "", hanging: "      ") }
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func esc(_ s: String) -> String { TerminalText.escape(s) }

    static func wrap(_ line: String, indent: String, hanging: String) -> [String] {
        TextWrap.wrap(line, width: width, hanging: hanging)
    }
}

/// Markdown; untrusted text escaped with `TerminalText` and then for Markdown.
enum MarkdownRenderer {
    static func render(_ doc: TicketDocument) -> String {
        var out: [String] = ["# " + esc(doc.subject)]
        for s in doc.sections {
            out.append("")
            out.append("## " + s.title)
            out.append("")
            for item in s.items {
                switch item {
                case .field(let label, let value):
                    out.append("- **\(label):**" + (value.isEmpty ? "" : " " + esc(value)))
                case .bullet(let text, let sub):
                    out.append("- " + esc(text))
                    for x in sub { out.append("  - " + esc(x)) }
                case .para(let text):
                    if out.last?.isEmpty == false { out.append("") }
                    out.append(esc(text))
                case .list(let label, let items):
                    out.append("- **\(label):**")
                    for x in items { out.append("  - " + esc(x)) }
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "~", "!", "&", "{", "}"]

    /// Terminal-escaped, then every Markdown-active character backslash-escaped, so that text
    /// from a device or a history file can't make links, images, HTML, code or headings.
    static func esc(_ s: String) -> String {
        var out = ""
        for ch in TerminalText.escape(s) {
            if special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

