// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import Foundation
import PostgresNIO
import TMDiagCore

/// The shared store: a PostgreSQL database (`PostgresMigrationV1`), one connection per
/// tmdiag process. The same queries as `SQLiteBackend`, in PostgreSQL's words: what SQLite
/// compares with `COLLATE NOCASE` (account ids, case numbers, report ids) is
/// `lower(x) = lower($1)` here (the schema has `lower(...)` indexes), and text is sorted
/// `COLLATE "C"`, byte order as SQLite sorts it, whatever the database's locale.
final class PostgresBackend: StoreBackend {
    let session: PostgresSession

    var shown: String { session.target.description }

    private init(session: PostgresSession) { self.session = session }

    static func open(_ target: PostgresTarget, create: Bool) throws(TMDiagError) -> PostgresBackend {
        let session = try PostgresSession.connect(target)
        _ = try PostgresMigrator.migrate(session, create: create)
        return PostgresBackend(session: session)
    }

    /// The store, or nil when the database does not have the tmdiag schema yet.
    static func openIfPresent(_ target: PostgresTarget) throws(TMDiagError) -> PostgresBackend? {
        let session = try PostgresSession.connect(target)
        guard try PostgresMigrator.migrate(session, create: false, absentIsNil: true) else { return nil }
        return PostgresBackend(session: session)
    }

    /// The rows of a read, each made into a record; a row that does not decode is a store error.
    func fetch<T>(_ sql: String, _ parameters: [PostgresParameter] = [],
                  _ make: (PostgresRecord) throws -> T) throws(TMDiagError) -> [T] {
        let rows = try session.run(sql, parameters).rows
        do { return try rows.map { try make(PostgresRecord($0)) } } catch {
            throw PostgresErrors.storeError(error, target: session.target, doing: "cannot read")
        }
    }

    func count(_ sql: String, _ parameters: [PostgresParameter] = []) throws(TMDiagError) -> Int {
        Int(try fetch(sql, parameters) { try $0.first(as: Int64.self) }.first ?? 0)
    }

    static func since(_ date: Date?) -> Int64 { Int64((date ?? .distantPast).timeIntervalSince1970.rounded(.down)) }

    // MARK: - Reads

    func schemaVersion() throws(TMDiagError) -> Int {
        try count("SELECT coalesce(max(version), 0)::bigint FROM tmdiag_schema_version")
    }

    func account(id: String) throws(TMDiagError) -> Account? {
        try fetch("SELECT * FROM account WHERE lower(id) = lower($1)", [.text(id)], Account.init).first
    }

    func accounts() throws(TMDiagError) -> [Account] {
        try fetch("SELECT * FROM account ORDER BY lower(id) COLLATE \"C\", id COLLATE \"C\"", [], Account.init)
    }

    func accounts(holdingMSISDN msisdn: String) throws(TMDiagError) -> [Account] {
        try fetch("""
            SELECT * FROM account WHERE id IN (SELECT accountId FROM line WHERE msisdn = $1) ORDER BY id COLLATE "C"
            """, [.text(msisdn)], Account.init)
    }

    func lines(account: String) throws(TMDiagError) -> [Line] {
        try fetch("SELECT * FROM line WHERE accountId = $1 ORDER BY msisdn COLLATE \"C\"", [.text(account)], Line.init)
    }

    func lineMatches(kind: LineIdentity.Kind, value: String) throws(TMDiagError) -> [LineMatch] {
        let column = kind == .imei ? "imei" : "iccid"
        return try fetch("""
            SELECT line.*, account.holder, coalesce(line.\(column) = $1, false) AS current
            FROM line JOIN account ON account.id = line.accountId
            WHERE line.id IN (SELECT id FROM line WHERE \(column) = $1
                              UNION SELECT lineId FROM lineIdentity WHERE kind = $2 AND value = $1)
            ORDER BY current DESC, line.accountId COLLATE "C", line.msisdn COLLATE "C"
            """, [.text(value), .text(kind.rawValue)], LineMatch.init)
    }

    func lineMatches(msisdn: String) throws(TMDiagError) -> [LineMatch] {
        try fetch("""
            SELECT line.*, account.holder, true AS current FROM line JOIN account ON account.id = line.accountId
            WHERE line.msisdn = $1 ORDER BY line.accountId COLLATE "C"
            """, [.text(msisdn)], LineMatch.init)
    }

    func events(account: String, since: Date?) throws(TMDiagError) -> [ServiceEvent] {
        try fetch("SELECT * FROM serviceEvent WHERE accountId = $1 AND at >= $2 ORDER BY at, fingerprint",
                  [.text(account), .integer(Self.since(since))], ServiceEvent.init)
    }

    func events(account: String, since: Date?, kinds: Set<String>) throws(TMDiagError) -> [ServiceEvent] {
        guard !kinds.isEmpty else { return [] }
        let sorted = kinds.sorted()
        let marks = sorted.indices.map { "$\($0 + 3)" }.joined(separator: ", ")
        return try fetch("SELECT * FROM serviceEvent WHERE accountId = $1 AND at >= $2 AND kind IN (\(marks)) ORDER BY at, fingerprint",
                         [.text(account), .integer(Self.since(since))] + sorted.map { .text($0) }, ServiceEvent.init)
    }

    func newestEvents(account: String, since: Date?, limit: Int) throws(TMDiagError) -> (events: [ServiceEvent], total: Int) {
        let from = Self.since(since)
        let events = try fetch("""
            SELECT * FROM serviceEvent WHERE accountId = $1 AND at >= $2 ORDER BY at DESC, fingerprint DESC LIMIT $3
            """, [.text(account), .integer(from), .integer(Int64(limit))], ServiceEvent.init)
        let total = events.count < limit ? events.count
            : try count("SELECT count(*) FROM serviceEvent WHERE accountId = $1 AND at >= $2", [.text(account), .integer(from)])
        return (events.reversed(), total)
    }

    func events(mentioning column: String, value: String, limit: Int) throws(TMDiagError) -> [ServiceEvent] {
        precondition(["imei", "iccid", "msisdn"].contains(column))
        return try fetch("SELECT * FROM serviceEvent WHERE \(column) = $1 ORDER BY at DESC, id DESC LIMIT $2",
                         [.text(value), .integer(Int64(limit))], ServiceEvent.init)
    }

    func eventCount(mentioning column: String, value: String) throws(TMDiagError) -> Int {
        precondition(["imei", "iccid", "msisdn"].contains(column))
        return try count("SELECT count(*) FROM serviceEvent WHERE \(column) = $1", [.text(value)])
    }

    func eventCount(account: String) throws(TMDiagError) -> Int {
        try count("SELECT count(*) FROM serviceEvent WHERE accountId = $1", [.text(account)])
    }

    /// `cases` with their linked report ids.
    func withReports(_ cases: [SupportCase]) throws(TMDiagError) -> [SupportCase] {
        var out = cases
        for i in out.indices {
            out[i].reportIds = try fetch("SELECT reportId FROM caseReport WHERE supportCaseId = $1 ORDER BY reportId COLLATE \"C\"",
                                         [.integer(out[i].id ?? -1)]) { try $0.first(as: String.self) }
        }
        return out
    }

    func cases(account: String) throws(TMDiagError) -> [SupportCase] {
        var cases = try fetch("SELECT * FROM supportCase WHERE accountId = $1 ORDER BY openedAt, id", [.text(account)], SupportCase.init)
        // One query for the linked reports of all of them, not one per case.
        var reports: [Int64: [String]] = [:]
        for (caseId, reportId) in try fetch("""
            SELECT caseReport.supportCaseId, caseReport.reportId FROM caseReport
            JOIN supportCase ON supportCase.id = caseReport.supportCaseId
            WHERE supportCase.accountId = $1 ORDER BY caseReport.reportId COLLATE "C"
            """, [.text(account)], { r in (try r.get("supportCaseId", as: Int64.self), try r.get("reportId", as: String.self)) }) {
            reports[caseId, default: []].append(reportId)
        }
        for i in cases.indices { cases[i].reportIds = reports[cases[i].id ?? -1] ?? [] }
        return cases
    }

    func supportCase(number: String) throws(TMDiagError) -> SupportCase? {
        try withReports(try fetch("SELECT * FROM supportCase WHERE lower(number) = lower($1)", [.text(number)], SupportCase.init)).first
    }

    func draft(id: Int64) throws(TMDiagError) -> SupportCase? {
        try withReports(try fetch("SELECT * FROM supportCase WHERE id = $1 AND status = 'draft'", [.integer(id)], SupportCase.init)).first
    }

    func cases(reportId: String) throws(TMDiagError) -> [SupportCase] {
        try withReports(try fetch("""
            SELECT supportCase.* FROM supportCase JOIN caseReport ON caseReport.supportCaseId = supportCase.id
            WHERE lower(caseReport.reportId) = lower($1) ORDER BY openedAt
            """, [.text(reportId)], SupportCase.init))
    }

    func numberedCases() throws(TMDiagError) -> [SupportCase] {
        try withReports(try fetch("SELECT * FROM supportCase WHERE number IS NOT NULL ORDER BY id", [], SupportCase.init))
    }

    /// Reports from `report` rows, with the identifiers each names.
    func reports(_ sql: String, _ parameters: [PostgresParameter]) throws(TMDiagError) -> [StoredReport] {
        let rows = try fetch(sql, parameters) { r in
            (id: try r.get("id", as: String.self), createdAt: try r.date("createdAt"), json: try r.get("json", as: Data.self),
             sha256: try r.get("sha256", as: String.self))
        }
        var out: [StoredReport] = []
        for row in rows {
            let ids = try fetch("SELECT kind, value FROM reportIdentifier WHERE reportId = $1 ORDER BY kind, value COLLATE \"C\"",
                                [.text(row.id)]) { r in (try r.get("kind", as: String.self), try r.get("value", as: String.self)) }
            func values(_ kind: String) -> [String] { ids.filter { $0.0 == kind }.map(\.1) }
            out.append(StoredReport(id: row.id, createdAt: row.createdAt, imeis: values("imei"), iccids: values("iccid"),
                                    imsis: values("imsi"), msisdns: values("msisdn"), serials: values("serial"),
                                    json: row.json, sha256: row.sha256))
        }
        return out
    }

    func report(id: String) throws(TMDiagError) -> StoredReport? {
        try reports("SELECT * FROM report WHERE lower(id) = lower($1)", [.text(id)]).first
    }

    func reports(naming kind: String, value: String) throws(TMDiagError) -> [StoredReport] {
        try reports("""
            SELECT report.* FROM report JOIN reportIdentifier ON reportIdentifier.reportId = report.id
            WHERE reportIdentifier.kind = $1 AND reportIdentifier.value = $2 ORDER BY report.createdAt DESC
            """, [.text(kind), .text(value)])
    }

    func newestReports(limit: Int) throws(TMDiagError) -> [StoredReport] {
        // SQLite breaks ties by rowid (insertion order); `xmin` is not an order, so the id is.
        try reports("SELECT * FROM report ORDER BY createdAt DESC, id COLLATE \"C\" DESC LIMIT $1", [.integer(Int64(limit))])
    }

    func tac(_ tac: String) throws(TMDiagError) -> TACEntry? {
        try fetch("SELECT * FROM tac WHERE tac = $1", [.text(tac)], TACEntry.init).first
    }

    func counts() throws(TMDiagError) -> StoreCounts {
        let row = try fetch("""
            SELECT (SELECT count(*) FROM account), (SELECT count(*) FROM line), (SELECT count(*) FROM serviceEvent),
                   (SELECT count(*) FROM supportCase), (SELECT count(*) FROM report), (SELECT count(*) FROM tac)
            """) { r in try (0..<6).map { Int(try r.row[$0].decode(Int64.self)) } }.first ?? Array(repeating: 0, count: 6)
        return StoreCounts(accounts: row[0], lines: row[1], events: row[2], cases: row[3], reports: row[4], tacs: row[5])
    }

    func imeis(like pattern: String) throws(TMDiagError) -> [String] {
        try fetch("""
            SELECT imei FROM line WHERE imei LIKE $1
            UNION SELECT value FROM lineIdentity WHERE kind = 'imei' AND value LIKE $1
            UNION SELECT imei FROM serviceEvent WHERE imei LIKE $1
            UNION SELECT value FROM reportIdentifier WHERE kind = 'imei' AND value LIKE $1
            ORDER BY 1
            """, [.text(pattern)]) { try $0.first(as: String.self) }
    }

    // MARK: - Writes

    func write<T>(_ body: (any StoreWriter) throws -> T) throws(TMDiagError) -> T {
        try session.transaction { tx in try body(PostgresStoreWriter(tx, target: session.target)) }
    }
}
#endif
