import Foundation
import Testing
import TestSupport

/// What a customer and an agent read must be true and safe: readable at 80 columns, no
/// "nothing wrong" without evidence, masks that survive a second pass, secrets that never pass,
/// the right account. Every check runs the built binary (under umockdev where a device is
/// needed), as a person would.
@Suite("Output a customer and an agent can trust", .serialized)
struct TrustworthyOutputTests {
    static let root = packageRoot
    static let tmdiag = Built.tmdiag
    static let bed = Built.bed
    static let canRunBed = FileManager.default.isExecutableFile(atPath: bed)
        && (FileManager.default.fileExists(atPath: "/usr/lib/x86_64-linux-gnu/libumockdev-preload.so.0")
            || FileManager.default.fileExists(atPath: "/usr/lib/aarch64-linux-gnu/libumockdev-preload.so.0"))

    /// A fresh store path in a fresh folder.
    static func storePath() -> String {
        let dir = NSTemporaryDirectory() + "tmdiag-trust-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/store.sqlite"
    }

    static func run(_ args: [String], store: String? = nil, stdin: String? = nil) async throws -> Spawned {
        var env = ["COLUMNS": "80", "PATH": "/usr/bin:/bin"]
        if let store { env["TMDIAG_STORE"] = store }
        return try await spawn(tmdiag, args, environment: env)
    }

    static func bedRun(_ fixture: String, modems: [String], _ args: [String], store: String) async throws -> Spawned {
        try await spawn(bed, ["--devices", root + "/Fixtures/devices/" + fixture] + modems.flatMap { ["--modem", $0] }
                  + ["--", tmdiag] + args,
                  environment: ["PATH": "/usr/bin:/bin", "TMDIAG_STORE": store, "COLUMNS": "80"])
    }

    static func assertFits(_ text: String, _ what: String, width: Int = 80) {
        for line in text.split(separator: "\n") where line.count > width {
            Issue.record("\(what): \(line.count) columns: \(line)")
        }
    }

    // MARK: - 80 columns

    @Test func explainDecodeAndShowFitEightyColumns() async throws {
        for code in ["cme 10", "cme 16", "emm 15", "emm 7", "cms 301", "gmm 7", "esm 33", "+CEER: EMM cause 8"] {
            let r = try await Self.run(["explain", code])
            #expect(r.status == 0, "explain \(code): \(r.stderr)")
            Self.assertFits(r.text, "explain \(code)")
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/Fixtures/at").filter { $0.hasSuffix(".log") }
        #expect(logs.count > 20)
        for log in logs {
            let r = try await Self.run(["decode", Self.root + "/Fixtures/at/" + log])
            #expect(r.status == 0, "decode \(log): \(r.stderr)")
            Self.assertFits(r.text, "decode \(log)")
        }
        for report in try FileManager.default.contentsOfDirectory(atPath: Self.root + "/Fixtures/tickets/reports") {
            let r = try await Self.run(["show", Self.root + "/Fixtures/tickets/reports/" + report], store: Self.storePath())
            #expect(r.status == 0, "show \(report): \(r.stderr)")
            Self.assertFits(r.text, "show \(report)")
        }
    }

    @Test func historyAndLookupFitEightyColumns() async throws {
        let store = Self.storePath()
        for f in ["consumer.json", "business.json", "roaming.json", "outage.json", "sim-swap-no-service.json"] {
            let r = try await Self.run(["history", "import", Self.root + "/Fixtures/history/" + f], store: store)
            #expect(r.status == 0, "\(f): \(r.stderr)")
            Self.assertFits(r.text, "history import \(f)")
            #expect(!r.text.contains("1 accounts"))
        }
        for a in ["ACC-1001", "ACC-2001"] {
            let r = try await Self.run(["history", "show", "--account", a], store: store)
            #expect(r.status == 0, "\(r.stderr)")
            Self.assertFits(r.text, "history show \(a)")
            let l = try await Self.run(["lookup", "account", a], store: store)
            Self.assertFits(l.text, "lookup account \(a)")
        }
    }

    @Test(.enabled(if: canRunBed, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func devicesAndReportFitEightyColumns() async throws {
        let store = Self.storePath()
        for fixture in ["report-demo.umockdev", "report-eight-modems.umockdev", "hostile.umockdev"] {
            let d = try await Self.bedRun(fixture, modems: [], ["devices", "--all"], store: store)
            Self.assertFits(d.text, "devices \(fixture)")
        }
        let r = try await Self.bedRun("report-demo.umockdev", modems: ["/dev/ttyUSB2=denied", "/dev/ttyUSB6=pin-required"],
                                ["report", "--no-save", "--timeout", "3"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        Self.assertFits(r.text, "report")
    }

    // MARK: - Verdicts that match the evidence

    @Test(.enabled(if: canRunBed, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func aSilentModemIsNotAHealthyOne() async throws {
        let store = Self.storePath()
        let text = try await Self.bedRun("quectel-ec25.umockdev", modems: ["/dev/ttyUSB2=silent"],
                                   ["report", "--no-save", "--timeout", "2"], store: store)
        #expect(!text.text.contains("Nothing wrong found"), "\(text.text)")
        #expect(text.text.contains("not a clean bill of health"), "\(text.text)")
        let json = try await Self.bedRun("quectel-ec25.umockdev", modems: ["/dev/ttyUSB2=silent"],
                                   ["report", "--no-save", "--json", "--timeout", "2"], store: store)
        #expect(json.json?["verdict"] as? String == "incomplete")
        let dev = (json.json?["devices"] as? [[String: Any]])?.first
        #expect((dev?["probe"] as? [String: Any])?["coverage"] as? String == "none")
    }

    @Test(.enabled(if: canRunBed, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func aHealthyModemReadInFullIsNothingWrong() async throws {
        let r = try await Self.bedRun("quectel-ec25.umockdev", modems: ["/dev/ttyUSB2=healthy"],
                                ["report", "--no-save", "--json", "--timeout", "5"], store: Self.storePath())
        #expect(r.json?["verdict"] as? String == "nothing-wrong-found", "\(r.stderr)")
    }

    @Test(.enabled(if: canRunBed, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func noDevicesIsNotHealth() async throws {
        let r = try await Self.bedRun("hub-ordinary.umockdev", modems: [], ["report", "--no-save"], store: Self.storePath())
        #expect(r.status == 2)
        #expect(!r.text.contains("Nothing wrong found"))
        #expect(r.text.contains("nothing was checked"))
        #expect(r.text.contains("charge-only"))
        let j = try await Self.bedRun("hub-ordinary.umockdev", modems: [], ["report", "--no-save", "--json"], store: Self.storePath())
        #expect(j.json?["verdict"] as? String == "no-devices")
    }

    // MARK: - Masks survive a second pass; --reveal cannot restore what a file does not hold

    @Test(.enabled(if: canRunBed, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func aMaskedReportReadBackKeepsItsMasks() async throws {
        let store = Self.storePath()
        let file = NSTemporaryDirectory() + "tmdiag-masked-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try await Self.bedRun("quectel-ec25.umockdev", modems: ["/dev/ttyUSB2=healthy"],
                                ["report", "--no-save", "-o", file, "--timeout", "5"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        for args in [["show", file], ["show", file, "--json"], ["ticket", "--report", file, "--no-input", "--dry-run"]] {
            let s = try await Self.run(args, store: store)
            #expect(s.status == 0, "\(args): \(s.stderr)")
            #expect(s.text.contains("35693803***3809"), "\(args): \(s.text)")
            #expect(!s.text.contains("356938033809"), "\(args) masked the mask again")
            #expect(s.text.contains("310260*********") || args[0] == "ticket", "\(args): \(s.text)")
            #expect(!s.text.contains("\"310260\""))
        }
        let revealed = try await Self.run(["show", file, "--reveal", "imei"], store: store)
        #expect(revealed.stderr.contains("not in"), "\(revealed.stderr)")
    }

    // MARK: - Secrets

    @Test func theStoreRefusesSecretsInEveryWord() async throws {
        let store = Self.storePath()
        _ = try await Self.run(["history", "import", Self.root + "/Fixtures/history/consumer.json"], store: store)
        for summary in ["customer said PIN 4821 and password hunter2", "password hunter2", "I typed 1234 as the PIN"] {
            let r = try await Self.run(["history", "add-event", "--account", "ACC-1001", "--kind", "note", "--summary", summary], store: store)
            #expect(r.status != 0, "stored: \(summary)")
            #expect(r.stderr.contains("--summary"), "\(r.stderr)")
        }
        let e = try await Self.run(["history", "export", "--account", "ACC-1001"], store: store)
        #expect(!e.text.contains("hunter2") && !e.text.contains("4821"))
    }

    @Test func ticketsAndDecodeNeverRepeatASecret() async throws {
        let store = Self.storePath()
        let t = try await Self.run(["ticket", "--no-input", "--dry-run", "--summary", "password hunter2", "--tried", "passcode 7777",
                              "--changed", "changed my PIN to 4321"], store: store)
        for secret in ["hunter2", "7777", "4321"] { #expect(!t.text.contains(secret), "\(t.text)") }
        func words(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        #expect(words(t.text).contains("typed into the description was removed"))
        let clean = try await Self.run(["ticket", "--no-input", "--dry-run", "--summary", "no data since Monday"], store: store)
        #expect(!words(clean.text).contains("was removed"), "the ticket must say so only when it removed something")

        let log = NSTemporaryDirectory() + "tmdiag-pin-\(UUID().uuidString).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        try Data("AT+CPIN=\"4821\"\r\nOK\r\nAT+CLCK=\"SC\",0,\"4821\"\r\n+CME ERROR: 16\r\nAT+CPWD=\"SC\",\"1111\",\"2222\"\r\nERROR\r\n".utf8)
            .write(to: URL(fileURLWithPath: log))
        for args in [["decode", log], ["decode", log, "--json"]] {
            let d = try await Self.run(args)
            for secret in ["4821", "1111", "2222"] { #expect(!d.text.contains(secret), "\(args): \(d.text)") }
        }
    }

    // MARK: - The right account, one draft

    @Test func anAccountThatDoesNotOwnTheDeviceIsRefused() async throws {
        let store = Self.storePath()
        for f in ["consumer.json", "business.json"] {
            _ = try await Self.run(["history", "import", Self.root + "/Fixtures/history/" + f], store: store)
        }
        let report = Self.root + "/Fixtures/tickets/reports/healthy.json"   // the Pixel of ACC-1001
        let wrong = try await Self.run(["ticket", "--report", report, "--account", "ACC-2001", "--no-input", "--dry-run"], store: store)
        #expect(wrong.status == 64, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("--force-account"))
        let forced = try await Self.run(["ticket", "--report", report, "--account", "ACC-2001", "--force-account", "--no-input", "--dry-run"],
                                  store: store)
        #expect(forced.status == 0, "\(forced.stderr)")
        let right = try await Self.run(["ticket", "--report", report, "--account", "ACC-1001", "--no-input", "--dry-run"], store: store)
        #expect(right.status == 0, "\(right.stderr)")
    }

    @Test func oneDraftPerReportAndAccountAndNoneForPreviews() async throws {
        let store = Self.storePath()
        _ = try await Self.run(["history", "import", Self.root + "/Fixtures/history/consumer.json"], store: store)
        let report = Self.root + "/Fixtures/tickets/reports/healthy.json"
        for args in [["--dry-run"], ["--format", "json"], [], [], ["--format", "markdown"]] {
            let r = try await Self.run(["ticket", "--report", report, "--account", "ACC-1001", "--no-input"] + args, store: store)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let h = try await Self.run(["history", "show", "--account", "ACC-1001", "--json"], store: store)
        let cases = (h.json?["cases"] as? [[String: Any]]) ?? []
        #expect(cases.filter { $0["status"] as? String == "draft" }.count == 1, "\(h.text)")
    }

    // MARK: - lookup takes the masked IMEI a ticket prints

    @Test func lookupFindsTheCandidatesOfAMaskedIMEI() async throws {
        let store = Self.storePath()
        _ = try await Self.run(["history", "import", Self.root + "/Fixtures/history/consumer.json"], store: store)
        let one = try await Self.run(["lookup", "imei", "35693803***3809"], store: store)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.text.contains("ACC-1001"), "\(one.text)")
        // A second IMEI with the same TAC and last 4 (another valid check digit) makes two.
        let r = try await Self.run(["history", "add-event", "--account", "ACC-1001", "--kind", "device_change",
                              "--imei", "356938030023809", "--summary", "loaner phone"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        let two = try await Self.run(["lookup", "imei", "35693803***3809"], store: store)
        #expect(two.status == 0, "\(two.stderr)")
        #expect(two.text.contains("fits 2 IMEIs"), "\(two.text)")
        #expect(!two.text.contains("356938030023809") && !two.text.contains("356938035643809"))
        let none = try await Self.run(["lookup", "imei", "35693803***0000"], store: store)
        #expect(none.status == 2)
    }

    // MARK: - The small items, each a line and a status

    @Test func badInputGetsOneLineAndAStatus() async throws {
        let dir = NSTemporaryDirectory() + "tmdiag-small-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // decode of empty input, random bytes and a binary: 65, never an empty "decode".
        let empty = dir + "/empty.log", random = dir + "/random.bin"
        try Data().write(to: URL(fileURLWithPath: empty))
        var g = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &g) }).write(to: URL(fileURLWithPath: random))
        for f in [empty, random, "/bin/true"] {
            let r = try await Self.run(["decode", f])
            #expect(r.status == 65, "decode \(f): \(r.status) \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
        // Global options before the command name.
        let explain = try await Self.run(["--json", "explain", "cme", "10"])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.json?["code"] as? Int == 10)
        // A bad --reveal is bad usage.
        let reveal = try await Self.run(["report", "--reveal", "foo", "--no-save"])
        #expect(reveal.status == 64, "\(reveal.stderr)")
        // show of a JSON that is not a report: what is missing, in words.
        let wrong = dir + "/wrong.json"
        try Data(#"{"reportId": "R-AAAAAA"}"#.utf8).write(to: URL(fileURLWithPath: wrong))
        let show = try await Self.run(["show", wrong], store: Self.storePath())
        #expect(show.status == 65)
        #expect(!show.stderr.contains("CodingKeys"), "\(show.stderr)")
        #expect(show.stderr.contains("missing"), "\(show.stderr)")
        // probe --port on a regular file says so.
        let passwd = try await Self.run(["probe", "--port", "/etc/passwd"])
        #expect(passwd.status == 64)
        #expect(passwd.stderr.contains("regular file"), "\(passwd.stderr)")
    }

    // MARK: - The demo tells the truth

    @Test(.enabled(if: canRunBed, "fakemodem-bed or libumockdev-preload missing; skipped"))
    func eachEmulatedModemAnswersAsItself() async throws {
        let r = try await Self.bedRun("report-demo.umockdev", modems: ["/dev/ttyUSB2=healthy", "/dev/ttyUSB6=sim-absent,as=mc7455"],
                                      ["report", "--no-save", "--json", "--timeout", "5"], store: Self.storePath())
        let devices = (r.json?["devices"] as? [[String: Any]]) ?? []
        func modem(_ id: String) -> [String: Any]? { devices.first { $0["id"] as? String == id }?["modem"] as? [String: Any] }
        #expect(modem("1-1")?["model"] as? String == "EC25")
        #expect(modem("1-2")?["model"] as? String == "MC7455", "\(String(describing: modem("1-2")))")
        #expect(modem("1-1")?["imei"] as? String != modem("1-2")?["imei"] as? String)
        #expect(((modem("1-2")?["sim"] as? [String: Any])?["state"] as? String) == "absent", "the scenario still holds")
    }
}
