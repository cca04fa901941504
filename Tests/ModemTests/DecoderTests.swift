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

    /// A polling log long enough for the second thread and both memos to take over: signal
    /// values drawn from a few, a cell change now and then, a SIM error and URCs in between.
    static func pollingLog(polls: Int, seed: UInt64, spread: UInt64) -> [UInt8] {
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

    /// The memos replay what they parsed once, and a large log is digested on a second
    /// thread: neither may change a single fact, error or count, and neither may how the
    /// input was cut into pieces.
    /// Spread 1: the same poll again and again (the memos replay nearly everything); 2: a few
    /// states in turn; 8: mostly new states (the memos pause themselves).
    @Test(arguments: [(UInt64(1), UInt64(1)), (2, 2), (3, 8)])
    func memosAndTheSecondThreadChangeNothing(seed: UInt64, spread: UInt64) throws {
        let log = Self.pollingLog(polls: 6_000, seed: seed, spread: spread)
        let builder = FactsBuilder(catalog: testCatalog, operators: testData.operators)
        let whole = LogDecoder.decode(log, builder: builder)

        var oneThread = LogDecoder(builder: builder, parallel: false)
        log.withUnsafeBufferPointer { oneThread.read($0) }
        oneThread.finish()

        var reference = LogDecoder(builder: builder, parallel: false, memos: false)
        log.withUnsafeBufferPointer { reference.read($0) }
        reference.finish()

        // Split at every line end, and at odd places inside lines too.
        var pieces = LogDecoder(builder: builder)
        var i = 0
        var rng = SplitMix(seed)
        while i < log.count {
            let n = min(log.count - i, 1 + Int(rng.next() % 300))
            log.withUnsafeBufferPointer { pieces.read(UnsafeBufferPointer(rebasing: $0[i..<(i + n)])) }
            i += n
        }
        pieces.finish()

        #expect(whole.exchanges > 16_384, "the log must be long enough for the second thread")
        #expect(summary(whole) == summary(reference))
        #expect(summary(whole) == summary(oneThread))
        #expect(summary(whole) == summary(pieces))
        // And the facts are those of the last poll.
        let lastCSQ = try #require(String(decoding: log, as: UTF8.self).components(separatedBy: "+CSQ: ").last?.prefix { $0 != "," })
        #expect(whole.builder.facts.signal?.csq == Int(lastCSQ))
        #expect(whole.builder.facts.registration?.operator?.name == "T-Mobile")
    }

    @Test func aLogOfOnlyNewLinesDecodesLikeItsParts() {
        // Every reply differs: the memos stand aside; the result is still the last values.
        var out = ""
        for i in 0..<40_000 { out += "+CSQ: \(i % 32),\(i % 8)\r\n\r\nOK\r\nAT+CREG?\r\n+CREG: 2,1,\"\(String(i, radix: 16))\",\"\(String(i * 7, radix: 16))\"\r\nOK\r\n" }
        let d = decode(Array(out.utf8))
        #expect(d.builder.facts.signal?.csq == 39_999 % 32)
        #expect(d.builder.facts.registration?.domains.first?.lac == String(39_999, radix: 16).uppercased())
        #expect(d.exchanges == 80_000)
    }
}

@Suite("Memo and cache gates")
struct PayoffGateTests {
    @Test func aGateClosesOnFewHitsAndItsPauseEnds() {
        var g = PayoffGate(hitsAtLeast: 1, outOf: 4, window: 4, pauseLength: 3)
        for _ in 0..<4 { g.count(hit: false) }
        #expect(!g.isOpen)
        // Uses while closed are not counted: they cannot make the pause longer.
        for _ in 0..<10 { g.count(hit: false) }
        for _ in 0..<3 { #expect(!g.isOpen); g.skip() }
        #expect(g.isOpen)
        // One hit in four keeps it open.
        g.count(hit: true)
        for _ in 0..<3 { g.count(hit: false) }
        #expect(g.isOpen)
        // Two failed windows in a row: the second pause is twice as long.
        for _ in 0..<4 { g.count(hit: false) }
        for _ in 0..<3 { g.skip() }
        #expect(g.isOpen)
        for _ in 0..<4 { g.count(hit: false) }
        for _ in 0..<5 { g.skip() }
        #expect(!g.isOpen)
        g.skip()
        #expect(g.isOpen)
        g.closeForGood()
        for _ in 0..<100 { g.skip() }
        #expect(!g.isOpen)
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
