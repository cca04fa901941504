import Foundation
import TMDiagCore
import Testing
@testable import Modem
import Kit

/// Every case in Fixtures/at: the log, decoded, must give the expected facts (subset match),
/// the expected errors in order, and the expected count of unsolicited lines.
@Suite("AT session corpus (Fixtures/at)")
struct CorpusTests {
    static let cases: [String] = {
        let dir = repoRoot + "/Fixtures/at"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".log") }.map { String($0.dropLast(4)) }.sorted()
    }()

    @Test func theCorpusIsThere() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func decodesToTheExpectedFacts(_ name: String) throws {
        let dir = repoRoot + "/Fixtures/at/"
        let log = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + name + ".log")))
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + name + ".expected.json"))) as! [String: Any]
        let d = LogDecoder.decode(log, builder: FactsBuilder(catalog: testCatalog, operators: testData.operators))
        let actual = try JSONSerialization.jsonObject(with: JSONCoding.encode(d.builder.facts)) as! [String: Any]
        if let m = expected["modem"] as? [String: Any] {
            for problem in JSONSubset.mismatches(expected: m, actual: actual, path: "modem") {
                Issue.record("\(name): \(problem)")
            }
        }
        if let errs = expected["errors"] as? [[String: Any]] {
            let got = try JSONSerialization.jsonObject(with: JSONCoding.encode(d.builder.errors)) as! [[String: Any]]
            #expect(got.count == errs.count, "\(name): errors \(got.map { ($0["raw"] as? String) ?? "" }) vs expected \(errs.map { ($0["raw"] as? String) ?? "" })")
            for (i, e) in errs.enumerated() where i < got.count {
                var want = e
                want.removeValue(forKey: "meaning"); want.removeValue(forKey: "advice")
                for problem in JSONSubset.mismatches(expected: want, actual: got[i], path: "errors[\(i)]") {
                    Issue.record("\(name): \(problem)")
                }
            }
        }
        if let u = expected["urcs"] as? Int {
            #expect(d.builder.urcCount == u, "\(name): urcs")
        }
    }
}

enum JSONSubset {
    static func mismatches(expected: Any, actual: Any?, path: String) -> [String] {
        switch expected {
        case let e as [String: Any]:
            guard let a = actual as? [String: Any] else { return ["\(path): expected an object, got \(String(describing: actual))"] }
            return e.flatMap { k, v in mismatches(expected: v, actual: a[k], path: path + "." + k) }
        case let e as [Any]:
            guard let a = actual as? [Any] else { return ["\(path): expected a list, got \(String(describing: actual))"] }
            if e.count != a.count { return ["\(path): expected \(e.count) items, got \(a.count)"] }
            return zip(e, a).enumerated().flatMap { i, p in mismatches(expected: p.0, actual: p.1, path: "\(path)[\(i)]") }
        case let e as NSNumber where String(cString: e.objCType) != "c":
            guard let a = actual as? NSNumber else { return ["\(path): expected \(e), got \(String(describing: actual))"] }
            return abs(a.doubleValue - e.doubleValue) <= 0.05 ? [] : ["\(path): expected \(e), got \(a)"]
        case is NSNull:
            return actual == nil || actual is NSNull ? [] : ["\(path): expected null, got \(actual!)"]
        default:
            let es = "\(expected)", as_ = actual.map { "\($0)" }
            return es == as_ ? [] : ["\(path): expected \(es), got \(as_ ?? "nothing")"]
        }
    }
}
