import Foundation
import Modem
import TMDiagCore

/// `tmdiag probe`: one device (by id) or one port, asked the standard probe set.
public enum ProbePipeline {
    /// The JSON of `probe` and `decode`: the same `modem` and `errors` objects as a report device.
    public struct Document: Codable, Sendable {
        public var schemaVersion = 1
        public var port: String?
        public var device: String?
        public var modem: ModemFacts
        public var errors: [ReportedError]
        public var commands: [String]?
        public var durationMs: Int?
        public var note: String?
        public var urcs: Int?
        public var lines: Int?

        public init(port: String? = nil, device: String? = nil, modem: ModemFacts, errors: [ReportedError],
                    commands: [String]? = nil, durationMs: Int? = nil, note: String? = nil, urcs: Int? = nil, lines: Int? = nil) {
            self.port = port
            self.device = device
            self.modem = modem
            self.errors = errors
            self.commands = commands
            self.durationMs = durationMs
            self.note = note
            self.urcs = urcs
            self.lines = lines
        }
    }

    public static func run(deviceId: String?, port: String?, timeout: Duration, data: DataSources,
                           trace: (@Sendable (String, String) -> Void)? = nil) async throws(TMDiagError) -> Document {
        var path = port
        var extras: [String] = []
        var queries: [String] = []
        var batch = false
        var deviceName: String?
        var foundNote: String?
        var holders: [PortHolder]?
        if path == nil {
            let found = try DevicesPipeline.run(data: data, all: true)
            let candidates = found.devices.filter { $0.atPort != nil || !ATPortSearch.candidates($0).isEmpty }
            let device: USBDevice
            if let id = deviceId {
                guard let d = found.devices.first(where: { $0.id == id }) else {
                    throw TMDiagError("probe: no device \(TerminalText.escape(id, limit: 40)); `tmdiag devices` lists ids", status: .notFound)
                }
                device = d
            } else {
                guard candidates.count == 1, let d = candidates.first else {
                    throw TMDiagError(candidates.isEmpty ? "probe: no device with an AT port found; looked at \(found.lookedAt)"
                                                         : "probe: \(candidates.count) devices have AT ports; name one: \(candidates.map(\.id).joined(separator: ", "))",
                                      status: candidates.isEmpty ? .notFound : .usage)
                }
                device = d
            }
            if let at = device.atPort {
                path = at.path
            } else {
                let (port, note) = await ATPortSearch.find(device, timeout: min(timeout / 4, .milliseconds(1500)))
                guard let port else {
                    throw TMDiagError("probe: device \(device.id) (\(TerminalText.escape(device.displayName, limit: 60))): \(note)", status: .notFound)
                }
                path = port
                foundNote = note
                holders = []   // the search skips ports other programs hold; this one just answered
            }
            deviceName = device.id
            if let pid = device.profile, let profile = found.profiles.profiles.first(where: { $0.id == pid }) {
                extras = profile.commands ?? []
                queries = profile.queryCommands ?? []
                batch = profile.batchQueries ?? false
            }
        }
        if port != nil { try checkIsPort(path!) }
        let catalog = try data.catalog()
        let operators = data.operators
        let (port, options) = (path!, ProbeOptions(timeout: timeout, extraCommands: extras, queries: queries,
                                                    batchQueries: batch, holders: holders))
        // The probe blocks in poll() until its deadline at worst: on a thread of its own.
        let r = try await BlockingIO.run { _ throws(TMDiagError) in
            try Prober.probe(port: port, options: options, catalog: catalog, operators: operators, trace: trace)
        }
        return Document(port: r.port, device: deviceName, modem: r.facts, errors: r.errors, commands: r.written,
                        durationMs: r.durationMs, note: [foundNote, r.note].compactMap { $0 }.joined(separator: "; ").nilIfEmpty)
    }
}

extension ProbePipeline {
    /// `--port` must name a device node: a regular file or a folder is a mistake to say so,
    /// not a port that "went away".
    static func checkIsPort(_ path: String) throws(TMDiagError) {
        var st = stat()
        guard stat(path, &st) == 0 else { return }   // the open reports a missing port
        switch st.st_mode & S_IFMT {
        case S_IFREG: throw TMDiagError("--port \(TerminalText.escape(path)): a regular file, not a serial port (ports are /dev/ttyUSB*, /dev/ttyACM*, /dev/wwan*at*)", status: .usage)
        case S_IFDIR: throw TMDiagError("--port \(TerminalText.escape(path)): a directory, not a serial port", status: .usage)
        default: return
        }
    }
}

/// `tmdiag decode`: a pasted log into the same facts, read as it streams in (memory stays
/// bounded however long the log is).
public enum DecodePipeline {
    public static func run(input path: String, data: DataSources) throws(TMDiagError) -> ProbePipeline.Document {
        let catalog = try data.catalog()
        var d = LogDecoder(builder: FactsBuilder(catalog: catalog, operators: data.operators))
        try InputFile.forEachChunk(path) { d.read($0) }
        d.finish()
        let name = path == "-" ? "standard input" : TerminalText.escape(path)
        // Empty input, random bytes or a binary file hold no AT exchange: say so, do not
        // print an empty decode as if the log were fine.
        if d.builder.facts.isEmpty && d.builder.errors.isEmpty && d.builder.urcCount == 0 {
            throw TMDiagError(d.lines == 0 ? "\(name): empty; nothing to decode"
                              : "\(name): no AT commands or replies recognised in \(Plural.count(d.lines, "line")); is it a modem log?",
                              status: .dataError)
        }
        return ProbePipeline.Document(modem: d.builder.facts, errors: d.builder.errors, urcs: d.builder.urcCount, lines: d.lines)
    }
}

extension ProbePipeline.Document {
    /// What may leave the machine: identifiers masked in the facts and in raw error lines.
    public func masked(_ reveal: RevealSet) -> ProbePipeline.Document {
        var d = self
        d.modem = modem.masked(reveal)
        d.errors = errors.map { $0.masked(reveal) }
        d.commands = commands?.map { SecretRedactor.redact($0).text }
        return d
    }

    /// The text a person reads.
    public func text() -> String {
        var out = ""
        if let p = port { out += "\(TerminalText.escape(p)) (\(durationMs ?? 0) ms)\n" }
        else { out += "From \(Plural.count(lines ?? 0, "line")):\n" }
        let facts = FactsRendering.modem(modem)
        out += facts.isEmpty ? "  (no modem facts)\n" : facts
        if !errors.isEmpty { out += "Errors:\n" + FactsRendering.errors(errors) }
        if let n = note { out += "Note: \(n)\n" }
        return out
    }
}
