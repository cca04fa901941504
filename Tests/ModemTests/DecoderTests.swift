import Foundation
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
}
