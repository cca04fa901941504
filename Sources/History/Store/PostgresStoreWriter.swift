// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import Foundation
import PostgresNIO
import TMDiagCore

/// The PostgreSQL writes of one transaction. Natural keys are the schema's constraints and
/// every write of one is an `INSERT ... ON CONFLICT`, so that importers running at once on
/// overlapping files never store an event or a case twice: the database decides, never a
/// look-then-insert. Events of an import, and the cases among them, are gathered `batchSize`
/// events at a time into one INSERT over `unnest` of one array per column (a few parameters
/// whatever the batch size); the rows each gives back say how many events were new and which
/// cases were taken.
///
/// One batch is in flight while the next is gathered: the server inserts while the client
/// reads and checks, instead of each waiting for the other. A fault the server finds in a
/// batch is told when the batch is collected, with the position of what caused it.
final class PostgresStoreWriter: StoreWriter {
    private let tx: PostgresTransaction
    private let target: PostgresTarget
    private(set) var bulk = false
    private var eventRows = PostgresColumnArrays()
    private var caseRows = PostgresColumnArrays()
    private var caseSources: [GatheredCase] = []
    /// The lower-case numbers of `caseSources`.
    private var caseNumbers = Set<String>()
    private var inFlight: SentBatch?
    /// Statements sent without waiting whose only answer is success or failure, checked when
    /// the batch in flight is collected.
    private var unchecked: [PendingStatement] = []
    private var newInBulk = 0
    static let batchSize = 5_000

    /// A case of the batch being gathered: where it was read and the reports it links.
    private struct GatheredCase {
        var number: String
        var position: String
        var reportIds: [String]
    }

    private struct SentBatch {
        var events: PendingStatement?
        var cases: PendingStatement?
        var caseSources: [GatheredCase]
    }

    init(_ tx: PostgresTransaction, target: PostgresTarget) {
        self.tx = tx
        self.target = target
    }

    /// Every import buffers on PostgreSQL: a round trip per event would cost more than the
    /// insert itself, whatever the size.
    ///
    /// Imports also take their turn, one at a time on a store. Two importers of overlapping
    /// files would otherwise each wait on the other's uncommitted rows (and, in a different
    /// order, deadlock and fail), and eight at once would leave the server's cores no room for
    /// agents' lookups. Reads and single writes (`add-case`, reports) never wait for the turn.
    func beginBulkIfWorthIt(expectedEvents: Int) throws {
        try tx.run("SELECT pg_advisory_xact_lock($1)", [.integer(PostgresSchema.importLock)])
        bulk = true
    }

    func finishBulk() throws -> Int {
        guard bulk else { return 0 }
        try flush()
        try collectInFlight()
        bulk = false
        defer { newInBulk = 0 }
        return newInBulk
    }

    static let eventColumns = ServiceEvent.writtenColumns.joined(separator: ", ")

    /// The case upsert, for rows from `source` (a VALUES list or a SELECT). The update applies
    /// only to a case of the same account: a number with no row back belongs to another one.
    static func caseUpsert(from source: String) -> String {
        """
        INSERT INTO supportCase (number, accountId, channel, rep, status, summary, resolution, openedAt, updatedAt) \(source)
        ON CONFLICT ((lower(number))) DO UPDATE SET channel = excluded.channel, rep = excluded.rep,
            status = excluded.status, summary = excluded.summary, resolution = excluded.resolution,
            openedAt = least(supportCase.openedAt, excluded.openedAt),
            updatedAt = greatest(supportCase.updatedAt, excluded.updatedAt)
        WHERE lower(supportCase.accountId) = lower(excluded.accountId)
        RETURNING number, id
        """
    }

    static func caseRow(_ e: EventInput, number: String, accountId: String) -> [StoredValue] {
        [.text(number), .text(accountId), .text(e.channel?.rawValue), .text(e.rep), .text((e.status ?? .open).rawValue),
         .text(e.summary.isEmpty ? nil : e.summary), .text(e.resolution), .integer(e.at), .integer(max(e.updatedAt ?? e.at, e.at))]
    }

    /// Sends the gathered events and cases, after the previous batch is through.
    private func flush() throws {
        guard eventRows.count > 0 || caseRows.count > 0 else { return }
        try collectInFlight()
        var sent = SentBatch(caseSources: caseSources)
        if caseRows.count > 0 {
            let (parameters, unnest) = caseRows.take()
            sent.cases = tx.start(Self.caseUpsert(from: "SELECT * FROM unnest(\(unnest))"), parameters)
        }
        if eventRows.count > 0 {
            let (parameters, unnest) = eventRows.take()
            // In natural-key order: consecutive inserts then go down the same index pages
            // (events of a CSV file come in any order of accounts).
            sent.events = tx.start("""
                INSERT INTO serviceEvent (\(Self.eventColumns))
                SELECT * FROM unnest(\(unnest)) AS batch(\(Self.eventColumns)) ORDER BY accountId, at, fingerprint
                ON CONFLICT (accountId, at, fingerprint) DO NOTHING
                """, parameters)
        }
        caseSources = []
        caseNumbers = []
        inFlight = sent
    }

    /// Waits for the batch in flight and what was sent after it: counts the new events, checks
    /// that each case was taken, and links their reports.
    private func collectInFlight() throws {
        let (batch, sentAfter) = (inFlight, unchecked)
        (inFlight, unchecked) = (nil, [])
        // In the order sent: after a failure the server refuses what follows, and the first
        // error is the one that says what went wrong.
        let links = try batch.map(collect) ?? []
        for statement in sentAfter { _ = try statement.wait() }
        for (caseId, reportId) in links { try link(caseId: caseId, reportId: reportId) }
    }

    /// The batch's new events counted and its cases checked; returns the report links to make.
    private func collect(_ sent: SentBatch) throws -> [(caseId: Int64, reportId: String)] {
        var caseIds: [String: Int64] = [:]
        for row in try sent.cases?.wait().rows ?? [] {
            let record = PostgresRecord(row)
            caseIds[try record.get("number", as: String.self).lowercased()] = try record.get("id", as: Int64.self)
        }
        newInBulk += try sent.events?.wait().metadata.rows ?? 0
        var links: [(caseId: Int64, reportId: String)] = []
        for c in sent.caseSources {
            guard let id = caseIds[c.number.lowercased()] else {
                throw TMDiagError("\(c.position): case \(TerminalText.escape(c.number)) is already stored for another account",
                                  status: .dataError)
            }
            links += c.reportIds.map { (id, $0) }
        }
        return links
    }

    /// A statement of the transaction. When it fails behind a batch that failed first (the
    /// server then refuses everything until the rollback), the batch's error is the one told.
    @discardableResult
    private func run(_ sql: String, _ parameters: [PostgresParameter] = []) throws -> PostgresQueryResult {
        do {
            return try tx.run(sql, parameters)
        } catch {
            try collectInFlight()
            throw error
        }
    }

    /// Stored spellings of account ids by their lower-case form: an import asks for each
    /// account's right after writing it, and a round trip each would double the account writes.
    private var storedIds: [String: String] = [:]

    func upsert(account a: AccountInput) throws {
        // Always an update on conflict, so that RETURNING gives the stored spelling of the id.
        let result = try run("""
            INSERT INTO account (id, holder, type, plan) VALUES ($1, $2, $3, $4)
            ON CONFLICT ((lower(id))) DO UPDATE SET holder = excluded.holder, type = excluded.type, plan = excluded.plan
            RETURNING id
            """, [.text(a.id), .text(a.holder), .text(a.type.rawValue), .text(a.plan)])
        if let row = result.rows.first { storedIds[a.id.lowercased()] = try PostgresRecord(row).first(as: String.self) }
    }

    func storedAccountId(_ id: String) throws -> String? {
        if let known = storedIds[id.lowercased()] { return known }
        return try run("SELECT id FROM account WHERE lower(id) = lower($1)", [.text(id)]).rows.first.map { try PostgresRecord($0).first() }
    }

    func storedAccountIds() throws -> [String] {
        try run("SELECT id FROM account").rows.map { try PostgresRecord($0).first() }
    }

    func upsert(line l: LineInput, accountId: String) throws {
        // One trip: the line (always updated on conflict, so that RETURNING gives its id) and
        // the identities it has been seen with. Nothing comes back that an import needs, so in
        // bulk it is not waited for (checked with the batch).
        let sql = """
            WITH stored AS (
                INSERT INTO line (accountId, msisdn, imei, iccid, device) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (accountId, msisdn) DO UPDATE SET imei = excluded.imei, iccid = excluded.iccid, device = excluded.device
                RETURNING id)
            INSERT INTO lineIdentity (lineId, kind, value, device)
            SELECT stored.id, identity.kind, identity.value, $5 FROM stored,
                (VALUES ('imei', $3::text), ('iccid', $4::text)) AS identity(kind, value)
            WHERE identity.value IS NOT NULL ON CONFLICT DO NOTHING
            """
        let parameters: [PostgresParameter] = [.text(accountId), .text(l.msisdn), .text(l.imei), .text(l.iccid), .text(l.device)]
        if bulk { unchecked.append(tx.start(sql, parameters)) } else { try run(sql, parameters) }
    }

    func add(event e: EventInput, accountId: String, fingerprint given: Int64?, where position: () -> String,
             caseAlreadyStored: Bool) throws -> Bool {
        if e.kind == .supportCase, !caseAlreadyStored, let number = e.caseNumber {
            let row = Self.caseRow(e, number: number, accountId: accountId)
            if bulk {
                // One upsert per number in a statement (a second would be refused): a repeat
                // waits for the next batch.
                if caseNumbers.contains(number.lowercased()) { try flush() }
                caseNumbers.insert(number.lowercased())
                caseRows.append(row)
                caseSources.append(GatheredCase(number: number, position: position(), reportIds: e.reportIds))
            } else {
                let marks = row.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
                guard let stored = try run(Self.caseUpsert(from: "VALUES (\(marks))"), row.map(PostgresParameter.init)).rows.first else {
                    throw TMDiagError("\(position()): case \(TerminalText.escape(number)) is already stored for another account",
                                      status: .dataError)
                }
                let caseId = try PostgresRecord(stored).get("id", as: Int64.self)
                for r in e.reportIds { try link(caseId: caseId, reportId: r) }
            }
        }
        let values = e.storedValues(accountId: accountId, fingerprint: given ?? e.fingerprint(accountId: accountId))
        if bulk {
            eventRows.append(values)
            if eventRows.count >= Self.batchSize { try flush() }
            return false // counted by `finishBulk`
        }
        let marks = values.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        let result = try run("""
            INSERT INTO serviceEvent (\(Self.eventColumns)) VALUES (\(marks)) ON CONFLICT (accountId, at, fingerprint) DO NOTHING
            """, values.map(PostgresParameter.init))
        return (result.metadata.rows ?? 0) > 0
    }

    func cases(_ sql: String, _ parameters: [PostgresParameter]) throws -> [SupportCase] {
        var cases = try run(sql, parameters).rows.map { try SupportCase(PostgresRecord($0)) }
        for i in cases.indices {
            cases[i].reportIds = try run("SELECT reportId FROM caseReport WHERE supportCaseId = $1 ORDER BY reportId COLLATE \"C\"",
                                            [.integer(cases[i].id ?? -1)]).rows.map { try PostgresRecord($0).first() }
        }
        return cases
    }

    func supportCase(number: String) throws -> SupportCase? {
        try cases("SELECT * FROM supportCase WHERE lower(number) = lower($1)", [.text(number)]).first
    }

    func newestDraft(accountId: String) throws -> SupportCase? {
        try cases("SELECT * FROM supportCase WHERE accountId = $1 AND status = 'draft' ORDER BY openedAt DESC, id DESC LIMIT 1",
                  [.text(accountId)]).first
    }

    func update(case c: SupportCase) throws {
        try run("""
            UPDATE supportCase SET number = $1, accountId = $2, channel = $3, rep = $4, status = $5, summary = $6,
                resolution = $7, openedAt = $8, updatedAt = $9 WHERE id = $10
            """, Self.caseValues(c) + [.integer(c.id ?? -1)])
    }

    static func caseValues(_ c: SupportCase) -> [PostgresParameter] {
        [.text(c.number), .text(c.accountId), .text(c.channel?.rawValue), .text(c.rep), .text(c.status.rawValue), .text(c.summary),
         .text(c.resolution), .integer(Int64(c.openedAt.timeIntervalSince1970.rounded(.down))),
         .integer(Int64(c.updatedAt.timeIntervalSince1970.rounded(.down)))]
    }

    func draftId(accountId: String, reportId: String) throws -> Int64? {
        try run("""
            SELECT c.id FROM supportCase c JOIN caseReport r ON r.supportCaseId = c.id
            WHERE c.accountId = $1 AND c.status = 'draft' AND lower(r.reportId) = lower($2) ORDER BY c.id LIMIT 1
            """, [.text(accountId), .text(reportId)]).rows.first.map { try PostgresRecord($0).first() }
    }

    func updateDraft(id: Int64, summary: String?, updatedAt: Int64) throws {
        try run("UPDATE supportCase SET summary = $1, updatedAt = $2 WHERE id = $3", [.text(summary), .integer(updatedAt), .integer(id)])
    }

    func insert(case c: SupportCase) throws -> Int64 {
        let result = try run("""
            INSERT INTO supportCase (number, accountId, channel, rep, status, summary, resolution, openedAt, updatedAt)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """, Self.caseValues(c))
        guard let row = result.rows.first else { throw TMDiagError("store \(target): the case was not stored", status: .software) }
        return try PostgresRecord(row).first()
    }

    func link(caseId: Int64, reportId: String) throws {
        try run("INSERT INTO caseReport (supportCaseId, reportId) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                   [.integer(caseId), .text(reportId)])
    }

    func save(report: StoredReport) throws {
        try run("DELETE FROM report WHERE lower(id) = lower($1)", [.text(report.id)])
        try run("INSERT INTO report (id, createdAt, json, sha256) VALUES ($1, $2, $3, $4)",
                   [.text(report.id), .integer(Int64(report.createdAt.timeIntervalSince1970.rounded(.down))), .bytes(report.json),
                    .text(report.sha256)])
        for (kind, value) in report.identifierRows {
            try run("INSERT INTO reportIdentifier (reportId, kind, value) VALUES ($1, $2, $3)",
                       [.text(report.id), .text(kind), .text(value)])
        }
    }

    func upsertTAC(_ tac: String, manufacturer: String?, model: String?) throws {
        try run("""
            INSERT INTO tac (tac, manufacturer, model) VALUES ($1, $2, $3)
            ON CONFLICT (tac) DO UPDATE SET manufacturer = excluded.manufacturer, model = excluded.model
            """, [.text(tac), .text(manufacturer), .text(model)])
    }
}
#endif
