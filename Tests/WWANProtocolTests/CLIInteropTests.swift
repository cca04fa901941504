import Foundation
import Testing
import TestSupport

/// Debian's `mbimcli` and `qmicli` (libmbim-utils, libqmi-utils) against the fake modems behind
/// umockdev-emulated cdc-wdm ports: an independent check that the fakes speak the protocols as
/// libmbim and libqmi understand them, so that tmdiag's clients are not only tested against
/// their own reading of the specifications.
@Suite("mbimcli and qmicli against the fake modems", .serialized)
struct CLIInteropTests {
    static let mbimcli = executable(["/usr/bin/mbimcli", "/usr/local/bin/mbimcli"])
    static let qmicli = executable(["/usr/bin/qmicli", "/usr/local/bin/qmicli"])
    static let bed = FileManager.default.isExecutableFile(atPath: Built.bed) ? Built.bed : nil

    /// Two bare cdc-wdm nodes: umockdev turns them into ptys whose master the bed answers on.
    static let devices: String = {
        let path = NSTemporaryDirectory() + "tmdiag-wwan-interop-\(getpid()).umockdev"
        let text = """
        P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.12/usbmisc/cdc-wdm0
        N: cdc-wdm0
        E: DEVNAME=/dev/cdc-wdm0
        E: SUBSYSTEM=usbmisc
        A: dev=180:0\\n

        P: /devices/pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.8/usbmisc/cdc-wdm1
        N: cdc-wdm1
        E: DEVNAME=/dev/cdc-wdm1
        E: SUBSYSTEM=usbmisc
        A: dev=180:1\\n

        """
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }()

    /// Runs `tool args` under the bed with one fake; its output and what the fake received.
    func run(_ fake: String, _ tool: String, _ args: [String]) async throws -> (out: String, received: [String]) {
        let log = NSTemporaryDirectory() + "tmdiag-wwan-interop-\(getpid())-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let r = try await spawn(Self.bed!, ["--devices", Self.devices] + fake.split(separator: " ").map(String.init)
                          + ["--log", log, "--", tool] + args)
        let data = FileManager.default.contents(atPath: log) ?? Data()
        let json = (try? JSONSerialization.jsonObject(with: data) as? [String: [String]]) ?? [:]
        #expect(r.status == 0, "\(tool) \(args): \(r.stderr)")
        return (r.text, json.values.flatMap { $0 })
    }

    func skipReason(_ tool: String?, _ name: String) -> String? {
        if tool == nil { return "\(name) is not installed (apt-get install libmbim-utils libqmi-utils)" }
        if Self.bed == nil { return "fakemodem-bed is not built (swift build --build-tests)" }
        return nil
    }

    @Test func mbimcliReadsTheFakeMBIMModem() async throws {
        if let why = skipReason(Self.mbimcli, "mbimcli") {
            print("SKIP mbimcli interop: \(why)")
            return
        }
        let cases: [(String, String, [String])] = [
            ("healthy", "--query-device-caps", ["Device ID: '356938035643809'", "Firmware info: 'SWI9X30C_02.33.03.00'", "Hardware info: 'EM7455'"]),
            ("healthy", "--query-subscriber-ready-status", ["Ready state: 'initialized'", "Subscriber ID: '310260123456789'",
                                                            "SIM ICCID: '8901260123456789012'", "'+12065550142'"]),
            ("pin-required", "--query-pin-state", ["PIN state: 'locked'", "PIN type: 'pin1'", "Remaining attempts: '3'"]),
            ("radio-off", "--query-radio-state", ["Hardware radio state: 'on'", "Software radio state: 'off'"]),
            ("healthy", "--query-home-provider", ["Provider ID: '310260'", "Provider name: 'T-Mobile'"]),
            ("denied", "--query-registration-state", ["Register state: 'denied'", "Network error: 'gprs-not-allowed'"]),
            ("roaming", "--query-registration-state", ["Register state: 'roaming'", "Provider name: 'Vodafone UK'"]),
            ("healthy", "--query-packet-service-state", ["Packet service state: 'attached'"]),
            ("healthy", "--query-signal-state", ["RSSI [0-31,99]: '21'"]),
        ]
        for (scenario, query, wants) in cases {
            // Fragmented and split replies too: mbimcli must reassemble them as tmdiag does.
            for options in ["", ",fragment=64,split"] {
                let (out, received) = try await run("--mbim /dev/cdc-wdm0=\(scenario)\(options)", Self.mbimcli!, ["-d", "/dev/cdc-wdm0", query])
                for w in wants { #expect(out.contains(w), "\(scenario) \(query)\(options): \(w) missing in\n\(out)") }
                #expect(received.first == "OPEN" && received.last == "CLOSE", "\(received)")
                #expect(!received.contains { $0.hasPrefix("NOT ALLOWED") }, "\(received)")
            }
        }
    }

    @Test func qmicliReadsTheFakeQMIModem() async throws {
        if let why = skipReason(Self.qmicli, "qmicli") {
            print("SKIP qmicli interop: \(why)")
            return
        }
        let cases: [(String, String, [String])] = [
            ("healthy", "--dms-get-ids", ["IMEI: '356938035643809'"]),
            ("healthy", "--dms-get-manufacturer", ["Manufacturer: 'Sierra Wireless, Incorporated'"]),
            ("healthy", "--dms-get-model", ["Model: 'EM7455'"]),
            ("radio-off", "--dms-get-operating-mode", ["Mode: 'low-power'"]),
            ("healthy", "--uim-get-card-status", ["Card state: 'present'", "Application state: 'ready'", "PIN1 retries: '3'", "PUK1 retries: '10'"]),
            ("pin-required", "--uim-get-card-status", ["Application state: 'pin1-or-upin-pin-required'", "PIN1 state: 'enabled-not-verified'"]),
            ("sim-absent", "--uim-get-card-status", ["Card state: 'absent'"]),
            ("healthy", "--nas-get-serving-system", ["Registration state: 'registered'", "Roaming status: 'off'", "MCC: '310'", "Description: 'T-Mobile'"]),
            ("roaming", "--nas-get-serving-system", ["Roaming status: 'on'", "Description: 'Vodafone UK'"]),
            ("denied", "--nas-get-system-info", ["Registration reject: 'ps' (ps-services-not-allowed)"]),
            ("healthy", "--nas-get-signal-info", ["RSRP: '-96 dBm'", "SNR: '12.5 dB'"]),
            ("healthy", "--nas-get-home-network", ["Description: 'T-Mobile'"]),
        ]
        for (scenario, query, wants) in cases {
            let (out, received) = try await run("--qmi /dev/cdc-wdm1=\(scenario),split", Self.qmicli!, ["-d", "/dev/cdc-wdm1", "--device-open-qmi", query])
            for w in wants { #expect(out.contains(w), "\(scenario) \(query): \(w) missing in\n\(out)") }
            #expect(received.first?.hasPrefix("CTL Allocate CID") == true, "\(received)")
            #expect(received.last?.hasPrefix("CTL Release CID") == true, "qmicli releases its client id too: \(received)")
            #expect(!received.contains { $0.hasPrefix("NOT ALLOWED") }, "\(received)")
        }
    }
}
