import TMDiagCore

/// `tmdiag explain`: turns `"+CME ERROR: 10"`, `cme 10`, `cms 301`, `emm 7`, `gmm 11`, `esm 33`,
/// `cc 17`, `"+CEER: EMM cause 7"` or a verbose error text into catalog entries.
public enum Explainer {
    public static func explain(_ input: String, catalog: ErrorCatalog) throws(TMDiagError) -> [Explanation] {
        let text = input.trimmingSpaces
        guard !text.isEmpty else { throw TMDiagError("explain: give an error, e.g. \"+CME ERROR: 10\" or \"emm 7\"", status: .usage) }
        if text.utf8.count > 4096 { throw TMDiagError("explain: input is \(text.utf8.count) bytes; give one error line", status: .dataError) }
        let upper = text.uppercased()

        if let f = FinalResult.parse(text) {
            switch f {
            case let .cme(code, t): return try one(catalog, "cme", code, t, input)
            case let .cms(code, t): return try one(catalog, "cms", code, t, input)
            default: break
            }
        }
        if upper.hasPrefix("+CEER") || upper.hasPrefix("CEER") {
            let b = FactsBuilder(catalog: catalog, operators: OperatorDirectory(names: [:]))
            guard let e = b.ceerError(text) else {
                throw TMDiagError("explain: \(TerminalText.escape(text, limit: 80)) reports no failure", status: .notFound)
            }
            return [Explanation(kind: e.kind.rawValue, table: e.kind == .ceer ? "ceer" : e.kind.rawValue, code: e.code,
                                name: e.raw, meaning: e.meaning, advice: e.advice ?? "", actor: e.actor ?? .network, source: nil)]
        }
        // "<table> [cause|error] [#]<n>" in any spacing or punctuation.
        let words = upper.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        let aliases: [String: String] = ["CME": "cme", "CMS": "cms", "EMM": "emm", "GMM": "gmm", "MM": "gmm",
                                         "ESM": "esm", "SM": "esm", "CC": "cc"]
        if let first = words.first, let table = aliases[first] {
            // The code is the word right after the table, past "ERROR", "CAUSE", "NO".
            let afterTable = words.dropFirst().drop { ["ERROR", "CAUSE", "NO", "CODE", "REJECT"].contains($0) }
            if let w = afterTable.first, let n = Int(w), afterTable.count == 1 {
                return try one(catalog, table, n, nil, input)
            }
            let whole = text.drop { $0.isLetter || $0 == "+" }.trimmingCharacters(in: CharacterSet(charactersIn: " :#"))
            if let e = catalog.explain(table: table, text: whole) { return [e] }
            var rest = Substring(text.drop { $0.isLetter || $0 == "+" })
            for filler in ["ERROR", "CAUSE"] {
                let r = rest.trimmingCharacters(in: CharacterSet(charactersIn: " :#"))
                if r.uppercased().hasPrefix(filler) { rest = Substring(r.dropFirst(filler.count)) }
            }
            return try one(catalog, table, nil, rest.trimmingCharacters(in: CharacterSet(charactersIn: " :#")), input)
        }
        if let n = Int(text) {
            var found: [Explanation] = []
            for t in ["cme", "cms", "emm", "gmm", "esm", "cc"] {
                if let e = catalog.explain(table: t, code: n) { found.append(e) }
            }
            if found.isEmpty { throw TMDiagError("explain: \(n) is in none of the tables", status: .notFound) }
            return found
        }
        // A verbose text alone: search every table.
        var found: [Explanation] = []
        let stripped = text.replacingOccurrences(of: "ERROR:", with: "", options: .caseInsensitive)
        for t in ["cme", "cms", "emm", "gmm", "esm", "cc"] {
            if let e = catalog.explain(table: t, text: stripped) { found.append(e) }
        }
        if found.isEmpty {
            throw TMDiagError("explain: no entry for \(TerminalText.escape(text, limit: 80)); try \"+CME ERROR: <n>\", \"cms <n>\", \"emm <n>\", \"gmm <n>\", \"esm <n>\" or \"cc <n>\"",
                              status: .notFound)
        }
        return found
    }

    private static func one(_ c: ErrorCatalog, _ table: String, _ code: Int?, _ text: String?, _ input: String) throws(TMDiagError) -> [Explanation] {
        if let code, let e = c.explain(table: table, code: code) { return [e] }
        if let text, let e = c.explain(table: table, text: text) { return [e] }
        let what = code.map(String.init) ?? TerminalText.escape(text ?? "", limit: 80)
        throw TMDiagError("explain: \(table) \(what) is not in the \(c.tables[table]?.source ?? table) table", status: .notFound)
    }
}

import Foundation
