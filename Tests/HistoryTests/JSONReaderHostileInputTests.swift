import Foundation
import Testing
import TMDiagCore
@testable import History

/// The JSON reader on input written to break it: every refusal is one line that names the
/// line and column (in bytes) where reading stopped, never a crash or a hang.
@Suite("History import: hostile JSON")
struct JSONReaderHostileInputTests {
    func message(_ bytes: [UInt8]) -> String? {
        let reader = JSONStreamReader(ImportInput(reading: .memory(Data(bytes)), file: "h.json"))
        do {
            _ = try reader.readValue(path: "", onKey: { _, _ in })
            try reader.finish()
            return nil
        } catch { return (error as? TMDiagError)?.message ?? "\(error)" }
    }

    func message(_ text: String) -> String? { message(Array(text.utf8)) }

    func syntax(_ what: String, _ line: Int, _ column: Int) -> String {
        "h.json: not valid JSON: \(what) (line \(line), column \(column))"
    }

    @Test func truncatedDocumentsNameWhereTheyEnd() {
        #expect(message("") == syntax("unexpected end of the file (expected a value)", 1, 1))
        #expect(message(#"{"a""#) == syntax("unexpected end of the file (expected ':' after a key)", 1, 5))
        #expect(message(#"{"a": 1"#) == syntax("unexpected end of the file (expected ',' or '}')", 1, 8))
        #expect(message("{\"accounts\": [\n  {\"id\": \"A\"") == syntax("unexpected end of the file (expected ',' or '}')", 2, 13))
        #expect(message(#"{"a": "abc"#) == syntax("unexpected end of the file in a string", 1, 11))
        #expect(message(#""ab\"#) == syntax("unexpected end of the file in a string", 1, 5))
        #expect(message(#""\u12"#) == syntax("expected 4 hex digits after \\u", 1, 6))
        #expect(message("[tr") == syntax("expected true", 1, 4))
        #expect(message("[nul") == syntax("expected null", 1, 5))
    }

    @Test func deepNestingIsRefusedAtTheLevelPastTheLimit() {
        let depth = JSONStreamReader.maxDepth
        #expect(message(String(repeating: "[", count: depth + 1))
                == syntax("nested more than \(depth) levels deep", 1, depth + 2))
        #expect(message(String(repeating: #"{"a":"#, count: depth + 1))
                == syntax("nested more than \(depth) levels deep", 1, 5 * depth + 2))
        // At the limit the document reads.
        #expect(message(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) == nil)
    }

    @Test func hugeAndMalformedNumbers() {
        #expect(message(String(repeating: "9", count: 65)) == syntax("a number longer than 64 characters", 1, 66))
        #expect(message(String(repeating: "9", count: 64)) == nil)
        // Out of range for a Double is still a JSON number; the checks refuse numbers anyway.
        #expect(message("1e999999") == nil)
        #expect(message("[-]") == syntax("not a number: '-'", 1, 3))
        #expect(message("[1.]") == syntax("not a number: '1.'", 1, 4))
        #expect(message("[1e+]") == syntax("not a number: '1e+'", 1, 5))
        #expect(message("[+1]") == syntax("unexpected character '+'", 1, 2))
    }

    @Test func invalidUTF8NamesTheBadByte() {
        #expect(message([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x20, 0x22, 0x78, 0xFF, 0x22, 0x7D]) == "h.json:1:9: invalid UTF-8 (byte 0xFF)")
        // An overlong encoding of '/', and a UTF-16 surrogate written as UTF-8.
        #expect(message([0x5B, 0x0A, 0x22, 0xC0, 0xAF, 0x22, 0x5D]) == "h.json:2:2: invalid UTF-8 (byte 0xC0)")
        #expect(message([0x22, 0xED, 0xA0, 0x80, 0x22]) == "h.json:1:2: invalid UTF-8 (byte 0xED)")
        // A sequence cut by the end of the file.
        #expect(message([0x22, 0x61, 0xE2, 0x82]) == "h.json:1:3: invalid UTF-8 (byte 0xE2)")
    }

    @Test func aByteOrderMarkIsDroppedAndNotCounted() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(message(bom + Array(#"{"a": 1}"#.utf8)) == nil)
        #expect(message(bom + Array(#"{"a" 1}"#.utf8)) == syntax("expected ':' after a key", 1, 6))
        #expect(message(bom + [0x22, 0xFF, 0x22]) == "h.json:1:2: invalid UTF-8 (byte 0xFF)")
        // A second mark is no white space.
        #expect(message(bom + bom + Array("{}".utf8)) == syntax("unexpected character '\u{FFFD}'", 1, 1))
    }

    @Test func controlCharactersAreRefusedWhereTheyStand() {
        #expect(message("\"a\tb\"") == syntax("a control character in a string (escape it)", 1, 3))
        #expect(message("[\"a\nb\"]") == syntax("a control character in a string (escape it)", 1, 4))
        #expect(message("{\r\n\"a\" 1}") == syntax("expected ':' after a key", 2, 5))
        #expect(message([0x5B, 0x00, 0x5D]) == syntax("unexpected character '\\x00'", 1, 2))
        #expect(message("[1]\u{0C}") == syntax("more after the end of the document", 1, 4))
        #expect(message("[1] x") == syntax("more after the end of the document", 1, 5))
        #expect(message(#""\q""#) == syntax("an unknown escape '\\q'", 1, 3))
    }
}
