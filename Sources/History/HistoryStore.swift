import Foundation
import TMDiagCore

/// The account and service history store: an SQLite file (embedded, the default), or a
/// PostgreSQL database a team shares (`postgresql://USER@HOST:PORT/DB`). Both are migrated on
/// open; the backend answers primitive queries and this type composes them, once for both.
/// Every method returns its failures as `TMDiagError` with a sysexits-style status.
public final class HistoryStore: Sendable {
    /// The location as given: a file path, or a PostgreSQL URL (which holds no password).
    public let path: String
    let backend: any StoreBackend

    private init(path: String, backend: any StoreBackend) {
        self.path = path
        self.backend = backend
    }

    /// Opens the store at `path` (a file path or a PostgreSQL URL). When `create`, an SQLite
    /// file is created with its parent directories, an empty PostgreSQL database gets the
    /// schema. A store written by a newer tmdiag is refused; a damaged or foreign one is
    /// reported and left as it is.
    public static func open(path: String, create: Bool = true) throws(TMDiagError) -> HistoryStore {
        switch try StoreLocation.parse(path) {
        case .sqlite(let file):
            return HistoryStore(path: path, backend: try SQLiteBackend.open(path: file, create: create))
        case .postgres(let target):
            #if PostgreSQL
            return HistoryStore(path: target.description, backend: try PostgresBackend.open(target, create: create))
            #else
            throw postgresNotBuilt(target)
            #endif
        }
    }

    /// The store at `path` if there is one, else nil: a file that does not exist, or a
    /// PostgreSQL database without the tmdiag schema, is no store (what `show` and `ticket`
    /// do without one). A URL is always connected to: a server that cannot be reached is an
    /// error, never silently no store.
    public static func openIfPresent(path: String) throws(TMDiagError) -> HistoryStore? {
        switch try StoreLocation.parse(path) {
        case .sqlite(let file):
            guard FileManager.default.fileExists(atPath: file) else { return nil }
            return try open(path: path, create: false)
        case .postgres(let target):
            #if PostgreSQL
            guard let backend = try PostgresBackend.openIfPresent(target) else { return nil }
            return HistoryStore(path: target.description, backend: backend)
            #else
            throw postgresNotBuilt(target)
            #endif
        }
    }

    /// A build without the PostgreSQL trait (`swift build --disable-default-traits`, as the
    /// ThreadSanitizer pass of `make test` builds) reads a URL but cannot serve it: it must
    /// never become a file path named `postgresql:`.
    static func postgresNotBuilt(_ target: PostgresTarget) -> TMDiagError {
        TMDiagError("store \(target): PostgreSQL stores are not available in this build of tmdiag (built without the "
                    + "PostgreSQL trait); use an SQLite store (a file path)", status: .unavailable)
    }

    /// The one refusal of a store from a newer tmdiag, for both backends.
    static func newerSchema(_ shown: String, version: Int, understood: Int) -> TMDiagError {
        TMDiagError("store \(shown) has schema version \(version), newer than this tmdiag understands (\(understood)); "
                    + "upgrade tmdiag or use another --store", status: .dataError)
    }

    /// The schema version of the open store.
    public func schemaVersion() throws(TMDiagError) -> Int { try backend.schemaVersion() }

    func write<T>(_ body: (any StoreWriter) throws -> T) throws(TMDiagError) -> T { try backend.write(body) }

    // MARK: - Reports

    /// Saves a device report and the identifiers it names. Saving the same id again replaces it.
    public func saveReport(_ report: StoredReport) throws(TMDiagError) {
        try write { w in try w.save(report: report) }
    }

    /// A report by id, case-insensitively (`r-7kq2m9` finds `R-7KQ2M9`).
    public func report(id: String) throws(TMDiagError) -> StoredReport? {
        try backend.report(id: id.trimmingSpaces)
    }

    public func latestReport() throws(TMDiagError) -> StoredReport? {
        try backend.newestReports(limit: 1).first
    }

    /// Reports received from a device with this IMEI, newest first.
    public func reports(imei: String) throws(TMDiagError) -> [StoredReport] {
        try backend.reports(naming: "imei", value: imei)
    }

    // MARK: - Accounts, lines, events, cases

    public func account(id: String) throws(TMDiagError) -> Account? {
        try backend.account(id: id.trimmingSpaces)
    }

    /// The account whose line has (else had) this IMEI, else one whose events name it.
    public func accountFor(imei: String) throws(TMDiagError) -> Account? {
        if let m = try backend.lineMatches(kind: .imei, value: imei).first { return try backend.account(id: m.accountId) }
        if let e = try backend.events(mentioning: "imei", value: imei, limit: 1).first { return try backend.account(id: e.accountId) }
        return nil
    }

    /// The account with a line of this number (any common notation; normalised to E.164).
    public func accountFor(msisdn: String) throws(TMDiagError) -> Account? {
        guard let number = Identifiers.e164(msisdn) else { return nil }
        return try backend.accounts(holdingMSISDN: number).first
    }

    public func accountFor(iccid: String) throws(TMDiagError) -> Account? {
        let value = Self.normalisedICCID(iccid)
        if let m = try backend.lineMatches(kind: .iccid, value: value).first { return try backend.account(id: m.accountId) }
        if let e = try backend.events(mentioning: "iccid", value: value, limit: 1).first { return try backend.account(id: e.accountId) }
        return nil
    }

    public func lines(account: String) throws(TMDiagError) -> [Line] {
        try backend.lines(account: account.trimmingSpaces)
    }

    /// An account's events from `since` (all when nil), oldest first.
    public func events(account: String, since: Date? = nil) throws(TMDiagError) -> [ServiceEvent] {
        try backend.events(account: account.trimmingSpaces, since: since)
    }

    /// An account's events of the given kinds (`sim_swap`, `outage`, ...) from `since`,
    /// oldest first: what the diagnosis rules look at, without the rest of a busy account.
    public func events(account: String, since: Date?, ofKinds kinds: Set<String>) throws(TMDiagError) -> [ServiceEvent] {
        guard !kinds.isEmpty else { return [] }
        return try backend.events(account: account.trimmingSpaces, since: since, kinds: kinds)
    }

    /// Support cases and drafts of an account, oldest first, with their linked report ids.
    public func cases(account: String) throws(TMDiagError) -> [SupportCase] {
        try backend.cases(account: account.trimmingSpaces)
    }

    /// A case by number, case-insensitively.
    public func supportCase(number: String) throws(TMDiagError) -> SupportCase? {
        try backend.supportCase(number: number.trimmingSpaces)
    }

    /// Cases that link a report.
    public func cases(reportId: String) throws(TMDiagError) -> [SupportCase] {
        try backend.cases(reportId: reportId.trimmingSpaces)
    }

    /// Everything the store knows about an account: what `history show` prints and the ticket
    /// uses. With `limit`, only the newest `limit` events of the window (`eventsInWindow` says
    /// how many it holds).
    public func history(account id: String, since: Date? = nil, limit: Int? = nil) throws(TMDiagError) -> AccountHistory? {
        guard let account = try backend.account(id: id.trimmingSpaces) else { return nil }
        var h = AccountHistory(account: account, lines: try backend.lines(account: account.id), events: [],
                               cases: try backend.cases(account: account.id), since: since)
        if let limit, limit > 0 {
            (h.events, h.eventsInWindow) = try backend.newestEvents(account: account.id, since: since, limit: limit)
        } else {
            h.events = try backend.events(account: account.id, since: since)
            h.eventsInWindow = h.events.count
        }
        return h
    }

    public func tac(imei: String) throws(TMDiagError) -> TACEntry? {
        guard let tac = Identifiers.tac(ofIMEI: imei) else { return nil }
        return try backend.tac(tac)
    }

    public func counts() throws(TMDiagError) -> StoreCounts {
        try backend.counts()
    }

    static func normalisedICCID(_ s: String) -> String {
        var d = s.trimmingSpaces.filter { $0 != " " && $0 != "-" }
        if d.hasSuffix("F") || d.hasSuffix("f") { d.removeLast() }
        return d
    }
}

public struct StoreCounts: Codable, Sendable, Hashable {
    public var accounts, lines, events, cases, reports, tacs: Int
}

/// An account with its lines, a window of its events and its cases.
public struct AccountHistory: Codable, Sendable, Hashable {
    public var account: Account
    public var lines: [Line]
    public var events: [ServiceEvent]
    public var cases: [SupportCase]
    public var since: Date?
    /// How many events the window holds (more than `events.count` when a limit cut it).
    public var eventsInWindow: Int

    public init(account: Account, lines: [Line], events: [ServiceEvent], cases: [SupportCase], since: Date?,
                eventsInWindow: Int? = nil) {
        self.account = account
        self.lines = lines
        self.events = events
        self.cases = cases
        self.since = since
        self.eventsInWindow = eventsInWindow ?? events.count
    }

    /// The history with IMEIs, ICCIDs and numbers masked unless revealed, free text scrubbed.
    public func masked(_ reveal: RevealSet) -> AccountHistory {
        var h = self
        func imei(_ v: String?) -> String? { v.map { reveal.reveals(.imei) ? $0 : Mask.imei($0) } }
        func iccid(_ v: String?) -> String? { v.map { reveal.reveals(.iccid) ? $0 : Mask.iccid($0) } }
        func msisdn(_ v: String?) -> String? { v.map { reveal.reveals(.msisdn) ? $0 : Mask.msisdn($0) } }
        func text(_ v: String?) -> String? { v.map { IdentifierMasker(reveal).text($0) } }
        h.lines = lines.map { l in
            var l = l
            l.msisdn = msisdn(l.msisdn) ?? ""
            l.imei = imei(l.imei)
            l.iccid = iccid(l.iccid)
            return l
        }
        h.events = events.map { e in
            var e = e
            e.msisdn = msisdn(e.msisdn)
            e.imei = imei(e.imei)
            e.iccid = iccid(e.iccid)
            e.summary = text(e.summary) ?? ""
            return e
        }
        h.cases = cases.map { c in
            var c = c
            c.summary = text(c.summary)
            c.resolution = text(c.resolution)
            return c
        }
        return h
    }
}
