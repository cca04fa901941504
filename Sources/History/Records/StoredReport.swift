import Foundation
import GRDB
import TMDiagCore

/// A device report as the store keeps it: the JSON as written, its digest, and the full
/// identifiers it names (for lookups; they never leave the machine from here).
public struct StoredReport: Codable, Sendable, Hashable {
    /// Short and quotable, `R-7KQ2M9`; compared case-insensitively.
    public var id: String
    public var createdAt: Date
    public var imeis: [String]
    public var iccids: [String]
    public var imsis: [String]
    public var msisdns: [String]
    public var serials: [String]
    public var json: Data
    public var sha256: String

    public init(id: String, createdAt: Date, imeis: [String] = [], iccids: [String] = [], imsis: [String] = [],
                msisdns: [String] = [], serials: [String] = [], json: Data, sha256: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.imeis = imeis
        self.iccids = iccids
        self.imsis = imsis
        self.msisdns = msisdns
        self.serials = serials
        self.json = json
        self.sha256 = sha256 ?? SHA256.hex(json)
    }

    /// A new report id: `R-` and six characters of Crockford base 32 (no I, L, O, U).
    public static func newId() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var g = SystemRandomNumberGenerator()
        return "R-" + String((0..<6).map { _ in alphabet[Int(g.next() % UInt64(alphabet.count))] })
    }
}

/// The `report` table row.
struct ReportRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "report"
    var id: String
    var createdAt: Date
    var json: Data
    var sha256: String

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .secondsSince1970 }
}

/// One identifier a report names; the primary key (kind, value, report) is the lookup index.
struct ReportIdentifier: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "reportIdentifier"
    var reportId: String
    var kind: String
    var value: String
}

extension StoredReport {
    static func load(_ db: Database, _ record: ReportRecord) throws -> StoredReport {
        let ids = try ReportIdentifier.fetchAll(db, sql: "SELECT * FROM reportIdentifier WHERE reportId = ? ORDER BY kind, value",
                                                arguments: [record.id])
        func values(_ kind: String) -> [String] { ids.filter { $0.kind == kind }.map(\.value) }
        return StoredReport(id: record.id, createdAt: record.createdAt, imeis: values("imei"), iccids: values("iccid"),
                            imsis: values("imsi"), msisdns: values("msisdn"), serials: values("serial"),
                            json: record.json, sha256: record.sha256)
    }

    static func find(_ db: Database, id: String) throws -> StoredReport? {
        try ReportRecord.fetchOne(db, sql: "SELECT * FROM report WHERE id = ?", arguments: [id.trimmingSpaces])
            .map { try load(db, $0) }
    }

    static func latest(_ db: Database) throws -> StoredReport? {
        try ReportRecord.fetchOne(db, sql: "SELECT * FROM report ORDER BY createdAt DESC, rowid DESC LIMIT 1")
            .map { try load(db, $0) }
    }

    static func naming(_ db: Database, kind: String, value: String) throws -> [StoredReport] {
        try ReportRecord.fetchAll(db, sql: """
            SELECT report.* FROM report JOIN reportIdentifier ON reportIdentifier.reportId = report.id
            WHERE reportIdentifier.kind = ? AND reportIdentifier.value = ? ORDER BY report.createdAt DESC
            """, arguments: [kind, value]).map { try load(db, $0) }
    }
}
