import Foundation
import GRDB

/// An account holder and plan. The id is the carrier's account number (`ACC-1001`); it compares
/// case-insensitively.
public struct Account: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "account"
    public var id: String
    public var holder: String?
    public var type: AccountType
    public var plan: String?

    public init(id: String, holder: String?, type: AccountType, plan: String?) {
        self.id = id
        self.holder = holder
        self.type = type
        self.plan = plan
    }
}

extension Account {
    static func find(_ db: Database, id: String) throws -> Account? {
        try Account.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id])
    }

    /// Accounts whose line has this number now, newest knowledge first.
    static func holding(_ db: Database, msisdn: String) throws -> [Account] {
        try Account.fetchAll(db, sql: """
            SELECT DISTINCT account.* FROM account JOIN line ON line.accountId = account.id
            WHERE line.msisdn = ? ORDER BY account.id
            """, arguments: [msisdn])
    }
}
