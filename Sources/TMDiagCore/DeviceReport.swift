import Foundation

/// A finding: something wrong (or worth knowing) with a plain-words reason and a next step.
public struct Finding: Codable, Sendable, Hashable {
    /// Stable id of the rule that produced it, e.g. `sim-absent`.
    public var id: String
    /// `sim`, `provisioning`, `coverage`, `device`, `billing`, `roaming`.
    public var category: String
    /// `info`, `warning`, `problem`.
    public var severity: String
    /// 0...1; how sure the rule is that this explains the trouble.
    public var confidence: Double
    public var title: String
    public var reasoning: String
    public var nextStep: String?
    /// The device (report device id) it is about, if any.
    public var device: String?

    public init(id: String, category: String, severity: String, confidence: Double, title: String,
                reasoning: String, nextStep: String?, device: String? = nil) {
        self.id = id
        self.category = category
        self.severity = severity
        self.confidence = confidence
        self.title = title
        self.reasoning = reasoning
        self.nextStep = nextStep
        self.device = device
    }
}

public struct ToolInfo: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    public init(name: String = "tmdiag", version: String = TMDiag.version) {
        self.name = name
        self.version = version
    }
}

public struct HostInfo: Codable, Sendable, Hashable {
    public var os: String?
    public var kernel: String?
    public var arch: String?
    /// Helper tools found on PATH (`adb`, `ideviceinfo`, `mmcli`), with their paths.
    public var tools: [String: String]
    /// Whether ModemManager was running when the report was made.
    public var modemManagerRunning: Bool?
    public init(os: String? = nil, kernel: String? = nil, arch: String? = nil, tools: [String: String] = [:],
                modemManagerRunning: Bool? = nil) {
        self.os = os
        self.kernel = kernel
        self.arch = arch
        self.tools = tools
        self.modemManagerRunning = modemManagerRunning
    }
}

/// One device in a report: discovery's identity plus what probing and enrichment found.
public struct ReportedDevice: Codable, Sendable, Hashable {
    public var device: USBDevice
    public var modem: ModemFacts?
    public var handset: HandsetFacts?
    public var errors: [ReportedError]
    /// How the facts were read: `at:/dev/ttyUSB2`, `mmcli`, `adb`, or why nothing was.
    public var probe: ProbeNote?

    public init(device: USBDevice, modem: ModemFacts? = nil, handset: HandsetFacts? = nil,
                errors: [ReportedError] = [], probe: ProbeNote? = nil) {
        self.device = device
        self.modem = modem
        self.handset = handset
        self.errors = errors
        self.probe = probe
    }

    // The contract flattens the device's identity into the same object as `modem` and `errors`.
    private enum ExtraKeys: String, CodingKey { case modem, handset, errors, probe }

    public init(from decoder: any Decoder) throws {
        device = try USBDevice(from: decoder)
        let c = try decoder.container(keyedBy: ExtraKeys.self)
        modem = try c.decodeIfPresent(ModemFacts.self, forKey: .modem)
        handset = try c.decodeIfPresent(HandsetFacts.self, forKey: .handset)
        errors = try c.decodeIfPresent([ReportedError].self, forKey: .errors) ?? []
        probe = try c.decodeIfPresent(ProbeNote.self, forKey: .probe)
    }

    public func encode(to encoder: any Encoder) throws {
        try device.encode(to: encoder)
        var c = encoder.container(keyedBy: ExtraKeys.self)
        try c.encodeIfPresent(modem, forKey: .modem)
        try c.encodeIfPresent(handset, forKey: .handset)
        try c.encode(errors, forKey: .errors)
        try c.encodeIfPresent(probe, forKey: .probe)
    }
}

public struct ProbeNote: Codable, Sendable, Hashable {
    /// `at`, `mmcli`, `adb`, `ideviceinfo`, `none`.
    public var method: String
    public var port: String?
    public var durationMs: Int?
    public var note: String?
    public init(method: String, port: String? = nil, durationMs: Int? = nil, note: String? = nil) {
        self.method = method
        self.port = port
        self.durationMs = durationMs
        self.note = note
    }
}

/// The device report: one Codable model for JSON, text and the store.
public struct DeviceReport: Codable, Sendable, Hashable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var reportId: String
    public var createdAt: Date
    public var tool: ToolInfo
    public var host: HostInfo
    public var devices: [ReportedDevice]
    public var findings: [Finding]
    /// Which identifiers were left unmasked (`--reveal`); empty means everything is masked.
    public var revealed: [String]?
    /// SHA-256 (hex) of this report's compact JSON with `digest` itself left out; set by `sealed()`.
    public var digest: String?

    public init(reportId: String, createdAt: Date, tool: ToolInfo = ToolInfo(), host: HostInfo,
                devices: [ReportedDevice], findings: [Finding] = [], revealed: [String]? = nil) {
        self.schemaVersion = Self.currentSchemaVersion
        self.reportId = reportId
        self.createdAt = createdAt
        self.tool = tool
        self.host = host
        self.devices = devices
        self.findings = findings
        self.revealed = revealed
    }
}

public enum TMDiag {
    public static let version = "0.1.0"
}

extension DeviceReport {
    /// The canonical bytes the digest covers: compact, sorted-key JSON without `digest`.
    public func canonicalJSON() throws -> Data {
        var r = self
        r.digest = nil
        return try JSONCoding.encode(r, pretty: false)
    }

    /// The report with its digest set.
    public func sealed() throws -> DeviceReport {
        var r = self
        r.digest = SHA256.hex(try canonicalJSON())
        return r
    }

    /// True when the digest is present and matches the content.
    public var digestIsValid: Bool {
        guard let d = digest, let bytes = try? canonicalJSON() else { return false }
        return SHA256.hex(bytes) == d
    }
}
