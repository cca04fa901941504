// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import Foundation
import PostgresNIO
import TMDiagCore

/// Brings a PostgreSQL store to `PostgresSchema.version` on first use: in one transaction,
/// under an advisory lock (two agents opening a new store at once do not both migrate it),
/// the frozen migrations newer than the newest row of `tmdiag_schema_version` are applied.
/// A store of a newer tmdiag is refused, as the SQLite store is; a database with other
/// tables and no version table is not a tmdiag store and is left as it is.
enum PostgresMigrator {
    /// Returns false, changing nothing, for a database without the schema when `absentIsNil`
    /// (and `create` is false).
    @discardableResult
    static func migrate(_ session: PostgresSession, create: Bool, absentIsNil: Bool = false) throws(TMDiagError) -> Bool {
        let shown = session.target.description
        // An up-to-date store, the common case, costs one query and no lock. (A database without
        // the version table fails this query harmlessly: nothing has begun.)
        if let row = (try? session.run("SELECT coalesce(max(version), 0)::bigint FROM tmdiag_schema_version"))?.rows.first,
           let version = try? PostgresRecord(row).first(as: Int64.self) {
            if version == PostgresSchema.version { return true }
            if version > PostgresSchema.version {
                throw HistoryStore.newerSchema(shown, version: Int(version), understood: PostgresSchema.version)
            }
        }
        return try session.transaction(doing: "cannot set up the schema") { tx throws(TMDiagError) -> Bool in
            try tx.run("SELECT pg_advisory_xact_lock($1)", [.integer(PostgresSchema.migrationLock)])
            let tables = try tx.run("""
                SELECT table_name::text FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                """).rows.compactMap { try? PostgresRecord($0).first(as: String.self) }
            var current = 0
            if tables.contains("tmdiag_schema_version") {
                let row = try tx.run("SELECT coalesce(max(version), 0)::bigint FROM tmdiag_schema_version").rows.first
                current = Int(row.flatMap { try? PostgresRecord($0).first(as: Int64.self) } ?? 0)
            } else if !tables.isEmpty {
                throw TMDiagError("store \(shown) is a PostgreSQL database but not a tmdiag store (it has other tables); "
                                  + "it was left as it is", status: .dataError)
            } else if !create {
                if absentIsNil { return false }
                throw TMDiagError("no history store at \(shown) (import one with `tmdiag history import FILE`)", status: .notFound)
            }
            if current > PostgresSchema.version { throw HistoryStore.newerSchema(shown, version: current, understood: PostgresSchema.version) }
            for m in PostgresSchema.migrations where m.version > current {
                for statement in statements(m.sql) { try tx.run(statement) }
            }
            return true
        }
    }

    /// The statements of a frozen migration (one per line, each ending in `;`): the extended
    /// protocol that postgres-nio speaks takes one statement at a time.
    static func statements(_ sql: String) -> [String] {
        sql.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { $0.hasSuffix(";") ? String($0.dropLast()) : $0 }
    }
}
#endif
