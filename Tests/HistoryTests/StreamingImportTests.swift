import Foundation
import Testing
import TMDiagCore
@testable import History

/// The streaming reader and the streamed imports: values across chunk ends, positions in
/// errors, and memory that does not grow with the file.
@Suite("History import: streaming")
struct StreamingImportTests {
    func reader(_ text: String) -> JSONStreamReader {
        JSONStreamReader(ImportInput(reading: .memory(Data(text.utf8)), file: "t.json"))
    }

    func syntaxError(_ text: String) -> String? {
        do {
            _ = try reader(text).readValue(path: "", onKey: { _, _ in })
            return nil
        } catch { return (error as? TMDiagError)?.message }
    }

    @Test func readsEveryKindOfValue() throws {
        let v = try reader(#" {"s": "a\"b\\c\/d\n\u00e9\ud83d\ude00", "n": -12.5e+3, "t": true, "f": false, "z": null, "a": [1, [], {}]} "#)
            .readValue(path: "", onKey: { _, _ in }) as? [String: Any]
        #expect(v?["s"] as? String == "a\"b\\c/d\né😀")
        #expect((v?["n"] as? JSONNumber)?.text == "-12.5e+3")
        #expect(v?["t"] as? Bool == true)
        #expect(v?["f"] as? Bool == false)
        #expect(v?["z"] is NSNull)
        #expect((v?["a"] as? [Any])?.count == 3)
    }

    @Test func noFieldOfTheDocumentIsNamedLikeASecret() {
        for name in JSONImporter.documentFields { #expect(!SecretFields.isSecret(fieldName: name), "\(name)") }
    }

    @Test func syntaxErrorsNameTheLineAndColumn() {
        #expect(syntaxError("{\n  \"a\": 1,\n  \"b\" 2}") == "t.json: not valid JSON: expected ':' after a key (line 3, column 7)")
        #expect(syntaxError("{\"a\": [1, 2") == "t.json: not valid JSON: unexpected end of the file (expected ',' or ']') (line 1, column 12)")
        #expect(syntaxError("[01]")?.contains("not a number: '01'") == true)
        #expect(syntaxError("\"tab\there\"")?.contains("a control character in a string") == true)
        #expect(syntaxError("\"\\ud800x\"")?.contains("a lone surrogate") == true)
        #expect(syntaxError("[tru]")?.contains("expected true") == true)
        #expect(syntaxError(String(repeating: "[", count: 300))?.contains("nested more than 256 levels deep") == true)
        for good in ["0", "-0.5", "1e9", "\"\"", "[]", "{}"] { #expect(syntaxError(good) == nil, "\(good)") }
    }

    /// Values, escapes and a multi-byte character cut by the 1 MiB chunk end read as whole.
    @Test func valuesCutByAChunkEndReadWhole() throws {
        for pad in (ImportInput.chunkSize - 12)...(ImportInput.chunkSize - 1) {
            let text = String(repeating: " ", count: pad) + #"{"k": "é\u00e9😀x"}"#
            let v = try reader(text).readValue(path: "", onKey: { _, _ in }) as? [String: Any]
            #expect(v?["k"] as? String == "éé😀x", "pad \(pad)")
        }
    }

    @Test func invalidUTF8AfterTheFirstChunkNamesItsLineAndColumn() {
        var bytes = Array(String(repeating: "x\n", count: 600_000).utf8)
        bytes += [0x61, 0xC3, 0x28]
        let input = ImportInput(reading: .memory(Data(bytes)), file: "u.csv")
        var message: String?
        do { while try input.refill() { input.start = input.end } } catch { message = error.message }
        #expect(message == "u.csv:600001:2: invalid UTF-8 (byte 0xC3)")
    }

    /// CSV records whose quoted fields hold line ends, across chunk ends, keep their line numbers.
    @Test func csvRecordsAcrossChunkEndsKeepTheirLines() throws {
        var text = "account,at,kind,summary\n"
        var expected: [(Int, String)] = []
        var line = 2
        while text.utf8.count < 3 * ImportInput.chunkSize {
            let summary = line % 3 == 0 ? "two\nlines, \"quoted\"" : "plain \(line)"
            let quoted = "\"" + summary.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            text += "ACC-1,2026-01-01T00:00:00Z,note,\(quoted)\n"
            expected.append((line, summary))
            line += summary.contains("\n") ? 2 : 1
        }
        var seen: [(Int, String)] = []
        let input = ImportInput(reading: .memory(Data(text.utf8)), file: "c.csv")
        try CSV.forEachRecord(input, file: "c.csv") { line, fields in if line > 1 { seen.append((line, fields[3])) } }
        #expect(seen.count == expected.count)
        #expect(seen.elementsEqual(expected) { $0 == $1 })
    }

    @Test func aBadRowFarIntoALargeCSVFileNamesItsLineAndLeavesTheStore() throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        let before = try t.snapshot()
        var text = "account,at,kind,summary\n"
        for i in 0..<40_000 { text += "ACC-1001,2025-01-01T00:00:00Z,note,streamed row \(i) \(String(repeating: "x", count: 40))\n" }
        text += "ACC-1001,2025-01-01T00:00:00Z,nope,bad\n"
        let path = write(text, to: t.dir, name: "far.csv")
        let e = #expect(throws: TMDiagError.self) { try t.store.importFile(path) }
        #expect(e?.message == "\(path):40002:3: kind: unknown kind 'nope'; expected one of "
                + EventKind.allCases.map(\.rawValue).joined(separator: ", "), "\(e?.message ?? "")")
        #expect(try t.snapshot() == before)
    }

    @Test func aBadEventFarIntoALargeJSONFileNamesItsPathAndLeavesTheStore() throws {
        let t = try TempStore(importing: ["consumer.json"])
        defer { t.cleanup() }
        let before = try t.snapshot()
        var doc = #"{"accounts": ["#
        for a in 0..<200 {
            doc += (a > 0 ? "," : "") + #"{"events": ["#
            for i in 0..<100 {
                doc += (i > 0 ? "," : "") + #"{"at": "2025-01-01T00:00:\#(String(format: "%02d", i % 60))Z", "kind": "note", "summary": "e\#(i)"}"#
            }
            if a == 199 { doc += #", {"at": "2025-02-30", "kind": "note"}"# }
            doc += #"], "id": "S-\#(a)", "type": "consumer"}"#
        }
        doc += "]}"
        let path = write(doc, to: t.dir, name: "far.json")
        let e = #expect(throws: TMDiagError.self) { try t.store.importFile(path) }
        #expect(e?.message.hasPrefix("\(path): accounts[199].events[100].at: not a possible ISO 8601 time") == true, "\(e?.message ?? "")")
        #expect(try t.snapshot() == before)
    }

    /// An export writes `events` before `id` (sorted keys): the streamed import still takes it.
    @Test func anExportWithEventsBeforeTheAccountIdImportsTheSame() throws {
        let a = try TempStore(importing: goodFixtures)
        defer { a.cleanup() }
        let b = try TempStore()
        defer { b.cleanup() }
        let exported = try a.store.exportJSON()
        let eventsAt = try #require(String(decoding: exported, as: UTF8.self).range(of: "\"events\""))
        let idAt = try #require(String(decoding: exported, as: UTF8.self).range(of: "\"id\""))
        #expect(eventsAt.lowerBound < idAt.lowerBound)
        _ = try b.store.importHistory(json: exported, file: "export.json")
        #expect(try b.store.exportJSON() == exported)
    }

    /// A file far larger than what the importer keeps in memory: peak memory of `tmdiag
    /// history import` stays near its size without the file.
    @Test(.enabled(if: binaryExists, "needs .build/debug/tmdiag (swift build)"))
    func memoryDoesNotGrowWithTheFile() throws {
        let t = try TempStore()
        defer { t.cleanup() }
        let path = t.dir.appendingPathComponent("padded.json").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let h = try #require(FileHandle(forWritingAtPath: path))
        try h.write(contentsOf: Data(#"{"accounts": [{"id": "PAD-1", "type": "consumer", "events": ["#.utf8))
        let spaces = Data(repeating: 0x20, count: 1 << 20)
        let event = Data(#"{"at": "2026-01-01T00:00:00Z", "kind": "note", "summary": "padded"}"#.utf8)
        // 160 copies of one event, 1 MiB of white space apart: stored once.
        for i in 0..<160 {
            try h.write(contentsOf: (i > 0 ? Data(",".utf8) : Data()) + spaces + event)
        }
        try h.write(contentsOf: Data("]}]}".utf8))
        try h.close()
        let (status, peak) = try runMeasuringPeakMemory(["history", "import", path], store: t.path)
        #expect(status == 0)
        #expect(try t.store.counts().events == 1)
        // Reading the file whole would take 160 MiB and more.
        #expect(peak < 100 * 1024 * 1024, "peak \(peak / 1_048_576) MiB")
    }

    /// Runs the built binary and samples its resident memory until it ends; the largest seen.
    func runMeasuringPeakMemory(_ args: [String], store: String) throws -> (Int32, Int) {
        let p = Process()
        p.executableURL = packageRoot.appendingPathComponent(".build/debug/tmdiag")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["TMDIAG_STORE"] = store
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var peak = 0
        while p.isRunning {
            if let status = try? String(contentsOfFile: "/proc/\(p.processIdentifier)/status", encoding: .utf8),
               let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kb = Int(line.split(separator: " ").dropFirst().first ?? "") {
                peak = max(peak, kb * 1024)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        p.waitUntilExit()
        return (p.terminationStatus, peak)
    }
}
