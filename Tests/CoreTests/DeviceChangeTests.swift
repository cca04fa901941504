import Foundation
import Testing
import TMDiagCore

@Suite("Changes between two reports of a device")
struct DeviceChangeTests {
    static func device(firmware: String?, iccid: String?, state: SIMState = .ready) -> ReportedDevice {
        var m = ModemFacts()
        m.firmware = firmware
        m.imei = "356938035643809"
        m.sim = SIMFacts(state: state, iccid: iccid)
        let usb = USBDevice(id: "1-1", kind: .modem, vendorId: "2c7c", productId: "0125", busPath: "1-1")
        return ReportedDevice(device: usb, modem: m)
    }

    @Test func changedFactsAreListedAndUnreadOnesAreNot() {
        let before = Self.device(firmware: "A1", iccid: "8901260123456789012")
        let after = Self.device(firmware: "A2", iccid: nil)
        let changes = after.changes(since: before, reportId: "R-1", at: nil)
        #expect(changes.map(\.field) == ["firmware"], "a SIM that was not read is not a changed SIM")
        #expect(changes.first?.before == "A1" && changes.first?.after == "A2")
    }

    @Test func maskingIsIdempotentAndNamesNoFullIdentifier() {
        let c = DeviceChange(field: "iccid", before: "8901260123456789012", after: "8901260999888777666", previousReportId: "R-1")
        let once = c.masked(.none)
        #expect(once.before == "****9012" && once.after == "****7666")
        #expect(once.masked(.none) == once)
        #expect(c.masked(RevealSet([.iccid])).after == "8901260999888777666")
        let imei = DeviceChange(field: "imei", before: "356938035643809", after: "359072061234569", previousReportId: "R-1").masked(.none)
        #expect(imei.before == "35693803***3809")
    }

    @Test func aMaskedReportComparedWithAFullOneIsNoChange() {
        let before = Self.device(firmware: "A1", iccid: "****9012")
        let after = Self.device(firmware: "A1", iccid: "8901260123456789012")
        #expect(after.changes(since: before, reportId: "R-1", at: nil).isEmpty)
    }
}
