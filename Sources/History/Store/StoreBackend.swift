import Foundation
import TMDiagCore

/// What a store backend (an SQLite file, a PostgreSQL database) answers: the primitive
/// queries. Everything composed from them (lookups, masking, history, follow-ups, changes,
/// export) is `HistoryStore`'s, written once for both backends.
///
/// Account ids, case numbers and report ids compare case-insensitively on both backends.
/// Events come oldest first unless a method says otherwise.
protocol StoreBackend: Sendable {
    /// The store as messages name it: the file path, or the URL (which has no password).
    var shown: String { get }

    func schemaVersion() throws(TMDiagError) -> Int

    func account(id: String) throws(TMDiagError) -> Account?
    /// Every account, by id.
    func accounts() throws(TMDiagError) -> [Account]
    /// Accounts with a line of this (E.164) number, by id.
    func accounts(holdingMSISDN msisdn: String) throws(TMDiagError) -> [Account]

    /// The lines of an account, by number.
    func lines(account: String) throws(TMDiagError) -> [Line]
    /// Lines that have or had an IMEI or ICCID, current holders first.
    func lineMatches(kind: LineIdentity.Kind, value: String) throws(TMDiagError) -> [LineMatch]
    func lineMatches(msisdn: String) throws(TMDiagError) -> [LineMatch]

    func events(account: String, since: Date?) throws(TMDiagError) -> [ServiceEvent]
    func events(account: String, since: Date?, kinds: Set<String>) throws(TMDiagError) -> [ServiceEvent]
    /// The newest `limit` events of the window, oldest first, and how many the window holds.
    func newestEvents(account: String, since: Date?, limit: Int) throws(TMDiagError) -> (events: [ServiceEvent], total: Int)
    /// Events naming an identifier (`column` is imei, iccid or msisdn), newest first.
    func events(mentioning column: String, value: String, limit: Int) throws(TMDiagError) -> [ServiceEvent]
    func eventCount(mentioning column: String, value: String) throws(TMDiagError) -> Int
    func eventCount(account: String) throws(TMDiagError) -> Int

    /// Cases and drafts of an account with their linked reports, oldest first.
    func cases(account: String) throws(TMDiagError) -> [SupportCase]
    func supportCase(number: String) throws(TMDiagError) -> SupportCase?
    func draft(id: Int64) throws(TMDiagError) -> SupportCase?
    func cases(reportId: String) throws(TMDiagError) -> [SupportCase]
    /// Every case that has a number (drafts left out), with its linked reports.
    func numberedCases() throws(TMDiagError) -> [SupportCase]

    func report(id: String) throws(TMDiagError) -> StoredReport?
    /// Reports naming an identifier of `kind`, newest first.
    func reports(naming kind: String, value: String) throws(TMDiagError) -> [StoredReport]
    /// The newest `limit` reports, newest first.
    func newestReports(limit: Int) throws(TMDiagError) -> [StoredReport]

    func tac(_ tac: String) throws(TMDiagError) -> TACEntry?
    func counts() throws(TMDiagError) -> StoreCounts
    /// Every IMEI the store holds (lines, line identities, events, reports) that matches an SQL
    /// LIKE pattern, sorted.
    func imeis(like pattern: String) throws(TMDiagError) -> [String]

    /// Runs `body` in one transaction: all of it or, on any error, none of it.
    func write<T>(_ body: (any StoreWriter) throws -> T) throws(TMDiagError) -> T
}

/// The writes of one transaction, as the importers, `add-event`, `add-case`, `ticket` drafts
/// and report saving make them. Each backend writes with its own statements; natural keys
/// (account id, line number, event fingerprint, case number) are upserts, never a look first.
protocol StoreWriter: AnyObject {
    /// True while events are buffered and counted only by `finishBulk`.
    var bulk: Bool { get }
    /// Lets a large import write in bulk (`expectedEvents` is a rough guess).
    func beginBulkIfWorthIt(expectedEvents: Int) throws
    /// Writes what is buffered; returns how many new events the bulk added.
    @discardableResult func finishBulk() throws -> Int

    func upsert(account: AccountInput) throws
    /// The stored spelling of an account id, whatever case `id` is in.
    func storedAccountId(_ id: String) throws -> String?
    func storedAccountIds() throws -> [String]
    func upsert(line: LineInput, accountId: String) throws
    /// Adds an event unless its twin is stored (a support case also goes to the cases);
    /// returns whether it is new (always false in bulk: `finishBulk` counts).
    @discardableResult
    func add(event: EventInput, accountId: String, fingerprint: Int64?, where position: () -> String,
             caseAlreadyStored: Bool) throws -> Bool

    func supportCase(number: String) throws -> SupportCase?
    func newestDraft(accountId: String) throws -> SupportCase?
    /// Writes a case's mutable fields (number, channel, rep, status, summary, resolution, updatedAt).
    func update(case: SupportCase) throws
    /// The draft of an account linked to a report, if there is one.
    func draftId(accountId: String, reportId: String) throws -> Int64?
    func updateDraft(id: Int64, summary: String?, updatedAt: Int64) throws
    /// Inserts a new case row, returns its id.
    func insert(case: SupportCase) throws -> Int64
    /// Links a report to a case; linking twice is harmless.
    func link(caseId: Int64, reportId: String) throws
    /// Saves a report and its identifiers, replacing one with the same id.
    func save(report: StoredReport) throws
    func upsertTAC(_ tac: String, manufacturer: String?, model: String?) throws
}

extension StoreWriter {
    @discardableResult
    func add(event: EventInput, accountId: String, where position: () -> String,
             caseAlreadyStored: Bool = false) throws -> Bool {
        try add(event: event, accountId: accountId, fingerprint: nil, where: position, caseAlreadyStored: caseAlreadyStored)
    }
}
