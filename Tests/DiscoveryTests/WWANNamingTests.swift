import Discovery
import Foundation
import Profiles
import Testing
import TestSupport
import TMDiagCore

/// The pure pieces of PCI discovery: wwan port names and types, the device model's JSON, and
/// profile matching on bus and subsystem ids.
@Suite("wwan port naming, device JSON and PCI profile matching")
struct WWANNamingTests {
    @Test(arguments: [
        ("wwan0at0", "AT"), ("wwan0mbim0", "MBIM"), ("wwan1qmi0", "QMI"), ("wwan0qcdm0", "QCDM"),
        ("wwan0firehose0", "FIREHOSE"), ("wwan12xmmrpc3", "XMMRPC"),
        // Linux 5.13: wwan<dev>p<port><TYPE>.
        ("wwan0p1AT", "AT"), ("wwan0p2MBIM", "MBIM"), ("wwan0p3QCDM", "QCDM"), ("wwan2p10QMI", "QMI"),
    ])
    func portTypeFromName(_ name: String, _ type: String) {
        #expect(PortHints.wwanType(portName: name) == type)
    }

    @Test(arguments: ["wwan0", "ttyUSB0", "wwan", "wwan0at0x", "wwan0p1"])
    func namesThatAreNotPortsGiveNoType(_ name: String) {
        #expect(PortHints.wwanType(portName: name) == nil)
    }

    @Test func portTypesMapToKinds() {
        let kinds = ["AT", "MBIM", "QMI", "QCDM", "NMEA", "FIREHOSE", "XMMRPC", "FASTBOOT", "ADB", "MIPC", "at"]
            .map { PortHints.kind(wwanType: $0) }
        #expect(kinds == [.at, .mbim, .qmi, .diag, .gps, .unknown, .unknown, .unknown, .unknown, .unknown, .at])
    }

    @Test func cdcWdmKindComesFromTheDriver() {
        let mbim = USBInterface(number: 4, class: "ff", subclass: "ff", protocol: "ff", driver: "cdc_mbim")
        let qmi = USBInterface(number: 12, class: "02", subclass: "0e", protocol: "00", driver: "qmi_wwan")
        #expect(PortHints.kind(fromDriverOf: mbim, subsystem: "usbmisc") == .mbim)
        #expect(PortHints.kind(fromDriverOf: qmi, subsystem: "usbmisc") == .qmi)
        #expect(PortHints.kind(fromDriverOf: mbim, subsystem: "tty") == nil)
    }

    @Test func busIsAlwaysEncodedAndOldJSONReadsAsUSB() throws {
        let pci = USBDevice(id: "0000:03:00.0", kind: .modem, bus: .pci, vendorId: "1eac", productId: "1007",
                            subsystemVendorId: "1eac", subsystemProductId: "2001", busPath: "0000:03:00.0")
        let data = try JSONEncoder().encode(pci)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["bus"] as? String == "pci")
        #expect(object["subsystemVendorId"] as? String == "1eac")
        #expect(try JSONDecoder().decode(USBDevice.self, from: data) == pci)

        let usb = try JSONEncoder().encode(USBDevice(id: "1-2", vendorId: "2c7c", productId: "0125", busPath: "1-2"))
        #expect((try JSONSerialization.jsonObject(with: usb) as? [String: Any])?["bus"] as? String == "usb")

        let old = Data(#"{"id":"1-2","kind":"modem","vendorId":"2c7c","productId":"0125","busPath":"1-2","interfaces":[],"ports":[]}"#.utf8)
        let decoded = try JSONDecoder().decode(USBDevice.self, from: old)
        #expect(decoded.bus == .usb)
        #expect(decoded.subsystemVendorId == nil)
    }

    static func profile(_ id: String, bus: Bus?, vendor: String, products: [String], subVendor: String? = nil,
                        subProducts: [String]? = nil) throws -> DeviceProfile {
        var match: [String: Any] = ["vendorId": vendor, "productIds": products]
        if let bus { match["bus"] = bus.rawValue }
        if let subVendor { match["subsystemVendorId"] = subVendor }
        if let subProducts { match["subsystemProductIds"] = subProducts }
        let json = try JSONSerialization.data(withJSONObject: ["id": id, "name": id, "kind": "modem", "match": match])
        return try JSONDecoder().decode(DeviceProfile.self, from: json)
    }

    @Test func pciProfilesMatchOnlyPCIDevicesAndTheirSubsystem() throws {
        let intelUSB = USBDevice(id: "1-3", vendorId: "8086", productId: "7560", busPath: "1-3")
        let xmm = USBDevice(id: "0000:05:00.0", bus: .pci, vendorId: "8086", productId: "7560", busPath: "0000:05:00.0")
        let pciProfile = try Self.profile("xmm", bus: .pci, vendor: "8086", products: ["7560"])
        let usbProfile = try Self.profile("usb", bus: nil, vendor: "8086", products: ["7560"])
        #expect(pciProfile.matches(xmm))
        #expect(!pciProfile.matches(intelUSB), "PCI and USB ids are separate numbering spaces")
        #expect(usbProfile.matches(intelUSB))
        #expect(!usbProfile.matches(xmm))

        let sierra = try Self.profile("em919x", bus: .pci, vendor: "17cb", products: ["0306"], subVendor: "18d7", subProducts: ["0200"])
        var sdx55 = USBDevice(id: "0000:03:00.0", bus: .pci, vendorId: "17cb", productId: "0306",
                              subsystemVendorId: "18d7", subsystemProductId: "0200", busPath: "0000:03:00.0")
        #expect(sierra.matches(sdx55))
        #expect(sierra.specificity > pciProfile.specificity)
        sdx55.subsystemVendorId = "1c5d"
        #expect(!sierra.matches(sdx55), "another maker's SDX55 card")
    }

    @Test func shippedPCIProfilesLoadAndMatch() throws {
        let profiles = DeviceProfiles.load(ProfileLocations(shipped: packageRoot + "/Profiles", user: nil), cache: nil)
        #expect(profiles.problems.isEmpty, "\(profiles.problems)")
        let dw5932e = USBDevice(id: "0000:03:00.0", bus: .pci, vendorId: "105b", productId: "e0f9", busPath: "0000:03:00.0")
        #expect(profiles.match(dw5932e)?.id == "dell-dw5932e")
        let em919x = USBDevice(id: "0000:03:00.0", bus: .pci, vendorId: "17cb", productId: "0306",
                               subsystemVendorId: "18d7", subsystemProductId: "0200", busPath: "0000:03:00.0")
        #expect(profiles.match(em919x)?.id == "sierra-em919x")
        let em7455 = USBDevice(id: "1-2", vendorId: "1199", productId: "9079", busPath: "1-2",
                               interfaces: [USBInterface(number: 12, class: "02", subclass: "0e", protocol: "00", driver: "cdc_mbim")])
        #expect(profiles.match(em7455)?.id == "sierra-em7455-mbim")
    }

    @Test func profilesMixingBusConditionsAreRejectedWithAReason() throws {
        let dir = NSTemporaryDirectory() + "tmdiag-pci-profiles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/devices", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = """
        devices:
          - id: usb-with-subsystem
            name: a
            kind: modem
            match: {vendorId: "1199", productIds: ["9079"], subsystemVendorId: "18d7"}
          - id: pci-with-interface
            name: b
            kind: modem
            match: {bus: pci, vendorId: "1eac", productIds: ["1007"], interface: "02/0e/00"}
          - id: subsystem-products-alone
            name: c
            kind: modem
            match: {bus: pci, vendorId: "17cb", productIds: ["0306"], subsystemProductIds: ["0200"]}
          - id: good
            name: d
            kind: modem
            match: {bus: pci, vendorId: "17CB", productIds: ["0306"], subsystemVendorId: "18D7", subsystemProductIds: ["0200"]}
        """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: dir + "/devices/pci.yaml"))
        let loaded = DeviceProfiles.load(ProfileLocations(shipped: dir, user: nil), cache: nil)
        #expect(loaded.profiles.map(\.id) == ["good"])
        #expect(loaded.problems.count == 3, "\(loaded.problems)")
        #expect(loaded.problems.contains { $0.contains("usb-with-subsystem") && $0.contains("bus: pci") })
        #expect(loaded.problems.contains { $0.contains("pci-with-interface") && $0.contains("USB condition") })
        #expect(loaded.problems.contains { $0.contains("subsystem-products-alone") && $0.contains("needs match.subsystemVendorId") })
        #expect(loaded.profiles.first?.match.subsystemVendorId == "18d7", "ids are lower-cased on load")
    }

    /// The EC25 profile maps interface 4 to QMI; a module switched to MBIM keeps the id and
    /// (on firmware that keeps the vendor class) no 02/0e interface: the driver decides.
    @Test func aProfilesInterfaceMapDoesNotOverrideTheDriversProtocol() {
        let profiles = DeviceProfiles.load(ProfileLocations(shipped: packageRoot + "/Profiles", user: nil), cache: nil)
        let ec25 = USBDevice(id: "1-2", vendorId: "2c7c", productId: "0125", busPath: "1-2",
                             interfaces: [USBInterface(number: 4, class: "ff", subclass: "ff", protocol: "ff", driver: "cdc_mbim")],
                             ports: [DevicePort(path: "/dev/cdc-wdm0", kind: .mbim, interface: 4, kindSource: "driver")])
        let d = Classifier(profiles: profiles).classify(ec25)
        #expect(d.profile == "quectel-ec25")
        #expect(d.ports.first?.kind == .mbim)
        #expect(d.ports.first?.kindSource == "driver")
    }
}

