import Foundation
import GRDB
import TMDiagCore

/// The SQLite writer (`ImportWriter`, the import path) with the rest of the store's writes:
/// cases, drafts, report links, reports, TAC rows.
extension ImportWriter: StoreWriter {
    func storedAccountIds() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT id FROM account")
    }

    func supportCase(number: String) throws -> SupportCase? { try SupportCase.find(db, number: number) }

    func newestDraft(accountId: String) throws -> SupportCase? { try SupportCase.newestDraft(db, accountId: accountId) }

    func update(case c: SupportCase) throws { try c.update(db) }

    func draftId(accountId: String, reportId: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT c.id FROM supportCase c JOIN caseReport r ON r.supportCaseId = c.id
            WHERE c.accountId = ? AND c.status = 'draft' AND r.reportId = ? ORDER BY c.id LIMIT 1
            """, arguments: [accountId, reportId])
    }

    func updateDraft(id: Int64, summary: String?, updatedAt: Int64) throws {
        try db.execute(sql: "UPDATE supportCase SET summary = ?, updatedAt = ? WHERE id = ?", arguments: [summary, updatedAt, id])
    }

    func insert(case c: SupportCase) throws -> Int64 {
        var c = c
        try c.insert(db)
        return c.id ?? db.lastInsertedRowID
    }

    func link(caseId: Int64, reportId: String) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO caseReport (supportCaseId, reportId) VALUES (?, ?)", arguments: [caseId, reportId])
    }

    func save(report: StoredReport) throws {
        try db.execute(sql: "DELETE FROM report WHERE id = ?", arguments: [report.id])
        try ReportRecord(id: report.id, createdAt: report.createdAt, json: report.json, sha256: report.sha256).insert(db)
        for (kind, value) in report.identifierRows {
            try ReportIdentifier(reportId: report.id, kind: kind, value: value).insert(db)
        }
    }

    func upsertTAC(_ tac: String, manufacturer: String?, model: String?) throws {
        try db.execute(sql: """
            INSERT INTO tac (tac, manufacturer, model) VALUES (?, ?, ?)
            ON CONFLICT(tac) DO UPDATE SET manufacturer = excluded.manufacturer, model = excluded.model
            """, arguments: [tac, manufacturer, model])
    }
}

extension StoredReport {
    /// The (kind, value) rows of `reportIdentifier` for this report, each once.
    var identifierRows: [(String, String)] {
        let groups: [(String, [String])] = [("imei", imeis), ("iccid", iccids), ("imsi", imsis), ("msisdn", msisdns), ("serial", serials)]
        var rows: [(String, String)] = []
        for (kind, values) in groups {
            var seen = Set<String>()
            for value in values where !value.isEmpty && seen.insert(value).inserted { rows.append((kind, value)) }
        }
        return rows
    }
}
