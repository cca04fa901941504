import Discovery
import Foundation
import Testing

/// bMaxOutstandingCommandMessages read from a device's descriptors as sysfs keeps them.
@Suite("MBIM extended functional descriptor")
struct MBIMDescriptorTests {
    /// Writes `hex` as `<sys>/bus/usb/devices/1-2/descriptors` in a fresh folder.
    func sys(_ hex: String) throws -> String {
        let root = NSTemporaryDirectory() + "tmdiag-sys-\(UUID().uuidString)"
        let dir = root + "/bus/usb/devices/1-2"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/descriptors"))
        return root
    }

    /// The EM7455 fixture's device and configuration descriptors: interface 12 is the MBIM
    /// communication interface, with the MBIM (0x1B) and MBIM Extended (0x1C) functional
    /// descriptors.
    static let em7455 = "12011002000000409911799006000102030109025700020100A0FA09040C0001020E000405240020010524060C0D"
        + "0C241B000100102080DC052008241C000140DC05070581031000090904" + "0D00000A00020009040D01020A0002000705820200020007050102000200"

    @Test func theFixturesFunctionTakesSixtyFourCommands() throws {
        let root = try sys(Self.em7455)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(MBIMFunctionDescriptors.maxOutstandingCommands(busPath: "1-2", interface: 12, sys: root) == 64)
        #expect(MBIMFunctionDescriptors.maxOutstandingCommands(busPath: "1-2", interface: 13, sys: root) == nil,
                "the data interface has no MBIM descriptors")
    }

    @Test func withoutTheExtendedDescriptorNothingIsClaimed() throws {
        // The same function without the optional 0x1C descriptor (wTotalLength 0x4F).
        let plain = "12011002000000409911799006000102030109024F00020100A0FA09040C0001020E000405240020010524060C0D"
            + "0C241B000100102080DC0520070581031000090904" + "0D00000A00020009040D01020A0002000705820200020007050102000200"
        let root = try sys(plain)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(MBIMFunctionDescriptors.maxOutstandingCommands(busPath: "1-2", interface: 12, sys: root) == nil)
    }

    @Test func lyingLengthsAndAZeroClaimGiveNothing() throws {
        // A descriptor whose length runs past the end, and one claiming 0 (the spec says >= 1).
        let lying = "120110020000004099117990060001020301" + "09040C0001020E0004" + "FF241C000140DC05"
        let zero = "120110020000004099117990060001020301" + "09040C0001020E0004" + "08241C000100DC05"
        for hex in [lying, zero] {
            let root = try sys(hex)
            defer { try? FileManager.default.removeItem(atPath: root) }
            #expect(MBIMFunctionDescriptors.maxOutstandingCommands(busPath: "1-2", interface: 12, sys: root) == nil, "\(hex)")
        }
        #expect(MBIMFunctionDescriptors.maxOutstandingCommands(busPath: "../../etc", interface: 12) == nil)
    }
}
