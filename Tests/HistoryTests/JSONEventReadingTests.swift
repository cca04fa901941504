import Foundation
import Testing
import TMDiagCore
@testable import History

/// Events of the JSON document are read field by field (not as a dictionary): the same
/// refusals, in the same order, with the same paths as any other object of the document.
@Suite("History import: JSON events")
struct JSONEventReadingTests {
    func refusal(_ events: String) throws -> String? {
        let t = try TempStore()
        defer { t.cleanup() }
        let doc = #"{"accounts": [{"id": "A", "type": "consumer", "events": [\#(events)]}]}"#
        do {
            _ = try t.store.importHistory(json: Data(doc.utf8), file: "f.json")
            return nil
        } catch { return error.message }
    }

    let known = EventField.names.sorted().joined(separator: ", ")

    @Test func theFirstUnknownFieldInSortedOrderIsNamed() throws {
        #expect(try refusal(#"{"at": "2026-11-02", "kind": "note", "zeta": 1, "alpha": {"x": []}}"#)
                == "f.json: accounts[0].events[0].alpha: unknown field (expected one of \(known))")
    }

    @Test func aSyntaxErrorLaterInTheEventComesBeforeAnUnknownField() throws {
        let message = try refusal(#"{"sumary": "x", "kind": nope}"#)
        #expect(message?.hasPrefix("f.json: not valid JSON: expected null (line 1, column") == true, "\(message ?? "")")
    }

    @Test func anEventThatIsNoObjectIsNamed() throws {
        #expect(try refusal(#""note""#) == "f.json: accounts[0].events[0]: must be an object, not a string")
        #expect(try refusal(#"{"at": "2026-11-02", "kind": "note"}, null"#) == "f.json: accounts[0].events[1]: must be an object, not null")
        // A secret's name inside it is refused first, with its path.
        let message = try refusal(#"[{"pin": "1234"}]"#)
        #expect(message?.hasPrefix("f.json: accounts[0].events[0][0].pin: field 'pin' looks like a secret") == true, "\(message ?? "")")
    }

    @Test func aSecretsNameInAnEventStopsAtOnce() throws {
        let message = try refusal(#"{"at": "2026-11-02", "kind": "note", "extra": {"securityAnswer": "x"}, "zzz": 1}"#)
        #expect(message?.hasPrefix("f.json: accounts[0].events[0].extra.securityAnswer: field 'securityAnswer' looks like a secret")
                == true, "\(message ?? "")")
    }

    @Test func aRepeatedKeyKeepsItsLastValue() throws {
        #expect(try refusal(#"{"at": "2026-11-02", "kind": "outrage", "kind": "note"}"#) == nil)
        #expect(try refusal(#"{"at": "2026-11-02", "kind": "note", "kind": "outrage"}"#)?
            .hasPrefix("f.json: accounts[0].events[0].kind: unknown kind 'outrage'") == true)
    }

    @Test func reportListsAndNullsReadAsBefore() throws {
        let open = #""at": "2026-11-02", "kind": "support_case", "case": "C-1", "status": "open""#
        #expect(try refusal(#"{\#(open), "reports": ["r1", 2]}"#) == "f.json: accounts[0].events[0].reports[1]: must be a string, not a number")
        #expect(try refusal(#"{\#(open), "reports": "r1"}"#) == "f.json: accounts[0].events[0].reports: must be an array, not a string")
        #expect(try refusal(#"{\#(open), "reports": null, "summary": null, "rep": "  "}"#) == nil)
        #expect(try refusal(#"{"at": "2026-11-02", "kind": "note", "msisdn": 12065550100}"#)
                == "f.json: accounts[0].events[0].msisdn: must be a string, not a number")
    }

    @Test func whatIsReadIsWhatIsStored() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let doc = #"{"accounts": [{"id": "A", "type": "consumer", "events": [{"summary": " Trip ", "kind": "roaming", "#
            + #""at": "2026-11-02T10:00:00Z", "end": "2026-11-09", "country": "JP", "msisdn": "206-555-0100"}]}]}"#
        _ = try t.store.importHistory(json: Data(doc.utf8), file: "f.json")
        let e = try #require(try t.store.events(account: "A").first)
        var expected = EventInput(at: 1_793_613_600, kind: .roaming, summary: "Trip")
        expected.endAt = 1_794_182_400
        expected.country = "JP"
        expected.msisdn = "+12065550100"
        #expect(e.event == expected)
    }
}
