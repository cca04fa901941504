import Foundation
import Testing
import TestSupport

/// Phones are known by what they show, whoever made them: `tmdiag devices` (the default
/// listing, without `--all`) under umockdev lists every phone as a handset and none of the
/// look-alikes (a PTP camera, security keys, an SSD and a keyboard with phone makers' ids, a
/// USB-serial adapter).
@Suite("Phone classification by evidence (umockdev)", .serialized)
struct PhoneClassificationTests {
    static let umockdevRun = Built.umockdevRun

    static func devices(_ fixture: String, all: Bool = false) async throws -> [[String: Any]] {
        let r = try await spawn(umockdevRun!, ["--device", packageRoot + "/Fixtures/devices/" + fixture, "--", Built.tmdiag, "devices", "--json"]
                                + (all ? ["--all"] : []))
        let devices = ((r.json?["devices"] as? [[String: Any]]) ?? []).filter { !(($0["id"] as? String) ?? "").hasPrefix("usb") }
        // `devices` ends with status 2 when it lists nothing (no phone, modem or hotspot).
        #expect(r.status == (devices.isEmpty && !all ? 2 : 0), "\(fixture): exit \(r.status): \(r.stderr)")
        return devices
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"),
          arguments: ["phones-no-profile.umockdev", "phones-new-profiles.umockdev", "phone-tethering.umockdev"])
    func everyPhoneIsAHandset(_ fixture: String) async throws {
        let listed = try await Self.devices(fixture)
        let all = try await Self.devices(fixture, all: true)
        #expect(!listed.isEmpty)
        #expect(listed.count == all.count, "every device in \(fixture) is a phone and is listed")
        for d in listed {
            #expect(d["kind"] as? String == "handset", "\(d["vendorId"] ?? ""):\(d["productId"] ?? "") is \(d["kind"] ?? "?")")
            #expect((d["kindReason"] as? String)?.isEmpty == false)
        }
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func phonesOfMakersWithoutAProfileAreKnownByTheirMTPInterface() async throws {
        let listed = try await Self.devices("phones-no-profile.umockdev")
        let reasons = Dictionary(uniqueKeysWithValues: listed.map { ($0["id"] as? String ?? "", $0["kindReason"] as? String ?? "") })
        #expect(reasons["1-1"] == "MTP interface", "class 06 named MTP: \(reasons)")
        #expect(reasons["1-2"]?.contains("udev tags as MTP") == true, "vendor-class MTP tagged by libmtp's udev data: \(reasons)")
        for d in listed { #expect(d["profile"] == nil, "no profile for these makers") }
        let withNames = try await Self.devices("phones-no-profile.umockdev", all: true)
        let ifaces = withNames.first { $0["id"] as? String == "1-1" }?["interfaces"] as? [[String: Any]]
        #expect(ifaces?.first?["name"] as? String == "MTP")
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func newProfilesNameTheUSPhones() async throws {
        let listed = try await Self.devices("phones-new-profiles.umockdev")
        let profiles = Dictionary(uniqueKeysWithValues: listed.map { ($0["id"] as? String ?? "", $0["profile"] as? String ?? "") })
        #expect(profiles == ["1-1": "hmd-nokia-android", "1-2": "sony-xperia", "1-3": "lg-android", "1-4": "tcl-alcatel-phone"])
    }

    @Test(.enabled(if: umockdevRun != nil, "umockdev-run is not installed; skipped"))
    func lookAlikesStayOtherAndAreNotListed() async throws {
        let listed = try await Self.devices("phone-lookalikes.umockdev")
        #expect(listed.isEmpty, "listed: \(listed.map { "\($0["vendorId"] ?? ""):\($0["productId"] ?? "") \($0["kind"] ?? "")" })")
        let all = try await Self.devices("phone-lookalikes.umockdev", all: true)
        #expect(all.count == 6)
        for d in all { #expect(d["kind"] as? String == "other", "\(d["vendorId"] ?? ""):\(d["productId"] ?? "")") }
    }
}
