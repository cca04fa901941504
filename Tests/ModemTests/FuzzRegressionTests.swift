import Testing
import TMDiagCore

@testable import Modem

/// Inputs the libFuzzer targets (Fuzz/) crashed on, kept as they were found, with the
/// readable cases behind them.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    func builder() -> FactsBuilder { FactsBuilder(catalog: testCatalog, operators: testData.operators) }

    /// FuzzATReplies: an `!GSTATUS` RSSI of 34 digits trapped in `Int(Double)`. The input as
    /// the target split it: the command, then its lines.
    @Test func aHugeGSTATUSReadingFoundByTheFuzzer() {
        let input: [UInt8] = [
            0x41, 0x54, 0x21, 0x47, 0x53, 0x54, 0x41, 0x54, 0x55, 0x53, 0x3F, 0x0A, 0x78, 0x4D, 0x20, 0x52, 0x53, 0x53, 0x49, 0x3A,
            0x20, 0x20, 0x2D, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35,
            0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x35, 0x36, 0x38, 0x09, 0xFF, 0xFF, 0x1F, 0x29, 0x09, 0x69,
            0x6E, 0x67, 0x0A, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0xA7, 0x46, 0x4B, 0x0A,
            0x58, 0x4D, 0x32, 0x52, 0x53, 0x52, 0x50, 0x72, 0x74, 0x65, 0x64, 0x3A, 0xFF, 0x02, 0xFF, 0xFF,
        ]
        var lines = String(decoding: input, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let command = lines.removeFirst()
        var b = builder()
        b.add(ATExchange(command: command, lines: lines, final: .ok))
        #expect(b.facts.vendor?[command] != nil)
        #expect(b.facts.signal?.rssiDbm == nil)
    }

    /// Readings no Int holds are left out; a sane one next to them is still read.
    @Test(arguments: ["-5555555555555555555555555555555568", "nan", "-inf", "1e300"])
    func readingsNoIntHoldsAreLeftOut(_ reading: String) {
        var b = builder()
        b.add(ATExchange(command: "AT!GSTATUS?", lines: ["RSSI (dBm):  \(reading)\tRSRP (dBm):  -95"], final: .ok))
        #expect(b.facts.signal?.rssiDbm == nil)
        #expect(b.facts.signal?.rsrpDbm == -95)

        var c = builder()
        c.add(ATExchange(command: "AT+CPSI?", lines: ["+CPSI: LTE,Online,310-260,0x5A1E,187214780,257,EUTRAN-BAND2,875,5,5,-94,-850,\(reading),15"], final: .ok))
        #expect(c.facts.signal?.rsrpDbm == -85)
        #expect(c.facts.signal?.rssiDbm == nil)
    }

    @Test func aSaneGSTATUSReadingIsStillRead() {
        var b = builder()
        b.add(ATExchange(command: "AT!GSTATUS?", lines: ["RSSI (dBm):  -71\tRSRP (dBm):  -95"], final: .ok))
        #expect(b.facts.signal?.rssiDbm == -71)
    }
}
