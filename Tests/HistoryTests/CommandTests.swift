import Foundation
import History
import Testing
import TMDiagCore

/// The commands end to end: the built binary, a temporary store, the samples.
@Suite("history and lookup commands", .enabled(if: binaryExists, "build tmdiag first (swift build)"))
struct CommandTests {
    func store(importing files: [String]) throws -> (URL, String) {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("s/tmdiag.sqlite").path
        for f in files {
            let r = try runTMDiag(["history", "import", fixture(f)], store: path)
            #expect(r.status == 0, "\(r.err)")
        }
        return (dir, path)
    }

    @Test func importShowAndReveal() throws {
        let (dir, path) = try store(importing: goodFixtures + ["events.csv"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let again = try runTMDiag(["history", "import", fixture("consumer.json")], store: path)
        #expect(flat(again.out) == "Imported \(fixture("consumer.json")): 1 account, 1 line, 4 events (0 new), 1 case")
        let show = try runTMDiag(["history", "show", "--account", "acc-4001"], store: path)
        #expect(show.status == 0)
        #expect(flat(show.out).contains(flat("CAS-91064, store, Rep 3301, open: No service for 4 days after SIM swap")))
        #expect(show.out.contains("+****0199"))
        #expect(!show.out.contains("2065550199"))
        #expect(!show.out.contains("860910041234567"))
        let revealed = try runTMDiag(["history", "show", "--account", "ACC-4001", "--reveal", "msisdn,imei"], store: path)
        #expect(revealed.out.contains("+12065550199"))
        #expect(revealed.out.contains("860910041234567"))
        let since = try runTMDiag(["history", "show", "--account", "ACC-4001", "--since", "2026-11-14", "--json"], store: path)
        let json = try JSONSerialization.jsonObject(with: Data(since.out.utf8)) as? [String: Any]
        #expect((json?["events"] as? [Any])?.count == 2)
        let limited = try runTMDiag(["history", "show", "--account", "ACC-1001", "--limit", "2"], store: path)
        #expect(flat(limited.out).contains(flat("Timeline (the latest 2 of 7 events; --limit 0 shows all)")))
        #expect(flat(limited.out).contains("2026-11-13T00:00:00Z billing"))
        #expect(!limited.out.contains("plan_change"))
        let missing = try runTMDiag(["history", "show", "--account", "ACC-0"], store: path)
        #expect(missing.status == 2)
        #expect(missing.err == "tmdiag: no account 'ACC-0' in the store\n")
    }

    @Test func lookups() throws {
        let (dir, path) = try store(importing: goodFixtures)
        defer { try? FileManager.default.removeItem(at: dir) }
        let tac = try runTMDiag(["lookup", "--import-tac", fixture("tac.csv")], store: path)
        #expect(tac.out == "Imported \(fixture("tac.csv")): 6 TAC entries\n")
        let imei = try runTMDiag(["lookup", "imei", "356938035643809"], store: path)
        #expect(imei.status == 0)
        #expect(imei.out.hasPrefix("IMEI 35693803***3809 (valid) · TAC 35693803 · Google Pixel 8"))
        #expect(imei.out.contains("ACC-1001 (Sample Holder) line +****0142 · Pixel 8"))
        let imeiJSON = try runTMDiag(["lookup", "imei", "356938035643809", "--json"], store: path)
        let obj = try JSONSerialization.jsonObject(with: Data(imeiJSON.out.utf8)) as? [String: Any]
        #expect(obj?["imei"] as? String == "35693803***3809")
        let unknown = try runTMDiag(["lookup", "imei", "353285112345681"], store: path)
        #expect(unknown.status == 2)
        #expect(unknown.err == "tmdiag: IMEI 35328511***5681 (Apple iPhone 15): no line, event or report has it\n")
        #expect(unknown.out.isEmpty)
        let invalid = try runTMDiag(["lookup", "imei", "356938035643808"], store: path)
        #expect(invalid.status == 65)
        #expect(invalid.err == "tmdiag: not a valid IMEI: the check digit (Luhn) of 35693803***3808 is wrong\n")
        let line = try runTMDiag(["lookup", "line", "(206) 555-0171"], store: path)
        #expect(line.status == 0)
        #expect(line.out.contains("ACC-2001 (Harbor Freight Logistics LLC) line +****0171"))
        let account = try runTMDiag(["lookup", "account", "acc-3001"], store: path)
        #expect(account.out.contains("CAS-90002 · escalated · app · Rep 5120"))
        let c = try runTMDiag(["lookup", "case", "cas-93300", "--json"], store: path)
        let co = try JSONSerialization.jsonObject(with: Data(c.out.utf8)) as? [String: Any]
        #expect((co?["supportCase"] as? [String: Any])?["status"] as? String == "closed")
        let noCase = try runTMDiag(["lookup", "case", "CAS-0"], store: path)
        #expect(noCase.status == 2)
        #expect(noCase.err == "tmdiag: no case 'CAS-0' in the store\n")
        let usb = try runTMDiag(["lookup", "usb", "1199:9091", "--json"], store: path)
        #expect(usb.status == 0, "\(usb.err)")
        let uo = try JSONSerialization.jsonObject(with: Data(usb.out.utf8)) as? [String: Any]
        #expect((uo?["profiles"] as? [[String: Any]])?.first?["kind"] as? String == "modem", "1199:9091 is the EM7565's id")
        let badUSB = try runTMDiag(["lookup", "usb", "not-an-id"], store: path)
        #expect(badUSB.status == 64)
        #expect(badUSB.err.contains("is not VID:PID in hex"))
    }

    @Test func badImportThroughTheCommandLeavesTheStoreAlone() throws {
        let (dir, path) = try store(importing: ["consumer.json"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try runTMDiag(["history", "export"], store: path)
        let r = try runTMDiag(["history", "import", fixture("bad/unknown-kind.json")], store: path)
        #expect(r.status == 65)
        #expect(r.err.hasPrefix("tmdiag: \(fixture("bad/unknown-kind.json")): accounts[0].events[1].kind: unknown kind 'sim_swapped'"))
        #expect(r.err.split(separator: "\n").count == 1)
        let missing = try runTMDiag(["history", "import", "/nonexistent/file.json"], store: path)
        #expect(missing.status == 66)
        #expect(missing.err == "tmdiag: /nonexistent/file.json: no such file\n")
        #expect(try runTMDiag(["history", "export"], store: path).out == before.out)
    }

    @Test func addCaseAndAddEvent() throws {
        let (dir, path) = try store(importing: ["consumer.json"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let add = try runTMDiag(["history", "add-case", "--account", "ACC-1001", "--case", "CAS-77777", "--channel", "voice",
                                 "--rep", "Rep 88", "--status", "open", "--summary", "Called about no data",
                                 "--at", "2026-11-21T10:00:00Z"], store: path)
        #expect(add.status == 0, "\(add.err)")
        #expect(add.out == "Case CAS-77777 recorded (open).\n")
        let badChannel = try runTMDiag(["history", "add-case", "--account", "ACC-1001", "--case", "CAS-1", "--channel", "fax"], store: path)
        #expect(badChannel.status == 64)
        #expect(badChannel.err.hasPrefix("tmdiag: --channel: unknown channel 'fax'"))
        let ev = try runTMDiag(["history", "add-event", "--account", "ACC-1001", "--kind", "note", "--at", "2026-11-21T11:00:00Z",
                                "--summary", "Rep said to wait 24 hours"], store: path)
        #expect(ev.out == "Event recorded.\n")
        let badIMEI = try runTMDiag(["history", "add-event", "--account", "ACC-1001", "--kind", "device_change", "--imei", "123"], store: path)
        #expect(badIMEI.status == 64)
        #expect(badIMEI.err == "tmdiag: --imei: not an IMEI (expected 15 digits, got 3 characters)\n")
        let show = try runTMDiag(["history", "show", "--account", "ACC-1001"], store: path)
        #expect(flat(show.out).contains(flat("CAS-77777, voice, Rep 88, open: Called about no data")))
        #expect(flat(show.out).contains(flat("note          Rep said to wait 24 hours")))
    }

    @Test func hostileStringsAreEscapedOnTheTerminal() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tmdiag.sqlite").path
        let doc = #"{"accounts": [{"id": "ACC-X", "type": "consumer", "holder": "Eve\u001b[2J\u202eliam", "events": [{"at": "2026-11-02T10:00:00Z", "kind": "note", "summary": "line1\nline2\u0007"}]}]}"#
        let file = write(doc, to: dir, name: "hostile.json")
        #expect(try runTMDiag(["history", "import", file], store: path).status == 0)
        let show = try runTMDiag(["history", "show", "--account", "ACC-X"], store: path)
        #expect(!show.out.contains("\u{1b}"))
        #expect(!show.out.contains("\u{202e}"))
        #expect(show.out.contains("Eve\\x1B[2J\\u{202E}liam"))
        #expect(show.out.contains("line1\\nline2\\x07"))
    }
}

/// Text with its line breaks and runs of spaces folded: output wraps at 80 columns, and a
/// test that looks for a phrase should not depend on where a line broke.
func flat(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
