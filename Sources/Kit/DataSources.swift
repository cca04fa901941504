import Foundation
import Modem
import Profiles
import TMDiagCore

/// The data every pipeline reads: profiles, the error catalog, operator names. Loaded lazily,
/// once per process, so that `explain` does not parse device profiles and `devices` does not
/// parse the error catalog.
public final class DataSources: Sendable {
    public let locations: ProfileLocations
    /// One lock per source, so that two of them can be parsed at once on different threads.
    private let parsed = Locked<Parsed>(Parsed())
    private let parsedCatalog = Locked<ErrorCatalog?>(nil)
    private let parsedOperators = Locked<OperatorDirectory?>(nil)

    private struct Parsed {
        var profiles: DeviceProfiles?
        var rules: DiagnosisRules?
        var carriers: [String: CarrierProfile] = [:]
    }

    public init(locations: ProfileLocations = .standard()) { self.locations = locations }

    public var profiles: DeviceProfiles {
        parsed.withLock {
            if let p = $0.profiles { return p }
            let p = DeviceProfiles.load(locations)
            $0.profiles = p
            return p
        }
    }

    /// Only the profiles that can match these vendors (not cached: a scan asks once).
    public func profiles(forVendors vendors: Set<String>) -> DeviceProfiles {
        if let p = parsed.withLock({ $0.profiles }) { return p }
        return DeviceProfiles.load(locations, vendors: vendors)
    }

    /// The catalog, parsed on its first lookup (for reports: healthy modems need none).
    public func lazyCatalog() -> ErrorCatalog {
        if let c = parsedCatalog.withLock({ $0 }) { return c }
        return ErrorCatalog.lazy { [self] in (try? self.catalog())?.tables.values.sorted { $0.kind < $1.kind } ?? [] }
    }

    public func catalog() throws(TMDiagError) -> ErrorCatalog {
        try parsedCatalog.withLock { (c: inout ErrorCatalog?) throws(TMDiagError) -> ErrorCatalog in
            if let c { return c }
            let loaded = try ErrorCatalog.load(locations)
            c = loaded
            return loaded
        }
    }

    /// Debian's provider list when installed, plus the shipped table for what it lacks.
    public var operators: OperatorDirectory {
        parsedOperators.withLock {
            if let o = $0 { return o }
            let o = OperatorDirectory.load(locations)
            $0 = o
            return o
        }
    }

    /// Diagnosis rules (`Profiles/rules/*.yaml`); a bad file is an error naming file and line.
    public func rules() throws(TMDiagError) -> DiagnosisRules {
        try parsed.withLock { (p: inout Parsed) throws(TMDiagError) -> DiagnosisRules in
            if let r = p.rules { return r }
            let r = try DiagnosisRules.load(locations)
            p.rules = r
            return r
        }
    }

    /// A carrier's support channels (`Profiles/carriers/<id>.yaml`).
    public func carrier(_ id: String = "tmobile-us") throws(TMDiagError) -> CarrierProfile {
        try parsed.withLock { (p: inout Parsed) throws(TMDiagError) -> CarrierProfile in
            if let c = p.carriers[id] { return c }
            let c = try CarrierProfile.load(locations, id: id)
            p.carriers[id] = c
            return c
        }
    }
}
