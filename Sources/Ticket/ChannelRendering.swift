import Foundation
import Profiles
import TMDiagCore

/// Where the ticket goes (`ticket --for`): each support channel wants its own shape.
public enum TicketChannelKind: String, Sendable, CaseIterable {
    /// The full ticket for a case form (in `--format`).
    case `case`
    /// A first chat message: the essentials in at most 1,500 characters.
    case chat
    /// An email: a `Subject:` line and the full ticket as the body.
    case email
    /// A public post: at most 280 characters, no identifier digits at all, asks to continue
    /// in a private message.
    case social
    /// A call: what to have ready and what to say first.
    case voice

    public static let chatLimit = 1_500
    public static let socialLimit = 280

    /// The carrier channel kinds (`Profiles/carriers`) that serve this one.
    var carrierKinds: [String] {
        switch self {
        case .case: return []
        case .chat: return ["chat"]
        case .email: return ["email"]
        case .social: return ["social"]
        case .voice: return ["phone"]
        }
    }
}

extension Ticket {
    /// The ticket for a channel other than a case form. Text only: every untrusted string is
    /// terminal-escaped, as in the text ticket.
    public func render(for channel: TicketChannelKind, carrier: CarrierProfile?) throws -> String {
        switch channel {
        case .case: return try render(.text)
        case .email: return emailText(carrier)
        case .chat: return chatText(carrier)
        case .social: return socialText(carrier)
        case .voice: return voiceText(carrier)
        }
    }

    static func esc(_ s: String) -> String { TerminalText.escape(s) }

    /// The carrier's channel of this kind, in words, with where to find it.
    func whereToFind(_ channel: TicketChannelKind, _ carrier: CarrierProfile?) -> String? {
        guard let c = carrier?.channels.first(where: { channel.carrierKinds.contains($0.kind) }) else { return nil }
        return "\(c.name): \(c.contact)" + (c.hours.map { " (\($0))" } ?? "")
    }

    /// The finding the ticket leads with (repeated cases are about the contacts, not the problem).
    var topFinding: Finding? {
        findings.first { $0.severity != "info" && $0.id != "repeated-cases" } ?? findings.first { $0.id != "repeated-cases" }
    }

    /// The lead problem in a few words: the top finding, else the customer's words.
    var headline: String {
        if let t = topFinding?.title { return t }
        return issue.summary == TicketIssue.notStated ? "Support request" : issue.summary
    }

    var mainDevice: TicketDevice? {
        let top = findings.first { $0.severity != "info" }
        return devices.first { $0.id == top?.device } ?? devices.first
    }

    func deviceWords(_ d: TicketDevice) -> String {
        [d.manufacturer, d.model].compactMap { $0 }.joined(separator: " ").nilIfEmpty ?? d.name
    }

    func emailText(_ carrier: CarrierProfile?) -> String {
        // The text ticket starts with its own Subject: line; the body follows a greeting.
        var lines = TextRenderer.render(document()).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let subjectLines = lines.prefix { !$0.isEmpty }.count
        var intro = ["", "Hello,", "", "Please find the details of my problem below, collected by tmdiag from the device "
                     + "and my account history. Identifiers are masked; I can confirm them when you verify me."]
        if let w = whereToFind(.email, carrier) { intro.append("(Sent to \(Self.esc(w)).)") }
        else if carrier != nil {
            intro.append("(The carrier profile names no support email address: send this where support asks for it, "
                         + "e.g. as a reply on an open case.)")
        }
        lines.insert(contentsOf: intro.flatMap { TextWrap.wrap($0, width: TextRenderer.width, hanging: "") }, at: subjectLines)
        return lines.joined(separator: "\n")
    }

    func chatText(_ carrier: CarrierProfile?) -> String {
        var parts: [String] = ["Hi, I need help: \(headline)."]
        if let d = mainDevice {
            var s = "Device: \(deviceWords(d))"
            if let fw = d.firmware { s += ", software \(fw)" }
            if let sim = d.sim { s += "; SIM \(sim.state)" }
            if let n = d.network { s += "; network \(n.registration)" + (n.rejectCause.map { " (\($0))" } ?? "") }
            parts.append(s + ".")
            for e in d.errors.prefix(2) { parts.append("Error: \(e.raw) (\(e.meaning)).") }
        }
        if issue.summary != TicketIssue.notStated { parts.append("In my words: \(issue.summary)") }
        if issue.started != TicketIssue.notStated { parts.append("Started: \(issue.started).") }
        var changed: [String] = []
        if issue.changed != TicketIssue.notStated { changed.append(issue.changed) }
        changed += (issue.changesFound ?? []).prefix(3)
        if !changed.isEmpty { parts.append("What changed: " + changed.joined(separator: "; ") + ".") }
        if !issue.tried.isEmpty { parts.append("Already tried: " + issue.tried.joined(separator: "; ") + ".") }
        if let n = topFinding?.nextStep { parts.append("tmdiag suggests: \(n)") }
        let cases = routing?.quoteCases ?? []
        if !cases.isEmpty { parts.append("Earlier cases: \(cases.joined(separator: ", ")).") }
        if let c = linkedCase { parts.append("Case: \(c).") }
        parts.append("I have the full tmdiag report if you need it.")
        // Essentials first: what does not fit is left out whole, never cut mid-sentence.
        var out = ""
        for p in parts.map(Self.esc) {
            let next = out.isEmpty ? p : out + "\n" + p
            if next.count <= TicketChannelKind.chatLimit { out = next }
        }
        return out + "\n"
    }

    /// No digit at all: a public post must not carry an account, a number, an IMEI, an ICCID
    /// or an IMSI, not even their last four; model names and dates lose theirs too.
    static func withoutDigits(_ s: String) -> String {
        let kept = s.map { $0.isNumber ? " " : $0 }.reduce(into: "") { $0.append($1) }
        return kept.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            .replacingOccurrences(of: " ,", with: ",").replacingOccurrences(of: " .", with: ".")
    }

    func socialText(_ carrier: CarrierProfile?) -> String {
        let kind = mainDevice.map { $0.kind == "handset" ? "phone" : $0.kind } ?? "phone"
        var problem = Self.withoutDigits(headline)
        if problem.count > 120 { problem = String(problem.prefix(119)) + "…" }
        let ask = "Could you continue with me in a private message? I have a diagnostic report ready."
        let privacy = "(No account details here.)"
        var text = "Hi, I need help with my \(kind): \(problem). \(ask) \(privacy)"
        if text.count > TicketChannelKind.socialLimit { text = "Hi, I need help with my \(kind). \(ask) \(privacy)" }
        return Self.withoutDigits(Self.esc(text)) + "\n"
    }

    func voiceText(_ carrier: CarrierProfile?) -> String {
        var out: [String] = []
        func para(_ s: String, _ lead: String = "", hanging: String = "") {
            out += TextWrap.wrap(lead + Self.esc(s), width: TextRenderer.width, hanging: hanging)
        }
        para("Before you call")
        if let w = whereToFind(.voice, carrier) { para(w, "  Call ", hanging: "    ") }
        if let r = routing, let ask = r.askFor { para(ask, "  Ask for: ", hanging: "    ") }
        out.append("")
        para("Have ready:")
        var ready: [String] = []
        ready.append("The account holder's name" + (account?.holder.map { " (\($0))" } ?? "") + ", and the account or line")
        if let d = mainDevice {
            ready.append("The device: \(deviceWords(d))" + (d.firmware.map { ", software version \($0)" } ?? ""))
        }
        let errors = (mainDevice?.errors ?? []).prefix(3).map(\.meaning)
        if !errors.isEmpty { ready.append("The error in plain words: " + errors.joined(separator: "; ")) }
        var changed: [String] = []
        if issue.changed != TicketIssue.notStated { changed.append(issue.changed) }
        changed += issue.changesFound ?? []
        ready.append("What changed: " + (changed.isEmpty ? "nothing known" : changed.joined(separator: "; ")))
        ready.append("What you tried: " + (issue.tried.isEmpty ? "nothing yet" : issue.tried.joined(separator: "; ")))
        let cases = earlierContacts.map(\.caseNumber).filter { !$0.hasPrefix("DRAFT-") } + [linkedCase].compactMap { $0 }
        if !cases.isEmpty { ready.append("Earlier case numbers: " + cases.joined(separator: ", ")) }
        for r in ready { para(r, "  - ", hanging: "    ") }
        out.append("")
        para("Say first:")
        // "SIM not working" stays as it is; "No SIM detected" reads on as "no SIM detected".
        let lead = headline.dropFirst().first?.isLowercase == true ? headline.prefix(1).lowercased() + headline.dropFirst() : headline
        var first = "Hello, I'm calling about \(lead)"
        if let d = mainDevice { first += " on my \(deviceWords(d))" }
        if issue.started != TicketIssue.notStated { first += ", since \(issue.started)" }
        first += "."
        if let c = linkedCase ?? cases.first { first += " It is about case \(c)." }
        first += " I ran a diagnostic and can read you the results."
        para("\"\(first)\"", "  ", hanging: "  ")
        out.append("")
        para("The agent may verify who you are. Give a PIN, password or security answer only by voice, only when "
             + "the agent asks, and never in writing; tmdiag never asks for them or stores them.")
        return out.joined(separator: "\n") + "\n"
    }
}
