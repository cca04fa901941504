import Testing
import TMDiagCore

/// One request's default limit within a port's budget, the same for AT, MBIM and QMI.
@Suite("A request's default limit")
struct RequestLimitTests {
    @Test func aThirdOfTheBudgetBetween300MillisecondsAnd3Seconds() {
        #expect(Duration.requestLimit(within: .seconds(6)) == .seconds(2))
        #expect(Duration.requestLimit(within: .seconds(60)) == .seconds(3))
        #expect(Duration.requestLimit(within: .milliseconds(600)) == .milliseconds(300))
    }

    @Test func theProtocolsTakeTheSameDefault() {
        #expect(WWANOptions(timeout: .seconds(6)).requestTimeout == .seconds(2))
        #expect(WWANOptions(timeout: .seconds(6), requestTimeout: .seconds(1)).requestTimeout == .seconds(1))
    }
}
