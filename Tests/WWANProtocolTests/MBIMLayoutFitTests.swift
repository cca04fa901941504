import Testing
@testable import MBIM

/// The one rule that tells an MBIM 1.0 reply from an MBIMEx v3 one (`MBIMLayoutFit.choose`).
@Suite("Choosing between the MBIM 1.0 and MBIMEx v3 layouts")
struct MBIMLayoutFitTests {
    static let exact = MBIMLayoutFit(fits: true, exact: true)
    static let loose = MBIMLayoutFit(fits: true, exact: false)

    @Test func theOnlyLayoutThatFitsIsChosen() {
        #expect(MBIMLayoutFit.choose(v1: Self.loose, v3: .none) == 1)
        #expect(MBIMLayoutFit.choose(v1: .none, v3: Self.loose) == 3)
        #expect(MBIMLayoutFit.choose(v1: .none, v3: .none) == nil)
    }

    @Test func whenBothFitMBIM10WinsUnlessOnlyV3IsExact() {
        #expect(MBIMLayoutFit.choose(v1: Self.loose, v3: Self.exact) == 3)
        #expect(MBIMLayoutFit.choose(v1: Self.exact, v3: Self.exact) == 1)
        #expect(MBIMLayoutFit.choose(v1: Self.exact, v3: Self.loose) == 1)
        #expect(MBIMLayoutFit.choose(v1: Self.loose, v3: Self.loose) == 1)
    }
}
