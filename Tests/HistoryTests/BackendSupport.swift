import Foundation
import Testing
import TMDiagCore
@testable import History

/// The two backends the store contract runs on.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

extension TestPostgres {
    /// The test server's URL for `database` (its socket folder as the host, percent-encoded).
    static func url(database: String) -> String {
        "postgresql://tmdiag@" + socket!.replacingOccurrences(of: "/", with: "%2F") + ":5432/" + database
    }

    /// A new empty database, for a test of its own (tests run in parallel); dropped by `drop`.
    static func emptyDatabase() throws -> String {
        let name = "c_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(24)
        let r = try psql("CREATE DATABASE \(name);")
        try #require(r.status == 0, "\(r.err)")
        return name
    }
}

/// A store of one backend for one test: an SQLite file in a temporary folder, or a database of
/// its own on the test server. `make` returns nil, after printing why, where the backend
/// cannot run here.
struct BackendStore {
    let kind: StoreKind
    let dir: URL
    /// The path or URL, as `--store` takes it.
    let location: String
    let database: String?
    let store: HistoryStore

    static func make(_ kind: StoreKind, importing files: [String] = [], test: String = #function) throws -> BackendStore? {
        let dir = temporaryDirectory()
        switch kind {
        case .sqlite:
            let path = dir.appendingPathComponent("tmdiag.sqlite").path
            let s = BackendStore(kind: kind, dir: dir, location: path, database: nil, store: try HistoryStore.open(path: path))
            for f in files { _ = try s.store.importFile(fixture(f)) }
            return s
        case .postgres:
            guard TestPostgres.available else {
                print("skipped \(test) on PostgreSQL: \(TestPostgres.skipReason.rawValue)")
                try? FileManager.default.removeItem(at: dir)
                return nil
            }
            let db = try TestPostgres.emptyDatabase()
            let url = TestPostgres.url(database: db)
            let s = BackendStore(kind: kind, dir: dir, location: url, database: db, store: try HistoryStore.open(path: url))
            for f in files { _ = try s.store.importFile(fixture(f)) }
            return s
        }
    }

    /// The same store opened again (another agent, another process's view).
    func reopen(create: Bool = false) throws -> HistoryStore { try HistoryStore.open(path: location, create: create) }

    func cleanup() {
        if let database { TestPostgres.drop(database) }
        try? FileManager.default.removeItem(at: dir)
    }

    /// Everything the store holds, to compare before and after a failed write.
    func snapshot() throws -> String {
        let json = String(decoding: try store.exportJSON(), as: UTF8.self)
        return "\(try store.counts())\n\(json)"
    }
}

/// Results compared across backends without the row ids each database gives.
extension ServiceEvent {
    var withoutId: ServiceEvent { var e = self; e.id = nil; return e }
}

extension SupportCase {
    var withoutId: SupportCase { var c = self; c.id = nil; return c }
}

extension Line {
    var withoutId: Line { var l = self; l.id = nil; return l }
}
