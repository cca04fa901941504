import Foundation
import Testing
import TestSupport

/// PCI modems and MBIM/QMI-only USB modems, found by the built `tmdiag devices` under
/// `umockdev-run`: real libudev walking an emulated /sys with the kernel's wwan class.
@Suite("PCI wwan and MBIM/QMI discovery (umockdev)", .serialized)
struct WWANDiscoveryTests {
    static let umockdevRun = Built.umockdevRun

    static func devices(_ fixture: String, json: Bool = true) async throws -> (Spawned, [[String: Any]]) {
        let r = try await spawn(umockdevRun!, ["--device", packageRoot + "/Fixtures/devices/" + fixture, "--",
                                         Built.tmdiag] + ["devices", "--all"] + (json ? ["--json"] : []))
        return (r, (r.json?["devices"] as? [[String: Any]]) ?? [])
    }

    static func ports(_ d: [String: Any]?) -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for p in (d?["ports"] as? [[String: Any]]) ?? [] { if let path = p["path"] as? String { out[path] = p } }
        return out
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed (apt-get install umockdev); skipped"))
    func mhiModemIsListedByItsPCIAddressWithItsWwanPorts() async throws {
        let (r, devices) = try await Self.devices("pcie-quectel-rm520n.umockdev")
        #expect(r.status == 0, "\(r.stderr)")
        let modem = try #require(devices.first { $0["id"] as? String == "0000:03:00.0" })
        #expect(modem["bus"] as? String == "pci")
        #expect(modem["kind"] as? String == "modem")
        #expect(modem["busPath"] as? String == "0000:03:00.0")
        #expect(modem["vendorId"] as? String == "1eac")
        #expect(modem["productId"] as? String == "1007")
        #expect(modem["subsystemVendorId"] as? String == "1eac")
        #expect(modem["subsystemProductId"] as? String == "2001")
        #expect(modem["profile"] as? String == "quectel-rm520n-gl")
        let ports = Self.ports(modem)
        #expect(ports.mapValues { $0["kind"] as? String } == ["/dev/wwan0at0": "at", "/dev/wwan0mbim0": "mbim", "/dev/wwan0qcdm0": "diag"])
        #expect(ports.values.allSatisfy { $0["interface"] as? Int == -1 && $0["kindSource"] as? String == "wwan" })
        // The Wi-Fi card, the root port and the USB controller are PCI devices without a wwan child.
        let pci = devices.filter { $0["bus"] as? String == "pci" }.compactMap { $0["id"] as? String }
        #expect(pci == ["0000:03:00.0"])
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func t7xxModemHangsDirectlyUnderThePCIDevice() async throws {
        let (_, devices) = try await Self.devices("pcie-fibocom-fm350.umockdev")
        let modem = try #require(devices.first { $0["bus"] as? String == "pci" })
        #expect(modem["id"] as? String == "0000:58:00.0")
        #expect(modem["driver"] as? String == "mtk_t7xx")
        #expect(modem["model"] as? String == "T700 5G Modem [5G Solution 5000]", "PCI names from the udev hwdb")
        #expect(Self.ports(modem).mapValues { $0["kind"] as? String } == ["/dev/wwan0at0": "at", "/dev/wwan0mbim0": "mbim"])
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func linux513PortNamesWithoutTypeAttributeGiveTheKind() async throws {
        let (_, devices) = try await Self.devices("pcie-linux513-names.umockdev")
        let modem = try #require(devices.first { $0["id"] as? String == "0000:03:00.0" })
        #expect(Self.ports(modem).mapValues { $0["kind"] as? String }
                == ["/dev/wwan0p1QCDM": "diag", "/dev/wwan0p2MBIM": "mbim", "/dev/wwan0p3AT": "at"])
        #expect(modem["profile"] as? String == "quectel-em120r-gl")
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func aUSBChannelAlsoRegisteredAsWwanPortIsListedOnce() async throws {
        let (r, devices) = try await Self.devices("usb-mbim-wwan-duplicate.umockdev")
        #expect(r.status == 0, "\(r.stderr)")
        let all = devices.flatMap { Self.ports($0).keys }
        #expect(!all.contains("/dev/wwan0mbim0"), "the USB modem's wwan twin of cdc-wdm0 must not be listed")
        #expect(all.filter { $0 == "/dev/cdc-wdm0" }.count == 1)
        let usb = try #require(devices.first { $0["id"] as? String == "1-2" })
        #expect(Self.ports(usb)["/dev/cdc-wdm0"]?["kind"] as? String == "mbim")
        // The twin's wwan device is not a PCI modem of its own; the real PCI modem still is.
        #expect(devices.filter { $0["bus"] as? String == "pci" }.compactMap { $0["id"] as? String } == ["0000:58:00.0"])
        let pci = try #require(devices.first { $0["id"] as? String == "0000:58:00.0" })
        #expect(Set(Self.ports(pci).keys) == ["/dev/wwan1at0", "/dev/wwan1mbim0"])
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func mbimOnlyAndQMIOnlyUSBModemsGetTheirDriversProtocol() async throws {
        let (_, mbim) = try await Self.devices("sierra-em7455-mbim.umockdev")
        let em = try #require(mbim.first { $0["id"] as? String == "1-2" })
        #expect(em["kind"] as? String == "modem")
        #expect(em["bus"] as? String == "usb")
        #expect(em["profile"] as? String == "sierra-em7455-mbim")
        let wdm = try #require(Self.ports(em)["/dev/cdc-wdm0"])
        #expect(wdm["kind"] as? String == "mbim")
        #expect(wdm["kindSource"] as? String == "driver")
        #expect(!Self.ports(em).values.contains { $0["kind"] as? String == "at" }, "MBIM-only: no AT port")

        let (_, qmi) = try await Self.devices("sierra-mc7455-qmi.umockdev")
        let mc = try #require(qmi.first { $0["id"] as? String == "1-2" })
        #expect(mc["kind"] as? String == "modem")
        #expect(Self.ports(mc)["/dev/cdc-wdm0"]?["kind"] as? String == "qmi")
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func textTableShowsBusAddressAndControlPort() async throws {
        let (r, _) = try await Self.devices("pcie-quectel-rm520n.umockdev", json: false)
        // The PCI address is the id; the port column shows the AT port where there is one.
        let line = try #require(r.text.split(separator: "\n").first { $0.contains("0000:03:00.0") })
        #expect(line.contains("1eac:1007"))
        #expect(line.contains("/dev/wwan0at0"))
        // A modem without an AT port shows the channel it is reached through, with its protocol.
        let (m, _) = try await Self.devices("sierra-em7455-mbim.umockdev", json: false)
        #expect(m.text.contains("/dev/cdc-wdm0 (mbim)"), "\(m.text)")
    }
}
