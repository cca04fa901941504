import Foundation
import GRDB

/// A line of an account: its number, and the device and SIM it was last known with.
/// The natural key is (account, MSISDN).
public struct Line: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "line"
    public var id: Int64?
    public var accountId: String
    public var msisdn: String
    public var imei: String?
    public var iccid: String?
    public var device: String?

    public init(id: Int64? = nil, accountId: String, msisdn: String, imei: String?, iccid: String?, device: String?) {
        self.id = id
        self.accountId = accountId
        self.msisdn = msisdn
        self.imei = imei
        self.iccid = iccid
        self.device = device
    }
}

/// Every IMEI and ICCID a line has been seen with, so that "which line had this IMEI" still
/// answers after the customer changed phones.
public struct LineIdentity: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "lineIdentity"
    public enum Kind: String, Codable, Sendable { case imei, iccid }
    public var lineId: Int64
    public var kind: Kind
    public var value: String
    public var device: String?
}

/// A line as a lookup answers it: with its account and whether it has the identifier now.
public struct LineMatch: Codable, Sendable, Hashable {
    public var accountId: String
    public var holder: String?
    public var msisdn: String
    public var imei: String?
    public var iccid: String?
    public var device: String?
    /// True when the line has the identifier now, false when it had it before.
    public var current: Bool
}

extension Line {
    static func forAccount(_ db: Database, _ accountId: String) throws -> [Line] {
        try Line.fetchAll(db, sql: "SELECT * FROM line WHERE accountId = ? ORDER BY msisdn", arguments: [accountId])
    }

    /// Lines that have or had an IMEI or ICCID, current holders first.
    static func matching(_ db: Database, kind: LineIdentity.Kind, value: String) throws -> [LineMatch] {
        let column = kind == .imei ? "imei" : "iccid"
        let rows = try Row.fetchAll(db, sql: """
            SELECT line.*, account.holder, line.\(column) = :v AS current
            FROM line JOIN account ON account.id = line.accountId
            WHERE line.id IN (SELECT id FROM line WHERE \(column) = :v
                              UNION SELECT lineId FROM lineIdentity WHERE kind = :k AND value = :v)
            ORDER BY current DESC, line.accountId, line.msisdn
            """, arguments: ["v": value, "k": kind.rawValue])
        return rows.map(LineMatch.init(row:))
    }

    static func matching(_ db: Database, msisdn: String) throws -> [LineMatch] {
        try Row.fetchAll(db, sql: """
            SELECT line.*, account.holder, 1 AS current FROM line JOIN account ON account.id = line.accountId
            WHERE line.msisdn = ? ORDER BY line.accountId
            """, arguments: [msisdn]).map(LineMatch.init(row:))
    }
}

extension LineMatch {
    init(row: Row) {
        accountId = row["accountId"]
        holder = row["holder"]
        msisdn = row["msisdn"]
        imei = row["imei"]
        iccid = row["iccid"]
        device = row["device"]
        current = row["current"] ?? false
    }
}
