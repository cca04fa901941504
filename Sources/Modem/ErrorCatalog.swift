import TMDiagCore

/// One error code of a standard's table, in our words.
public struct ErrorEntry: Codable, Sendable, Hashable {
    public var code: Int
    /// Last code of a range entry (manufacturer-specific blocks).
    public var to: Int?
    /// The standard's verbose text, as modems print it with `AT+CMEE=2`.
    public var text: String
    public var aliases: [String]?
    public var meaning: String
    public var actor: Actor
    public var advice: String

    public func covers(_ c: Int) -> Bool { c == code || (to.map { code...$0 ~= c } ?? false) }
}

/// One table: `cme` (TS 27.007 §9.2), `cms` (TS 27.005 §3.2.5), `emm` (TS 24.301 §9.9.3.9),
/// `gmm` (TS 24.008 §10.5.3.6/§10.5.5.14), `esm` (TS 24.301 §9.9.4.4 with SM causes),
/// `cc` (TS 24.008 §10.5.4.11).
public struct ErrorTable: Codable, Sendable, Hashable {
    public var kind: String
    public var title: String?
    public var source: String?
    public var entries: [ErrorEntry]
}

/// What `explain` and the parsers return for a code.
public struct Explanation: Codable, Sendable, Hashable {
    /// The contract's kind: cme, cms, emm, gmm, ceer (esm and cc causes arrive through +CEER).
    public var kind: String
    /// The table the entry came from (cme, cms, emm, gmm, esm, cc).
    public var table: String
    public var code: Int?
    /// The standard's name for it.
    public var name: String
    public var meaning: String
    public var advice: String
    public var actor: Actor
    public var source: String?

    public init(kind: String, table: String, code: Int?, name: String, meaning: String, advice: String, actor: Actor,
                source: String?) {
        self.kind = kind
        self.table = table
        self.code = code
        self.name = name
        self.meaning = meaning
        self.advice = advice
        self.actor = actor
        self.source = source
    }
}

/// The error catalog: every table, with lookups by code and by verbose text.
public struct ErrorCatalog: Sendable {
    /// The tables, or how to load them on first use.
    private let store: Store

    public var tables: [String: ErrorTable] { store.tables }
    private var byText: [String: [String: Int]] { store.textIndex }

    public init(tables: [ErrorTable]) {
        store = Store(Self.byKind(tables))
    }

    /// A catalog parsed only when a lookup first needs it: a report of healthy modems then
    /// never pays for parsing the tables. A loader that fails yields an empty catalog (errors
    /// then read "not in the tables"); `explain` and `decode` load eagerly and fail loudly.
    public static func lazy(_ load: @escaping @Sendable () -> [ErrorTable]) -> ErrorCatalog {
        ErrorCatalog(store: Store(load))
    }

    private init(store: Store) { self.store = store }

    static func byKind(_ tables: [ErrorTable]) -> [String: ErrorTable] {
        Dictionary(tables.map { ($0.kind, $0) }, uniquingKeysWith: { _, b in b })
    }

    /// Table → normalised verbose text (and aliases) → entry index.
    static func textIndex(_ tables: [String: ErrorTable]) -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for (kind, t) in tables {
            var index: [String: Int] = [:]
            for (i, e) in t.entries.enumerated() {
                for s in [e.text] + (e.aliases ?? []) {
                    let k = normalize(s)
                    if index[k] == nil { index[k] = i }
                }
            }
            out[kind] = index
        }
        return out
    }

    /// The tables, loaded on first use; the text index, built on the first lookup by text
    /// (most logs carry numeric codes).
    final class Store: Sendable {
        private struct Loaded {
            var tables: [String: ErrorTable]?
            var textIndex: [String: [String: Int]]?
        }
        private let loaded: Locked<Loaded>
        private let loader: (@Sendable () -> [ErrorTable])?

        init(_ tables: [String: ErrorTable]) { loaded = Locked(Loaded(tables: tables)); loader = nil }
        init(_ loader: @escaping @Sendable () -> [ErrorTable]) { loaded = Locked(Loaded()); self.loader = loader }

        var tables: [String: ErrorTable] { loaded.withLock { tables(&$0) } }

        var textIndex: [String: [String: Int]] {
            loaded.withLock {
                if let i = $0.textIndex { return i }
                let i = ErrorCatalog.textIndex(tables(&$0))
                $0.textIndex = i
                return i
            }
        }

        private func tables(_ state: inout Loaded) -> [String: ErrorTable] {
            if let t = state.tables { return t }
            let t = ErrorCatalog.byKind(loader?() ?? [])
            state.tables = t
            return t
        }
    }

    public static let empty = ErrorCatalog(tables: [])

    /// Case, spaces and punctuation do not matter: "SIM not inserted" = "sim-not-inserted.".
    public static func normalize(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    public func entry(_ table: String, code: Int) -> ErrorEntry? {
        tables[table]?.entries.first { $0.covers(code) }
    }

    public func entry(_ table: String, text: String) -> ErrorEntry? {
        guard let t = tables[table], let i = byText[table]?[Self.normalize(text)] else { return nil }
        return t.entries[i]
    }

    public func explain(table: String, code: Int) -> Explanation? {
        guard let e = entry(table, code: code) else { return nil }
        return explanation(table: table, entry: e, code: code)
    }

    public func explain(table: String, text: String) -> Explanation? {
        guard let e = entry(table, text: text) else { return nil }
        return explanation(table: table, entry: e, code: e.code)
    }

    func explanation(table: String, entry e: ErrorEntry, code: Int) -> Explanation {
        let kind = (table == "esm" || table == "cc") ? "ceer" : table
        return Explanation(kind: kind, table: table, code: code, name: e.text, meaning: e.meaning,
                           advice: e.advice, actor: e.actor, source: tables[table]?.source)
    }
}

import Foundation
