import Foundation

/// The data every pipeline reads: profiles, the error catalog, operator names. Loaded lazily,
/// once per process, so that `explain` does not parse device profiles and `devices` does not
/// parse the error catalog.
public final class DataSources: @unchecked Sendable {
    public let locations: ProfileLocations
    /// One lock per source, so that two of them can be parsed at once on different threads.
    private let lock = NSLock()
    private let catalogLock = NSLock()
    private let operatorsLock = NSLock()
    private var _profiles: DeviceProfiles?
    private var _catalog: ErrorCatalog?
    private var _operators: OperatorDirectory?
    private var _rules: DiagnosisRules?
    private var _carriers: [String: CarrierProfile] = [:]

    public init(locations: ProfileLocations = .standard()) { self.locations = locations }

    public var profiles: DeviceProfiles {
        lock.withLock {
            if let p = _profiles { return p }
            let p = DeviceProfiles.load(locations)
            _profiles = p
            return p
        }
    }

    /// Only the profiles that can match these vendors (not cached: a scan asks once).
    public func profiles(forVendors vendors: Set<String>) -> DeviceProfiles {
        if let p = lock.withLock({ _profiles }) { return p }
        return DeviceProfiles.load(locations, vendors: vendors)
    }

    /// The catalog, parsed on its first lookup (for reports: healthy modems need none).
    public func lazyCatalog() -> ErrorCatalog {
        if let c = catalogLock.withLock({ _catalog }) { return c }
        return ErrorCatalog.lazy { [self] in (try? self.catalog())?.tables.values.sorted { $0.kind < $1.kind } ?? [] }
    }

    public func catalog() throws(TMDiagError) -> ErrorCatalog {
        catalogLock.lock()
        defer { catalogLock.unlock() }
        if let c = _catalog { return c }
        let c = try ErrorCatalog.load(locations)
        _catalog = c
        return c
    }

    /// Debian's provider list when installed, plus the shipped table for what it lacks.
    public var operators: OperatorDirectory {
        operatorsLock.withLock {
            if let o = _operators { return o }
            let o = OperatorDirectory.load(locations)
            _operators = o
            return o
        }
    }

    /// Diagnosis rules (`Profiles/rules/*.yaml`); a bad file is an error naming file and line.
    public func rules() throws(TMDiagError) -> DiagnosisRules {
        lock.lock()
        defer { lock.unlock() }
        if let r = _rules { return r }
        let r = try DiagnosisRules.load(locations)
        _rules = r
        return r
    }

    /// A carrier's support channels (`Profiles/carriers/<id>.yaml`).
    public func carrier(_ id: String = "tmobile-us") throws(TMDiagError) -> CarrierProfile {
        lock.lock()
        defer { lock.unlock() }
        if let c = _carriers[id] { return c }
        let c = try CarrierProfile.load(locations, id: id)
        _carriers[id] = c
        return c
    }
}
