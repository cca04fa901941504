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
    /// Who acts on it: `customer`, `device`, `carrier-account` or `network`.
    public var actor: String?
    /// The raw lines (device replies, phone output) the finding was drawn from, as read.
    public var evidence: [String]?

    public init(id: String, category: String, severity: String, confidence: Double, title: String,
                reasoning: String, nextStep: String?, device: String? = nil,
                actor: String? = nil, evidence: [String]? = nil) {
        self.id = id
        self.category = category
        self.severity = severity
        self.confidence = confidence
        self.title = title
        self.reasoning = reasoning
        self.nextStep = nextStep
        self.device = device
        self.actor = actor
        self.evidence = evidence
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
    /// What differs from this device's previous saved report; nil when there was none.
    public var changes: [DeviceChange]?

    public init(device: USBDevice, modem: ModemFacts? = nil, handset: HandsetFacts? = nil,
                errors: [ReportedError] = [], probe: ProbeNote? = nil) {
        self.device = device
        self.modem = modem
        self.handset = handset
        self.errors = errors
        self.probe = probe
    }

    // The contract flattens the device's identity into the same object as `modem` and `errors`.
    private enum ExtraKeys: String, CodingKey { case modem, handset, errors, probe, changes }

    public init(from decoder: any Decoder) throws {
        device = try USBDevice(from: decoder)
        let c = try decoder.container(keyedBy: ExtraKeys.self)
        modem = try c.decodeIfPresent(ModemFacts.self, forKey: .modem)
        handset = try c.decodeIfPresent(HandsetFacts.self, forKey: .handset)
        errors = try c.decodeIfPresent([ReportedError].self, forKey: .errors) ?? []
        probe = try c.decodeIfPresent(ProbeNote.self, forKey: .probe)
        changes = try c.decodeIfPresent([DeviceChange].self, forKey: .changes)
    }

    public func encode(to encoder: any Encoder) throws {
        try device.encode(to: encoder)
        var c = encoder.container(keyedBy: ExtraKeys.self)
        try c.encodeIfPresent(modem, forKey: .modem)
        try c.encodeIfPresent(handset, forKey: .handset)
        try c.encode(errors, forKey: .errors)
        try c.encodeIfPresent(probe, forKey: .probe)
        try c.encodeIfPresent(changes, forKey: .changes)
    }
}

public struct ProbeNote: Codable, Sendable, Hashable {
    /// `at`, `mmcli`, `adb`, `ideviceinfo`, `none`.
    public var method: String
    public var port: String?
    public var durationMs: Int?
    public var note: String?
    /// How much of the device could be read; the report's verdict rests on it. Absent in
    /// reports written before tmdiag said so (then the device counts as not known to be read).
    public var coverage: ProbeCoverage?
    public init(method: String, port: String? = nil, durationMs: Int? = nil, note: String? = nil,
                coverage: ProbeCoverage? = nil) {
        self.method = method
        self.port = port
        self.durationMs = durationMs
        self.note = note
        self.coverage = coverage
    }
}

/// How much of a device tmdiag could read.
public enum ProbeCoverage: String, Codable, Sendable, CaseIterable {
    /// Every query tmdiag asks of this kind of device was answered.
    case complete
    /// Some answers are missing (timeouts, a port that stopped answering).
    case partial
    /// Nothing was read: no reply, no protocol tmdiag speaks yet, phone not authorised,
    /// tool not installed, port busy.
    case none
}

/// What the report as a whole can say, from what was checked and what was found.
public enum ReportVerdict: String, Codable, Sendable, CaseIterable {
    /// No phone, modem or hotspot was found: nothing was checked.
    case noDevices = "no-devices"
    /// At least one finding that is a warning or a problem.
    case problemsFound = "problems-found"
    /// No finding, but some device could not be read fully: not a clean bill of health.
    case incomplete
    /// Every device was read fully and no rule fired.
    case nothingWrongFound = "nothing-wrong-found"

    public static func of(devices: [ReportedDevice], findings: [Finding]) -> ReportVerdict {
        if devices.isEmpty { return .noDevices }
        if findings.contains(where: { $0.severity != "info" }) { return .problemsFound }
        if devices.contains(where: { $0.probe?.coverage != .complete }) { return .incomplete }
        return .nothingWrongFound
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
    /// What the report can say as a whole; set when the report is made. Reports written before
    /// tmdiag recorded it are judged from their devices (see `judged`).
    public var verdict: ReportVerdict?

    /// The recorded verdict, else the one the devices and findings support.
    public var judged: ReportVerdict { verdict ?? ReportVerdict.of(devices: devices, findings: findings) }

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
    /// From the `VERSION` file, stamped at build time (Plugins/StampVersion).
    public static let version = BuildVersion.version
    /// The git commit the binary was built from, or "unknown" outside a git checkout.
    public static let commit = BuildVersion.commit
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
