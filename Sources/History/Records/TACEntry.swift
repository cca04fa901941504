import Foundation
import GRDB

/// A Type Allocation Code (the first 8 digits of an IMEI) and the model it names.
public struct TACEntry: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "tac"
    public var tac: String
    public var manufacturer: String?
    public var model: String?

    public init(tac: String, manufacturer: String?, model: String?) {
        self.tac = tac
        self.manufacturer = manufacturer
        self.model = model
    }

    /// "Google Pixel 8", or whichever half is known.
    public var displayName: String {
        switch (manufacturer, model) {
        case let (m?, n?): return n.lowercased().hasPrefix(m.lowercased()) ? n : "\(m) \(n)"
        case let (m?, nil): return m
        case let (nil, n?): return n
        default: return "TAC \(tac)"
        }
    }

    static func find(_ db: Database, tac: String) throws -> TACEntry? {
        try TACEntry.fetchOne(db, key: tac)
    }
}
