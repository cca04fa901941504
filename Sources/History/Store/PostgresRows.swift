// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import Foundation
import PostgresNIO
import TMDiagCore

/// A result row read by column name, as the SQLite side reads rows. PostgreSQL folds the
/// schema's unquoted names to lower case (`accountId` comes back as `accountid`), so names are
/// looked up lower-cased; a missing column is an error, not postgres-nio's crash.
struct PostgresRecord {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    func get<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let column = name.lowercased()
        guard row.contains(column) else {
            throw TMDiagError("store: the result has no column '\(column)' (a schema this tmdiag does not know?)", status: .software)
        }
        return try row[column].decode(T.self)
    }

    func first<T: PostgresDecodable>(as type: T.Type = T.self) throws -> T { try row[0].decode(T.self) }

    func date(_ name: String) throws -> Date { Date(timeIntervalSince1970: TimeInterval(try get(name, as: Int64.self))) }
    func date(optional name: String) throws -> Date? {
        try get(name, as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }
}

/// The store's records from PostgreSQL rows (the columns of `PostgresMigrationV1`).
extension Account {
    init(_ r: PostgresRecord) throws {
        let type: String = try r.get("type")
        guard let t = AccountType(rawValue: type) else {
            throw TMDiagError("store: unknown account type '\(TerminalText.escape(type, limit: 20))'", status: .dataError)
        }
        self.init(id: try r.get("id"), holder: try r.get("holder"), type: t, plan: try r.get("plan"))
    }
}

extension Line {
    init(_ r: PostgresRecord) throws {
        self.init(id: try r.get("id"), accountId: try r.get("accountId"), msisdn: try r.get("msisdn"), imei: try r.get("imei"),
                  iccid: try r.get("iccid"), device: try r.get("device"))
    }
}

extension LineMatch {
    init(_ r: PostgresRecord) throws {
        accountId = try r.get("accountId")
        holder = try r.get("holder")
        msisdn = try r.get("msisdn")
        imei = try r.get("imei")
        iccid = try r.get("iccid")
        device = try r.get("device")
        current = try r.get("current", as: Bool?.self) ?? false
    }
}

extension ServiceEvent {
    init(_ r: PostgresRecord) throws {
        let kindText: String = try r.get("kind")
        guard let kind = EventKind(rawValue: kindText) else {
            throw TMDiagError("store: unknown event kind '\(TerminalText.escape(kindText, limit: 20))'", status: .dataError)
        }
        self.init(id: try r.get("id"), accountId: try r.get("accountId"), at: try r.date("at"), endAt: try r.date(optional: "endAt"),
                  kind: kind, msisdn: try r.get("msisdn"), imei: try r.get("imei"), iccid: try r.get("iccid"),
                  device: try r.get("device"), plan: try r.get("plan"), country: try r.get("country"), area: try r.get("area"),
                  caseNumber: try r.get("caseNumber"), summary: try r.get("summary"))
    }
}

extension SupportCase {
    init(_ r: PostgresRecord) throws {
        self.init(id: try r.get("id"), number: try r.get("number"), accountId: try r.get("accountId"),
                  channel: (try r.get("channel", as: String?.self)).flatMap(ContactChannel.init(rawValue:)),
                  rep: try r.get("rep"), status: CaseStatus(rawValue: try r.get("status")) ?? .open,
                  summary: try r.get("summary"), resolution: try r.get("resolution"),
                  openedAt: try r.date("openedAt"), updatedAt: try r.date("updatedAt"))
    }
}

extension TACEntry {
    init(_ r: PostgresRecord) throws {
        self.init(tac: try r.get("tac"), manufacturer: try r.get("manufacturer"), model: try r.get("model"))
    }
}
#endif
