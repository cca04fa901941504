// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import Foundation
import PostgresNIO
import TMDiagCore

/// The PostgreSQL writes of one transaction. Natural keys are the schema's constraints and
/// every write of one is an `INSERT ... ON CONFLICT`, so that importers running at once on
/// overlapping files never store an event or a case twice: the database decides, never a
/// look-then-insert. Events of an import are gathered `batchSize` at a time into one INSERT
/// over `unnest` of one array per column (a few parameters whatever the batch size); the
/// inserted-row count of each says how many were new.
///
/// One batch is in flight while the next is gathered: the server inserts while the client
/// reads and checks, instead of each waiting for the other.
final class PostgresStoreWriter: StoreWriter {
    private let tx: PostgresTransaction
    private let target: PostgresTarget
    private(set) var bulk = false
    private var gathered = PostgresColumnArrays()
    private var inFlight: PendingStatement?
    private var newInBulk = 0
    static let batchSize = 5_000

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

    /// Sends the gathered events, after the previous batch is through.
    private func flush() throws {
        guard gathered.count > 0 else { return }
        let (parameters, unnest) = gathered.take()
        try collectInFlight()
        inFlight = tx.start("""
            INSERT INTO serviceEvent (\(Self.eventColumns)) SELECT * FROM unnest(\(unnest))
            ON CONFLICT (accountId, at, fingerprint) DO NOTHING
            """, parameters)
    }

    /// Waits for the batch in flight and counts its new events.
    private func collectInFlight() throws {
        guard let pending = inFlight else { return }
        inFlight = nil
        newInBulk += try pending.wait().metadata.rows ?? 0
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
        // the identities it has been seen with.
        try run("""
            WITH stored AS (
                INSERT INTO line (accountId, msisdn, imei, iccid, device) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (accountId, msisdn) DO UPDATE SET imei = excluded.imei, iccid = excluded.iccid, device = excluded.device
                RETURNING id)
            INSERT INTO lineIdentity (lineId, kind, value, device)
            SELECT stored.id, identity.kind, identity.value, $5 FROM stored,
                (VALUES ('imei', $3::text), ('iccid', $4::text)) AS identity(kind, value)
            WHERE identity.value IS NOT NULL ON CONFLICT DO NOTHING
            """, [.text(accountId), .text(l.msisdn), .text(l.imei), .text(l.iccid), .text(l.device)])
    }

    func add(event e: EventInput, accountId: String, fingerprint given: Int64?, where position: () -> String,
             caseAlreadyStored: Bool) throws -> Bool {
        if e.kind == .supportCase, !caseAlreadyStored, let number = e.caseNumber {
            // The update applies only to a case of the same account; no row back means the
            // number belongs to another one.
            let result = try run("""
                INSERT INTO supportCase (number, accountId, channel, rep, status, summary, resolution, openedAt, updatedAt)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT ((lower(number))) DO UPDATE SET channel = excluded.channel, rep = excluded.rep,
                    status = excluded.status, summary = excluded.summary, resolution = excluded.resolution,
                    openedAt = least(supportCase.openedAt, excluded.openedAt),
                    updatedAt = greatest(supportCase.updatedAt, excluded.updatedAt)
                WHERE lower(supportCase.accountId) = lower(excluded.accountId)
                RETURNING id
                """, [.text(number), .text(accountId), .text(e.channel?.rawValue), .text(e.rep), .text((e.status ?? .open).rawValue),
                      .text(e.summary.isEmpty ? nil : e.summary), .text(e.resolution), .integer(e.at),
                      .integer(max(e.updatedAt ?? e.at, e.at))])
            guard let row = result.rows.first else {
                throw TMDiagError("\(position()): case \(TerminalText.escape(number)) is already stored for another account",
                                  status: .dataError)
            }
            let caseId: Int64 = try PostgresRecord(row).first()
            for r in e.reportIds { try link(caseId: caseId, reportId: r) }
        }
        let values = e.storedValues(accountId: accountId, fingerprint: given ?? e.fingerprint(accountId: accountId))
        if bulk {
            gathered.append(values)
            if gathered.count >= Self.batchSize { try flush() }
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
