import Foundation
import Kit
import TMDiagCore
import Testing

@testable import Modem

@Suite("Error catalog and explain")
struct CatalogTests {
    @Test func cmeTenIsSimNotInserted() throws {
        let e = try Explainer.explain("+CME ERROR: 10", catalog: testCatalog)
        #expect(e.count == 1)
        #expect(e[0].kind == "cme" && e[0].code == 10)
        #expect(e[0].name.lowercased().contains("sim not inserted"))
        #expect(!e[0].advice.isEmpty)
        #expect(e[0].actor == .customer)
    }

    @Test(arguments: ["cme", "cms", "emm", "gmm", "esm", "cc"])
    func everyCodeOfEveryTableResolves(_ table: String) throws {
        let t = try #require(testCatalog.tables[table])
        #expect(t.entries.count > 20)
        for e in t.entries {
            let input = table == "cme" ? "+CME ERROR: \(e.code)" : table == "cms" ? "+CMS ERROR: \(e.code)" : "\(table) \(e.code)"
            let found = try Explainer.explain(input, catalog: testCatalog)
            #expect(found.first?.code == e.code, "\(input)")
            #expect(!(found.first?.meaning.isEmpty ?? true))
            // Verbose forms map to the same entry, whatever the case and punctuation.
            let verbose = try Explainer.explain("\(table) \(e.text.uppercased())!", catalog: testCatalog)
            #expect(verbose.first.map { $0.code == e.code || testCatalog.entry(table, text: e.text)?.code == $0.code } == true, "\(table) \(e.text)")
        }
    }

    @Test func verboseAndShortFormsAgree() throws {
        let a = try Explainer.explain("+CME ERROR: SIM not inserted", catalog: testCatalog)
        let b = try Explainer.explain("cme 10", catalog: testCatalog)
        let c = try Explainer.explain("CME ERROR: sim-not-inserted.", catalog: testCatalog)
        #expect(a == b && b == c)
        #expect(try Explainer.explain("emm 7", catalog: testCatalog).first?.actor == .carrier)
        #expect(try Explainer.explain("+CEER: EMM cause 7", catalog: testCatalog).first?.code == 7)
        #expect(try Explainer.explain("cms 301", catalog: testCatalog).first?.kind == "cms")
    }

    @Test func nonsenseIsAClearError() {
        for bad in ["", "cme 99999", "hello world", String(repeating: "A", count: 10_000), "\u{1B}[2J"] {
            #expect(throws: TMDiagError.self) { try Explainer.explain(bad, catalog: testCatalog) }
        }
    }
}
