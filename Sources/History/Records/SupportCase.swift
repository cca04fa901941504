import Foundation
import GRDB

/// A support contact: a case with the carrier (number, channel, rep, status, resolution), or a
/// draft that `tmdiag ticket` recorded before the customer had a case number.
public struct SupportCase: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "supportCase"
    public var id: Int64?
    /// The carrier's case number (`CAS-88231`); nil while a draft.
    public var number: String?
    public var accountId: String
    public var channel: ContactChannel?
    public var rep: String?
    public var status: CaseStatus
    public var summary: String?
    public var resolution: String?
    public var openedAt: Date
    public var updatedAt: Date
    /// Report ids linked to the case (from `caseReport`).
    public var reportIds: [String] = []

    // The JSON form carries `reportIds`; the row (below) does not: they live in `caseReport`.
    public init(row: Row) throws {
        id = row["id"]
        number = row["number"]
        accountId = row["accountId"]
        channel = (row["channel"] as String?).flatMap(ContactChannel.init(rawValue:))
        rep = row["rep"]
        status = CaseStatus(rawValue: row["status"] ?? "") ?? .open
        summary = row["summary"]
        resolution = row["resolution"]
        openedAt = Date(timeIntervalSince1970: TimeInterval(row["openedAt"] as Int64? ?? 0))
        updatedAt = Date(timeIntervalSince1970: TimeInterval(row["updatedAt"] as Int64? ?? 0))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["number"] = number
        container["accountId"] = accountId
        container["channel"] = channel?.rawValue
        container["rep"] = rep
        container["status"] = status.rawValue
        container["summary"] = summary
        container["resolution"] = resolution
        container["openedAt"] = Int64(openedAt.timeIntervalSince1970.rounded(.down))
        container["updatedAt"] = Int64(updatedAt.timeIntervalSince1970.rounded(.down))
    }

    public init(id: Int64? = nil, number: String?, accountId: String, channel: ContactChannel?, rep: String?,
                status: CaseStatus, summary: String?, resolution: String?, openedAt: Date, updatedAt: Date,
                reportIds: [String] = []) {
        self.id = id
        self.number = number
        self.accountId = accountId
        self.channel = channel
        self.rep = rep
        self.status = status
        self.summary = summary
        self.resolution = resolution
        self.openedAt = openedAt
        self.updatedAt = updatedAt
        self.reportIds = reportIds
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The handle a draft is known by until it gets a case number.
    public var handle: String { number ?? "DRAFT-\(id ?? 0)" }
}

extension SupportCase {
    static func withReports(_ db: Database, _ cases: [SupportCase]) throws -> [SupportCase] {
        try cases.map { c in
            var c = c
            c.reportIds = try String.fetchAll(db, sql: "SELECT reportId FROM caseReport WHERE supportCaseId = ? ORDER BY reportId",
                                              arguments: [c.id])
            return c
        }
    }

    static func forAccount(_ db: Database, _ accountId: String) throws -> [SupportCase] {
        var cases = try SupportCase.fetchAll(db, sql: """
            SELECT * FROM supportCase WHERE accountId = ? ORDER BY openedAt, id
            """, arguments: [accountId])
        // One query for the linked reports of all of them, not one per case.
        var reports: [Int64: [String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT caseReport.supportCaseId, caseReport.reportId FROM caseReport
            JOIN supportCase ON supportCase.id = caseReport.supportCaseId
            WHERE supportCase.accountId = ? ORDER BY caseReport.reportId
            """, arguments: [accountId]) {
            reports[row[0], default: []].append(row[1])
        }
        for i in cases.indices { cases[i].reportIds = reports[cases[i].id ?? -1] ?? [] }
        return cases
    }

    static func find(_ db: Database, number: String) throws -> SupportCase? {
        try withReports(db, SupportCase.fetchAll(db, sql: "SELECT * FROM supportCase WHERE number = ?",
                                                 arguments: [number])).first
    }

    static func newestDraft(_ db: Database, accountId: String) throws -> SupportCase? {
        try SupportCase.fetchOne(db, sql: """
            SELECT * FROM supportCase WHERE accountId = ? AND status = 'draft' ORDER BY openedAt DESC, id DESC LIMIT 1
            """, arguments: [accountId])
    }

    static func forReport(_ db: Database, reportId: String) throws -> [SupportCase] {
        try withReports(db, SupportCase.fetchAll(db, sql: """
            SELECT supportCase.* FROM supportCase JOIN caseReport ON caseReport.supportCaseId = supportCase.id
            WHERE caseReport.reportId = ? ORDER BY openedAt
            """, arguments: [reportId]))
    }
}
