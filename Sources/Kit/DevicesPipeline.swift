import Discovery
import Foundation
import Profiles
import TMDiagCore

/// `tmdiag devices`: discover, then classify with the profiles.
public enum DevicesPipeline {
    public struct Result: Sendable {
        public var devices: [USBDevice]
        public var lookedAt: String
        public var profileProblems: [String]
        /// The profiles the scan matched against (those of the vendors present).
        public var profiles: DeviceProfiles
    }

    public static func run(data: DataSources, all: Bool) throws(TMDiagError) -> Result {
        let found = try Discovery.scan()
        let profiles = data.profiles(forVendors: Set(found.devices.map(\.vendorId)))
        let classifier = Classifier(profiles: profiles)
        var devices = found.devices.map(classifier.classify)
        if !all { devices = devices.filter { $0.kind != .other } }
        return Result(devices: devices, lookedAt: found.lookedAt, profileProblems: profiles.problems, profiles: profiles)
    }

    /// The contract's JSON: `{"schemaVersion", "devices": [...]}`.
    public struct Document: Codable, Sendable {
        public var schemaVersion = 1
        public var devices: [USBDevice]
        public init(devices: [USBDevice]) { self.devices = devices }
    }
}
