import EmbeddedProfiles
import Foundation
import Modem
import Profiles
import Testing
import TestSupport

/// The profiles built into the binary are `Profiles/` exactly, and they are what tmdiag reads
/// when it is not pointed at a folder; the user's folder still overrides them.
@Suite("Profiles built into the binary")
struct EmbeddedProfilesTests {
    static let profilesFolder = packageRoot + "/Profiles"

    @Test func theBuiltInCopyEqualsTheProfilesFolderByteForByte() throws {
        var onDisk: [String] = []
        let root = URL(fileURLWithPath: Self.profilesFolder)
        let walk = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        for case let url as URL in walk where ["yaml", "yml"].contains(url.pathExtension) {
            onDisk.append(String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)))
        }
        #expect(onDisk.sorted() == EmbeddedProfiles.paths, "the same files, no more, no fewer")
        #expect(onDisk.contains("carriers/operators.yaml"))
        for path in onDisk {
            let disk = try #require(FileManager.default.contents(atPath: Self.profilesFolder + "/" + path))
            #expect(EmbeddedProfiles.contents(path) == Array(disk), "Profiles/\(path) differs from its built-in copy")
        }
        #expect(EmbeddedProfiles.contents("errors/no-such-table.yaml") == nil)
    }

    @Test func withoutTMDIAGPROFILESTheBuiltInCatalogExplains() throws {
        let home = NSTemporaryDirectory() + "tmdiag-embedded-\(getpid())"
        let locations = ProfileLocations.standard(environment: ["HOME": home])
        #expect(locations.shipped == nil)
        let catalog = try ErrorCatalog.load(locations, cache: nil)
        let e = try #require(catalog.explain(table: "cme", code: 10))
        #expect(e.name.lowercased().contains("sim"), "\(e)")
        let operators = ShippedOperators.load(locations)
        #expect(!operators.isEmpty, "the MCC/MNC table is built in too")
        let rules = try DiagnosisRules.load(locations, cache: nil)
        #expect(!rules.rules.isEmpty)
        let profiles = DeviceProfiles.load(locations, cache: nil)
        #expect(profiles.problems.isEmpty, "\(profiles.problems)")
        #expect(profiles.profiles.count > 100)
    }

    @Test func TMDIAGPROFILESStillPointsAtAFolder() {
        let locations = ProfileLocations.standard(environment: ["TMDIAG_PROFILES": "/srv/profiles", "XDG_CONFIG_HOME": "/cfg"])
        #expect(locations.shipped == "/srv/profiles")
        #expect(locations.user == "/cfg/tmdiag/profiles")
    }

    @Test func theUsersFolderOverridesABuiltInProfile() throws {
        let config = NSTemporaryDirectory() + "tmdiag-embedded-user-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: config) }
        let builtIn = DeviceProfiles.load(ProfileLocations.standard(environment: ["XDG_CONFIG_HOME": config]), cache: nil)
        let original = try #require(builtIn.profiles.first)
        let devices = config + "/tmdiag/profiles/devices"
        try FileManager.default.createDirectory(atPath: devices, withIntermediateDirectories: true)
        let yaml = """
        devices:
          - id: \(original.id)
            name: Replaced by the user
            kind: modem
            source: a test
            match:
              vendorId: "\(original.match.vendorId)"
              productIds: ["\(original.match.productIds.first ?? "0001")"]

        """
        try yaml.write(toFile: devices + "/mine.yaml", atomically: true, encoding: .utf8)
        let loaded = DeviceProfiles.load(ProfileLocations.standard(environment: ["XDG_CONFIG_HOME": config]), cache: nil)
        let replaced = try #require(loaded.profiles.first { $0.id == original.id })
        #expect(replaced.name == "Replaced by the user", "\(loaded.problems)")
        #expect(loaded.profiles.count == builtIn.profiles.count)
    }

    @Test func theCacheKeyOfABuiltInFileIsTheBuildsFingerprint() {
        let key = ParsedCache<[String]>.key(for: ["(built in)/errors/cme.yaml"])
        #expect(key == ParsedCache<[String]>.key(for: ["(built in)/errors/cme.yaml"]))
        #expect(key != ParsedCache<[String]>.key(for: ["(built in)/errors/cms.yaml"]))
        #expect(!EmbeddedProfiles.fingerprint.isEmpty)
    }
}
