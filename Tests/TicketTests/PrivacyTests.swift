import Foundation
import History
import Kit
import TMDiagCore
import Testing

@testable import Ticket

@Suite struct CustomerWordsTests {
    @Test(arguments: [
        ("my pin is 1234", "1234"),
        ("My PIN is 4821.", "4821"),
        ("password: hunter2", "hunter2"),
        ("Password=hunter2 please", "hunter2"),
        ("PUK 12345678", "12345678"),
        ("puk code 87654321 from the card", "87654321"),
        ("pin:0000", "0000"),
        ("passcode is tiger77", "tiger77"),
        ("account PIN: 123456", "123456"),
        ("the security answer is Fluffy", "Fluffy"),
        ("pin is 1 2 3 4", "1 2 3 4"),
    ])
    func secretsAreRemoved(_ text: String, _ secret: String) {
        let out = CustomerWords.clean(text)
        #expect(!out.contains(secret), "\(out)")
        #expect(out.contains(CustomerWords.removedMark), "\(out)")
        #expect(CustomerWords.holdsSecret(text))
    }

    @Test(arguments: ["PIN is locked", "I forgot my password", "password is wrong", "the SIM asks for a PIN",
                      "PUK required", "my password was reset yesterday", "Pinned the app"])
    func wordsAboutSecretsStay(_ text: String) {
        #expect(CustomerWords.clean(text) == text)
        #expect(!CustomerWords.holdsSecret(text))
    }

    @Test func identifiersInTheCustomersWordsAreMasked() {
        let out = CustomerWords.clean("IMEI 356938035643809, SIM 8901260123456789012, call (206) 555-0142")
        #expect(!out.contains("356938035643809"))
        #expect(out.contains("35693803***3809"))
        #expect(!out.contains("8901260123456789012"))
        #expect(!out.contains("555-0142"))
        #expect(CustomerWords.clean("IMEI 356938035643809", reveal: .all).contains("356938035643809"))
    }
}

@Suite struct StartedWhenTests {
    // Wednesday.
    let now = date("2026-11-25T15:00:00Z")

    @Test(arguments: [
        ("today", "2026-11-25"), ("yesterday", "2026-11-24"), ("3 days ago", "2026-11-22"), ("a week ago", "2026-11-18"),
        ("last week", "2026-11-18"), ("Monday", "2026-11-23"), ("since Monday", "2026-11-23"), ("last Wednesday", "2026-11-18"),
        ("wednesday", "2026-11-25"), ("2026-11-02", "2026-11-02"), ("2026-11-02T14:05:00Z", "2026-11-02"),
        ("two weeks ago", "2026-11-11"), ("Fri", "2026-11-20"),
    ])
    func understood(_ words: String, _ day: String) {
        let w = StartedWhen.parse(words, now: now, timeZone: utc)
        #expect(w.day == day, "\(words)")
        #expect(w.stated == words)
    }

    @Test(arguments: ["when I got back from holiday", "next week", "2027-01-01", "soon"])
    func keptAsStated(_ words: String) {
        let w = StartedWhen.parse(words, now: now, timeZone: utc)
        #expect(w.day == nil)
        #expect(w.stated == words)
    }
}

@Suite struct EscapingTests {
    static let hostile = [
        "\u{1B}]0;pwned\u{07}Evil Corp", "\u{1B}[2J\u{1B}[31mred", "[click](http://evil.example)", "<script>alert(1)</script>",
        "![img](http://x/y.png)", "# heading", "text\u{202E}desrever", "`code` *bold* _it_ | table |", "line\nbreak\r\nmore",
    ]

    func hostileTicket() -> Ticket {
        let now = date("2026-11-25T12:00:00Z")
        var m = ModemFacts()
        m.manufacturer = Self.hostile[0]
        m.model = Self.hostile[2]
        m.firmware = Self.hostile[3]
        m.sim = SIMFacts(state: .absent, detail: Self.hostile[1])
        m.registration = RegistrationFacts(state: .searching, operator: OperatorInfo(name: Self.hostile[4]))
        let err = ReportedError(command: "AT+CPIN?", raw: "+CME ERROR: 10" + Self.hostile[1], kind: .cme, code: 10,
                                meaning: Self.hostile[6], advice: Self.hostile[7])
        let d = ReportedDevice(device: USBDevice(id: "1-1", kind: .modem, vendorId: "2c7c", productId: "0125",
                                                 product: Self.hostile[5], busPath: "1-1"), modem: m, errors: [err])
        let report = DeviceReport(reportId: "R-HOST01", createdAt: now, host: HostInfo(), devices: [d])
        let events = Self.hostile.enumerated().map { i, s in
            ServiceEvent(accountId: "ACC-1", at: now.addingTimeInterval(Double(-i - 1) * 86_400), kind: i == 0 ? .simSwap : .note,
                         device: s, summary: s)
        }
        let cases = [SupportCase(number: "CAS-1\u{1B}[0m", accountId: "ACC-1", channel: .chat, rep: Self.hostile[2], status: .open,
                                 summary: Self.hostile[3], resolution: Self.hostile[8], openedAt: now.addingTimeInterval(-86_400),
                                 updatedAt: now)]
        let history = AccountHistory(account: Account(id: "ACC-1", holder: Self.hostile[0], type: .consumer, plan: Self.hostile[5]),
                                     lines: [], events: events, cases: cases, since: nil)
        let issue = IssueDescription(summary: Self.hostile[8], started: Self.hostile[1], changed: Self.hostile[3],
                                     tried: [Self.hostile[2], Self.hostile[6]])
        return TicketBuilder.build(TicketInputs(report: report, reportSHA256: nil, history: history, issue: issue,
                                                rules: try! shippedData.rules().rules, carrier: try! shippedData.carrier(),
                                                now: now, timeZone: utc))
    }

    @Test func textHasNoControlCharactersAndKeepsItsWidth() throws {
        let text = try hostileTicket().render(.text)
        for scalar in text.unicodeScalars where scalar != "\n" {
            #expect(!TerminalText.needsEscaping(String(scalar)), "raw U+\(String(scalar.value, radix: 16)) in the text ticket")
        }
        #expect(text.contains("\\x1B]0;pwned\\x07Evil Corp"))
        #expect(text.contains("\\u{202E}"))
        for line in text.split(separator: "\n") { #expect(line.count <= 72, "too wide: \(line)") }
    }

    @Test func markdownCannotMakeLinksHTMLOrHeadings() throws {
        let md = try hostileTicket().render(.markdown)
        for scalar in md.unicodeScalars where scalar != "\n" {
            #expect(!TerminalText.needsEscaping(String(scalar)), "raw U+\(String(scalar.value, radix: 16)) in the Markdown ticket")
        }
        #expect(!md.contains("[click](http"))
        #expect(md.contains("\\[click\\](http://evil.example)"))
        #expect(!md.contains("<script>"))
        #expect(!md.contains("![img]"))
        #expect(md.contains("\\`code\\` \\*bold\\* \\_it\\_ \\| table \\|"))
        // Every line that starts a heading is one of ours.
        for line in md.split(separator: "\n") where line.hasPrefix("#") {
            #expect(!line.contains("heading") || line.hasPrefix("# "), "\(line)")
        }
        #expect(!md.contains("\n# heading"))
    }

    @Test func jsonKeepsTheTextButEscapesControls() throws {
        let json = try hostileTicket().render(.json)
        #expect(!json.unicodeScalars.contains { $0.value == 0x1B })
        let back = try JSONCoding.decoder().decode(Ticket.self, from: Data(json.utf8))
        #expect(back.devices.first?.manufacturer == Self.hostile[0])
    }
}
