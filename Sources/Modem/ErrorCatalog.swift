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
}

/// The error catalog: every table, with lookups by code and by verbose text.
public struct ErrorCatalog: Sendable {
    public private(set) var tables: [String: ErrorTable]
    private var byText: [String: [String: Int]] = [:]   // table -> normalised text -> entry index

    public init(tables: [ErrorTable]) {
        self.tables = [:]
        for t in tables {
            self.tables[t.kind] = t
            var index: [String: Int] = [:]
            for (i, e) in t.entries.enumerated() {
                for s in [e.text] + (e.aliases ?? []) {
                    let k = Self.normalize(s)
                    if index[k] == nil { index[k] = i }
                }
            }
            byText[t.kind] = index
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
