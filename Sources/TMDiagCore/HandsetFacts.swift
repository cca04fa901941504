/// What a phone told us through `adb`, `ideviceinfo` or `mmcli`. Multi-SIM values are one per slot.
public struct HandsetFacts: Codable, Sendable, Hashable {
    /// `adb`, `ideviceinfo` or `mmcli`.
    public var source: String
    public var manufacturer: String?
    public var model: String?
    public var osVersion: String?
    public var build: String?
    public var securityPatch: String?
    public var baseband: String?
    public var imei: [String]?
    public var simStates: [String]?
    public var operators: [OperatorInfo]?
    public var networkTypes: [String]?
    public var roaming: [Bool]?
    /// Why facts are missing: tool not installed, device unauthorised, timed out.
    public var note: String?

    public init(source: String) { self.source = source }
}
