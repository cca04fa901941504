import Foundation
import TMDiagCore

/// Follow-up after a fix: which report a case's ticket was made from, and the follow-up
/// events `tmdiag verify` records on the case.
extension HistoryStore {
    /// A case by its number (`CAS-88231`) or a draft by its handle (`DRAFT-3`).
    public func supportCase(handle: String) throws(TMDiagError) -> SupportCase? {
        let h = handle.trimmingSpaces
        if h.uppercased().hasPrefix("DRAFT-"), let id = Int64(h.dropFirst(6)) {
            return try backend.draft(id: id)
        }
        return try supportCase(number: h)
    }

    /// Links a report to a case: the report a ticket for the case was made from, which
    /// `verify` compares a later report with. Linking twice is harmless.
    @discardableResult
    public func linkReport(_ reportId: String, toCase handle: String) throws(TMDiagError) -> SupportCase {
        guard let c = try supportCase(handle: handle), let id = c.id else {
            throw TMDiagError("--case: no case '\(TerminalText.escape(handle, limit: 64))' in the store "
                              + "(record it with `tmdiag history add-case`)", status: .notFound)
        }
        try write { w in try w.link(caseId: id, reportId: reportId.trimmingSpaces) }
        return try supportCase(handle: handle) ?? c
    }

    /// The report a case's ticket was made from: the earliest of the reports linked to it
    /// (the problem as first reported), when it is still in the store.
    public func ticketReport(of c: SupportCase) throws(TMDiagError) -> StoredReport? {
        var found: [StoredReport] = []
        for id in c.reportIds { if let r = try report(id: id) { found.append(r) } }
        return found.min { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// The newest case or draft of an account that is not closed and has a report to
    /// compare with: what `verify` follows up when no case is named.
    public func openCaseWithReport(account: String) throws(TMDiagError) -> SupportCase? {
        try cases(account: account).filter { $0.status != .closed && !$0.reportIds.isEmpty }
            .max { ($0.updatedAt, $0.id ?? 0) < ($1.updatedAt, $1.id ?? 0) }
    }

    /// Records a follow-up on a case as a `note` event of its account, carrying the case
    /// number (drafts have none: their handle is in the summary). `history show` lists it.
    public func recordFollowUp(on c: SupportCase, summary: String, at: Date) throws(TMDiagError) {
        var e = EventInput(at: Int64(at.timeIntervalSince1970.rounded(.down)), kind: .note, summary: summary)
        e.caseNumber = c.number
        try addEvent(account: c.accountId, e)
    }
}
