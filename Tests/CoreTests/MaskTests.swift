import Testing
import TMDiagCore

/// What leaves the machine keeps only what the design allows of each identifier.
@Suite("Masking identifiers")
struct MaskTests {
    @Test func imeiKeepsItsTACAndLastFourDigits() {
        #expect(Mask.imei("356938035643809") == "35693803***3809")
        #expect(Mask.imei("35-693803-564380-9") == "35693803***3809", "separators do not leak digits")
        #expect(Mask.imei("12345") == "*****", "too short to have a TAC: nothing is kept")
    }

    @Test func iccidSerialAndNumberKeepTheirLastFour() {
        #expect(Mask.iccid("8901260123456789012") == "****9012")
        #expect(Mask.serial("ABCDEF1234") == "****1234")
        #expect(Mask.serial("1234") == "****", "four characters or fewer: all masked")
        #expect(Mask.msisdn("+15555550123") == "+****0123")
        #expect(Mask.msisdn("555") == "****")
    }

    @Test func imsiKeepsMCCAndMNCOnly() {
        #expect(Mask.imsi("310260123456789") == "310260*********")
        #expect(Mask.imsi("23415123456789", mncLength: 2) == "23415*********")
    }
}
