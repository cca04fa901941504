import Foundation
import TMDiagCore

/// A support ticket: everything an agent would ask for, masked and cleaned, ready to render.
/// Strings that came from a device, a history file or the customer are kept as they are here
/// (masked); the renderers escape them.
public struct Ticket: Codable, Sendable, Hashable {
    public static let currentSchemaVersion = 1
    public var schemaVersion: Int = Ticket.currentSchemaVersion
    public var createdAt: Date
    public var subject: String
    public var account: TicketAccount?
    public var devices: [TicketDevice]
    /// Relevant events of the last `historyDays` days, newest first.
    public var history: [TicketEvent]
    public var historyDays: Int
    /// How many relevant events the window held (more than `history.count` when cut).
    public var historyTotal: Int
    public var earlierContacts: [TicketContact]
    public var issue: TicketIssue
    public var findings: [Finding]
    public var routing: TicketRouting?
    public var attachments: [TicketAttachment]
    public var reminder: String
    /// The draft contact recorded in the store (`DRAFT-3`), once recorded.
    public var draft: String?
    /// The case the ticket is for (`--case`); its report is linked to it for `verify`.
    public var linkedCase: String?
    /// Which identifiers were left unmasked.
    public var revealed: [String]
}

public struct TicketAccount: Codable, Sendable, Hashable {
    public var id: String
    public var holder: String?
    public var type: String
    public var plan: String?
    /// The line (masked) the report's device belongs to, else the account's first line.
    public var line: String?
    public var lineDevice: String?
}

public struct TicketDevice: Codable, Sendable, Hashable {
    public var id: String
    public var kind: String
    public var name: String
    /// How much of it the report could read (`complete`, `partial`, `none`); nil when the
    /// report did not say.
    public var coverage: String?

    /// How the device is named in the report and the ticket alike: kind and bus id.
    public var label: String { "\(kind.capitalized) \(id)" }
    public var manufacturer: String?
    public var model: String?
    public var firmware: String?
    public var imei: String?
    /// The model the IMEI's TAC names (from the TAC table or a device profile).
    public var tacModel: String?
    public var sim: TicketSIM?
    public var network: TicketNetwork?
    public var errors: [TicketError]
    public var note: String?
}

public struct TicketSIM: Codable, Sendable, Hashable {
    public var state: String
    public var detail: String?
    public var iccid: String?
    public var imsi: String?
    public var homeOperator: String?
}

public struct TicketNetwork: Codable, Sendable, Hashable {
    public var registration: String
    public var technology: String?
    public var `operator`: String?
    public var rejectCause: String?
    public var signal: String?
}

public struct TicketError: Codable, Sendable, Hashable {
    public var command: String?
    public var raw: String
    public var meaning: String
    public var advice: String?
}

public struct TicketEvent: Codable, Sendable, Hashable {
    public var at: Date
    public var endAt: Date?
    public var kind: String
    public var summary: String
    public var detail: String?
}

public struct TicketContact: Codable, Sendable, Hashable {
    public var caseNumber: String
    public var date: Date
    public var channel: String?
    public var rep: String?
    public var status: String
    public var summary: String?
    public var resolution: String?
}

public struct TicketIssue: Codable, Sendable, Hashable {
    public static let notStated = "not stated"
    public var summary: String
    public var started: String
    /// The day `started` means, when understood.
    public var startedDay: String?
    public var changed: String
    /// What tmdiag found changed since each device's previous saved report, beside the
    /// customer's own words (`Firmware: A -> B (since 2026-11-02, report R-…)`); masked.
    public var changesFound: [String]?
    public var tried: [String]
    /// True when a PIN, PUK, passcode or password was removed from the customer's words.
    public var secretRemoved: Bool
}

public struct TicketRouting: Codable, Sendable, Hashable {
    public var department: String
    public var askFor: String?
    public var reason: String
    public var channels: [TicketChannel]
    /// How to escalate, with the earlier case numbers, when earlier contacts did not fix it.
    public var escalation: [String]
    public var quoteCases: [String]
    public var accessibility: [TicketChannel]
}

public struct TicketChannel: Codable, Sendable, Hashable {
    public var name: String
    public var contact: String
    public var hours: String?
    public var note: String?
}

public struct TicketAttachment: Codable, Sendable, Hashable {
    public var name: String
    public var reportId: String?
    public var sha256: String
}
