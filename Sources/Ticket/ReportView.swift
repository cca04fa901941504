import Foundation
import TMDiagCore

/// A saved device report shown for a person (`tmdiag show`): the same device sections a ticket
/// has, plus the report's own findings. Masks unless `reveal` says otherwise; escapes all text.
public enum ReportView {
    public static func text(_ report: DeviceReport, reveal: RevealSet = .none, tacModels: [String: String] = [:],
                            checked: String) -> String {
        let r = report.masked(reveal)
        var header: [TicketDocument.Item] = [
            .field("Report", r.reportId),
            .field("Created", Timestamp.format(r.createdAt)),
            .field("Tool", "\(r.tool.name) \(r.tool.version)"),
            .field("Digest", checked),
        ]
        if let os = r.host.os { header.append(.field("Host", os + (r.host.kernel.map { ", kernel \($0)" } ?? ""))) }
        var sections: [TicketDocument.Section] = [.init(title: "Report", items: header)]
        let devices = r.devices.map { TicketBuilder.device($0, tacModels) }
        let ticket = Ticket(createdAt: r.createdAt, subject: "", account: nil, devices: devices, history: [], historyDays: 0,
                            historyTotal: 0, earlierContacts: [], issue: TicketIssue(summary: "", started: "", startedDay: nil,
                            changed: "", tried: [], secretRemoved: false), findings: r.findings, routing: nil,
                            attachments: [], reminder: "", draft: nil, revealed: [])
        let doc = ticket.document()
        sections += doc.sections.filter { $0.title.hasPrefix("Device") }
        if r.findings.isEmpty {
            sections.append(.init(title: "Findings", items: [.para("None recorded in the report.")]))
        } else {
            sections += doc.sections.filter { $0.title == "Findings" }
        }
        if devices.isEmpty { sections.append(.init(title: "Devices", items: [.para("The report lists no devices.")])) }
        let text = TextRenderer.render(TicketDocument(subject: "device report \(r.reportId)", sections: sections), subjectLabel: "tmdiag ")
        return text
    }
}
