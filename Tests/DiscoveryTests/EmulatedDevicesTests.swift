import Foundation
import Testing
import TestSupport

/// Runs the built `tmdiag devices --all --json` under `umockdev-run` for every fixture in
/// Fixtures/devices, so the real libudev and libusb see emulated devices, and checks the
/// result against Fixtures/devices/expected.json.
@Suite("Discovery on emulated devices (umockdev)", .serialized)
struct EmulatedDevicesTests {
    static let root = packageRoot
    static let umockdevRun = Built.umockdevRun
    static let binary = Built.tmdiag
    nonisolated(unsafe) static let expected: [String: [[String: Any]]] = {
        guard let d = FileManager.default.contents(atPath: root + "/Fixtures/devices/expected.json"),
              let o = try? JSONSerialization.jsonObject(with: d) as? [String: Any] else { return [:] }
        return o.compactMapValues { $0 as? [[String: Any]] }
    }()
    static let fixtures = expected.keys.filter { $0.hasSuffix(".umockdev") && !$0.hasPrefix("bench") }.sorted()

    static func runDevices(_ fixture: String) async throws -> (Int32, [String: Any]?, String) {
        let r = try await spawn(umockdevRun!, ["--device", root + "/Fixtures/devices/" + fixture, "--", binary, "devices", "--all", "--json"])
        return (r.status, r.json, r.stderr)
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed (apt-get install umockdev); emulated discovery skipped"),
          arguments: fixtures)
    func reportsEveryFixtureDevice(_ fixture: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build tmdiag first (swift build)")
        let (status, json, stderr) = try await Self.runDevices(fixture)
        #expect(status == 0, "\(fixture): exit \(status): \(stderr)")
        #expect(!stderr.contains("profile skipped"), "shipped profiles must load cleanly: \(stderr)")
        let devices = try #require(json?["devices"] as? [[String: Any]], "\(fixture): no JSON")
        for want in Self.expected[fixture] ?? [] {
            let id = want["id"] as? String
            guard let got = devices.first(where: { $0["id"] as? String == id }) else {
                Issue.record("\(fixture): device \(id ?? "?") missing")
                continue
            }
            for key in ["kind", "bus", "vendorId", "productId", "subsystemVendorId", "subsystemProductId", "busPath",
                        "vendor", "model", "profile", "driver"] {
                guard let w = want[key], !(w is NSNull) else { continue }
                #expect("\(got[key] ?? "nil")" == "\(w)", "\(fixture) \(id ?? ""): \(key)")
            }
            for key in ["manufacturer", "product", "serial"] {
                guard let w = want[key] as? String else { continue }
                #expect(got[key] as? String == w, "\(fixture) \(id ?? ""): \(key)")
            }
            let ports = (got["ports"] as? [[String: Any]]) ?? []
            let atPort = ports.first { $0["kind"] as? String == "at" }?["path"] as? String
                ?? ports.first { $0["kind"] as? String == "modem" }?["path"] as? String
            if want.keys.contains("atPort") {
                #expect(atPort == want["atPort"] as? String, "\(fixture) \(id ?? ""): atPort")
            }
            if let n = want["interfaces"] as? Int {
                #expect((got["interfaces"] as? [Any])?.count == n, "\(fixture) \(id ?? ""): interfaces")
            }
            if let wantPorts = want["ports"] as? [String: String] {
                for (path, kind) in wantPorts {
                    let k = ports.first { $0["path"] as? String == path }?["kind"] as? String
                    #expect(k == kind, "\(fixture) \(id ?? ""): port \(path)")
                }
                // Each channel once, and nothing the fixture does not have.
                #expect(Set(ports.compactMap { $0["path"] as? String }) == Set(wantPorts.keys), "\(fixture) \(id ?? ""): port list")
                #expect(ports.count == wantPorts.count, "\(fixture) \(id ?? ""): a port listed twice")
            }
        }
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; hostile discovery skipped"))
    func hostileStringsAreEscapedOnTheTerminal() async throws {
        let r = try await spawn(Self.umockdevRun!, ["--device", Self.root + "/Fixtures/devices/hostile.umockdev", "--", Self.binary, "devices", "--all"])
        let o = r.stdout
        #expect(r.status == 0)
        #expect(!o.contains(0x1B), "no raw ESC may reach the terminal")
        #expect(!o.contains(0x07))
        let text = String(decoding: o, as: UTF8.self)
        #expect(text.contains("\\x1B"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count < 400 }, "a 64 KiB product string is cut")
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func theFTDIAdapterAndBoardsAreNotModems() async throws {
        let (_, json, _) = try await Self.runDevices("hub-ordinary.umockdev")
        let devices = try #require(json?["devices"] as? [[String: Any]])
        #expect(devices.count >= 5)
        for d in devices { #expect(d["kind"] as? String == "other", "\(d["vendorId"] ?? ""):\(d["productId"] ?? "")") }
    }
}

extension Data {
    func contains(_ byte: UInt8) -> Bool { self.firstIndex(of: byte) != nil }
}
