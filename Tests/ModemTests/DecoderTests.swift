import Foundation
import TMDiagCore
import Testing
@testable import Modem
import Kit

@Suite("Decoding hostile logs")
struct DecoderTests {
    func decode(_ bytes: [UInt8]) -> LogDecoder {
        LogDecoder.decode(bytes, builder: FactsBuilder(catalog: testCatalog, operators: testData.operators))
    }

    @Test func hugeLinesNULsAndInvalidUTF8EndCleanly() throws {
        var log = Array("AT+CGMM\r\n".utf8) + [UInt8](repeating: 0x41, count: 1 << 20) + Array("\r\nOK\r\n".utf8)
        log += Array("AT+CGMI\r\n\u{1B}]0;pwned\u{07}Quec".utf8) + [0x00, 0xFF, 0xFE] + Array("tel\r\nOK\r\n".utf8)
        let d = decode(log)
        let m = try #require(d.builder.facts.model)
        #expect(m.utf8.count <= 8 * 1024)
        let maker = try #require(d.builder.facts.manufacturer)
        #expect(maker.contains("\\xFF"))
        #expect(!TerminalText.escape(maker).contains("\u{1B}"))
    }

    @Test func echoOffLogsStillDecode() {
        let d = decode(Array("+CPIN: READY\r\n\r\nOK\r\n+CSQ: 18,99\r\n\r\nOK\r\n+CREG: 0,5\r\n\r\nOK\r\n".utf8))
        #expect(d.builder.facts.sim?.state == .ready)
        #expect(d.builder.facts.signal?.csq == 18)
        #expect(d.builder.facts.registration?.state == .roaming)
    }

    @Test func timestampsAndMarkersAreStripped() {
        let d = decode(Array("[2026-11-20 14:03:22.123] AT+CGSN\n[2026-11-20 14:03:22.140] 356938035643809\n[2026-11-20 14:03:22.141] OK\n14:03:23.001 > AT+CPIN?\n14:03:23.010 < +CME ERROR: 10\n".utf8))
        #expect(d.builder.facts.imei == "356938035643809")
        #expect(d.builder.facts.sim?.state == .absent)
        #expect(d.builder.errors.first?.code == 10)
    }

    /// A polling log: signal values drawn from a few, a cell change now and then, a SIM error
    /// and URCs in between, some lines timestamped.
    static func pollingLog(polls: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix(seed)
        var out = ""
        var cell = 0x01A2D001
        for i in 0..<polls {
            if i % 997 == 0 { cell = Int(rng.next() % 0x0FFF_FFFF) }
            out += "AT+CSQ\r\n+CSQ: \(14 + rng.next() % 6),99\r\n\r\nOK\r\n"
            out += "AT+CESQ\r\n+CESQ: 99,99,255,255,\(12 + rng.next() % 8),\(40 + rng.next() % 12)\r\n\r\nOK\r\n"
            out += "AT+CEREG?\r\n+CEREG: 2,1,\"1A2B\",\"\(String(cell, radix: 16))\",7\r\n\r\nOK\r\n"
            if rng.next() % 50 == 0 { out += "+CREG: 5\r\n" }
            if rng.next() % 500 == 0 { out += "AT+CPIN?\r\n+CME ERROR: \(10 + rng.next() % 4)\r\n" }
            out += "[2026-11-20 14:03:\(String(format: "%02d", i % 60)).123] AT+COPS?\r\n+COPS: 0,0,\"T-Mobile\",7\r\n\r\nOK\r\n"
        }
        return Array(out.utf8)
    }

    struct SplitMix {
        var state: UInt64
        init(_ seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func summary(_ d: LogDecoder) -> String {
        let facts = String(decoding: try! JSONCoding.encoder(pretty: false).encode(d.builder.facts), as: UTF8.self)
        let errors = d.builder.errors.map { "\($0.command ?? "")|\($0.raw)|\($0.code ?? -1)" }.joined(separator: ";")
        return "\(facts)\n\(errors)\nurcs=\(d.builder.urcCount) lines=\(d.lines) exchanges=\(d.exchanges)"
    }

    /// `decode` reads files in chunks that end anywhere: how the input was cut may not change
    /// a single fact, error or count.
    @Test(arguments: [UInt64(1), 2, 3])
    func whereTheInputIsCutChangesNothing(seed: UInt64) throws {
        let log = Self.pollingLog(polls: 2_000, seed: seed)
        let builder = FactsBuilder(catalog: testCatalog, operators: testData.operators)
        let whole = LogDecoder.decode(log, builder: builder)

        // Split at odd places inside lines, and between the CR and LF of a line end.
        var pieces = LogDecoder(builder: builder)
        var i = 0
        var rng = SplitMix(seed)
        while i < log.count {
            let n = min(log.count - i, 1 + Int(rng.next() % 300))
            log.withUnsafeBufferPointer { pieces.read(UnsafeBufferPointer(rebasing: $0[i..<(i + n)])) }
            i += n
        }
        pieces.finish()

        #expect(whole.exchanges >= 8_000)
        #expect(summary(whole) == summary(pieces))
        // And the facts are those of the last poll.
        let lastCSQ = try #require(String(decoding: log, as: UTF8.self).components(separatedBy: "+CSQ: ").last?.prefix { $0 != "," })
        #expect(whole.builder.facts.signal?.csq == Int(lastCSQ))
        #expect(whole.builder.facts.registration?.operator?.name == "T-Mobile")
    }

    @Test func aLogOfOnlyNewLinesDecodesLikeItsParts() {
        // Every reply differs: the result is still the last values.
        var out = ""
        for i in 0..<40_000 { out += "+CSQ: \(i % 32),\(i % 8)\r\n\r\nOK\r\nAT+CREG?\r\n+CREG: 2,1,\"\(String(i, radix: 16))\",\"\(String(i * 7, radix: 16))\"\r\nOK\r\n" }
        let d = decode(Array(out.utf8))
        #expect(d.builder.facts.signal?.csq == 39_999 % 32)
        #expect(d.builder.facts.registration?.domains.first?.lac == String(39_999, radix: 16).uppercased())
        #expect(d.exchanges == 80_000)
    }
}

@Suite("Reply values")
struct ReplyValueTests {
    @Test func valuesKeepQuotedTextAndTrimTheRest() {
        let v = ATParams.values(#" 2 , "1A2B" ,01A2D001, "T-Mobile US" ,"", , 7 8 "#)
        #expect(v.map(\.text) == ["2", "1A2B", "01A2D001", "T-Mobile US", "", "", "7 8"])
        #expect(v.map(\.quoted) == [false, true, false, true, true, false, false])
        #expect(v[0].int == 2)
        #expect(v[2].int == nil)
        #expect(ATParams.values("a,\"b,c\",d").map(\.text) == ["a", "b,c", "d"])
        #expect(ATParams.values("").map(\.text) == [""])
    }

    @Test func integersAreDecimalOnly() {
        func int(_ s: String) -> Int? { ATParams.Value(text: s, quoted: false).int }
        #expect(int("01") == 1)
        #expect(int("-113") == -113)
        #expect(int("+5") == 5)
        #expect(int("99999999999999999999") == nil)
        #expect(int("12a") == nil)
        #expect(int("") == nil)
        #expect(int("-") == nil)
        #expect(int(" 7 ") == 7)
    }

    @Test func splitTakesVendorPrefixesAndLowerCase() {
        #expect(ATParams.split(line: "+creg : 0,1")?.name == "+CREG")
        #expect(ATParams.split(line: "^SYSINFOEX:2,3")?.rest == "2,3")
        #expect(ATParams.split(line: "  !GSTATUS:\tx ")?.rest == "x")
        #expect(ATParams.split(line: "OK") == nil)
        #expect(ATParams.split(line: "Revision: EC25") == nil)
        #expect(ATParams.split(line: "+C REG: 1") == nil)
    }
}

/// The decoder reads every line through these, on the bytes.
@Suite("Line classification")
struct LineClassificationTests {
    @Test func replyPrefixesOfASCIIAndOtherCommands() {
        #expect(ATExchange.replyPrefix(of: "AT+CREG?") == "+CREG")
        #expect(ATExchange.replyPrefix(of: "at^sysinfoex") == "^SYSINFOEX")
        #expect(ATExchange.replyPrefix(of: "AT+QENG=\"servingcell\"") == "+QENG")
        #expect(ATExchange.replyPrefix(of: "AT+COPS ?") == "+COPS")
        #expect(ATExchange.replyPrefix(of: "ATI") == nil)
        #expect(ATExchange.replyPrefix(of: "AT") == nil)
        #expect(ATExchange.replyPrefix(of: "AT?") == nil)
        // Only ASCII letters are upper-cased (AT names are ASCII).
        #expect(ATExchange.replyPrefix(of: "AT+crég?") == "+CRéG")
    }

    @Test func unsolicitedLinesInAnyCase() {
        #expect(URCs.isURC("+creg: 1", expecting: nil))
        #expect(!URCs.isURC("+creg: 1", expecting: "+CREG"))
        #expect(URCs.isURC("+PACSP1", expecting: nil))
        #expect(URCs.isURC(" ring ".trimmingCharacters(in: .whitespaces), expecting: nil))
        #expect(URCs.isURC("sms done", expecting: nil))
        #expect(!URCs.isURC("+CSQ: 21,99", expecting: nil))
        #expect(!URCs.isURC("Quectel", expecting: nil))
        #expect(URCs.isURC("^SYSSTART", expecting: nil))
        #expect(!URCs.isURC("+PACSP: 1", expecting: "+PACSP"))
        // Only ASCII letters are upper-cased: a dotless i is no I (Unicode would make it one).
        #expect(!URCs.isURC("+cıev: 1,2", expecting: nil))
    }

    @Test func whatALineIs() {
        guard case .command(_, let prefix) = LogLine("AT+CSQ") else { Issue.record("AT+CSQ is a command"); return }
        #expect(prefix == "+CSQ")
        guard case .final(let f, _) = LogLine("+CME ERROR: \"SIM not inserted\"") else { Issue.record("a final line"); return }
        #expect(f == .cme(code: nil, text: "SIM not inserted"))
        guard case .other(_, let unsolicited) = LogLine("+CREG: 5") else { Issue.record("a URC"); return }
        #expect(unsolicited)
        #expect(LogLine("AT+CGMI..AT+CGMM..").isDotted)
        #expect(!LogLine("OK..").isDotted)
        #expect(!LogLine("ATTACH").isDotted)
        #expect(LogLine.isCommand("at&f") && LogLine.isCommand("AT%IPSYS?") && !LogLine.isCommand("AT-X"))
    }

    @Test func finalLinesAfterSpacesAndInAnyCase() {
        #expect(FinalResult.parse("  +cme error: 10") == .cme(code: 10, text: nil))
        #expect(FinalResult.parse("\t+CMS ERROR: \"x\"") == .cms(code: nil, text: "x"))
        #expect(FinalResult.parse(" ok \r") == .ok)
        #expect(FinalResult.parse("+CMEE: 1") == nil)
        #expect(FinalResult.parse("+CME ERRO") == nil)
        #expect(FinalResult.parse("7", numericMode: true) == .other("BUSY"))
        #expect(ATExchange.replyPrefix(of: "at+cereg?") == "+CEREG")
        #expect(ATExchange.replyPrefix(of: "AT^sysinfoex") == "^SYSINFOEX")
        #expect(ATExchange.replyPrefix(of: "ATI") == nil && ATExchange.replyPrefix(of: "AT") == nil)
    }

    /// A log that repeats one error: it is explained once, and the SIM state still follows
    /// every failed `+CPIN?`, the last one included.
    @Test func aRepeatedErrorIsKeptOnceAndTheSIMFollowsEach() {
        let absent = String(repeating: "AT+CPIN?\r\n+CME ERROR: 10\r\n", count: 1000)
        let d = LogDecoder.decode(Array((absent + "AT+CPIN?\r\n+CME ERROR: 11\r\n" + absent).utf8),
                                  builder: FactsBuilder(catalog: testCatalog, operators: testData.operators))
        #expect(d.builder.errors.map { $0.code } == [10, 11])
        #expect(d.builder.facts.sim?.state == .absent)
        #expect(d.exchanges == 2001)
    }

    @Test func spacesAreTrimmedOnlyAtTheEnds() {
        #expect("CSQ".trimmingSpaces == "CSQ")
        #expect(" \tREADY \r\n".trimmingSpaces == "READY")
        #expect("\u{A0}T-Mobile\u{2003}".trimmingSpaces == "T-Mobile")
        #expect(" é ".trimmingSpaces == "é")
        #expect("Orange F".trimmingSpaces == "Orange F")
        #expect(ATParams.values("1, \"a b\" ,x y ,\"q\"z").map(\.text) == ["1", "a b", "x y", "qz"])
    }
}
