import Foundation
import Modem
import TMDiagCore

/// `tmdiag probe`: one device (by id) or one port, asked the standard probe set: over AT, or
/// over the MBIM or QMI control channel of a modem that has no AT port (or whose AT port gave
/// nothing), with the same clients and allowlists as `tmdiag report`.
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
        /// How the device was read, as a report's device says it (`method`, `coverage`...).
        public var probe: ProbeNote?

        public init(port: String? = nil, device: String? = nil, modem: ModemFacts, errors: [ReportedError],
                    commands: [String]? = nil, durationMs: Int? = nil, note: String? = nil, urcs: Int? = nil, lines: Int? = nil,
                    probe: ProbeNote? = nil) {
            self.probe = probe
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
        /// The device's MBIM or QMI channel, the other way in when its AT port gives nothing.
        var fallback: (port: DevicePort, device: USBDevice)?
        if let port, let control = try controlChannel(named: port, data: data) {
            try checkIsPort(port)
            return await readControl(control.port, of: control.device, timeout: timeout, data: data, trace: trace, note: nil)
        }
        if path == nil {
            let found = try DevicesPipeline.run(data: data, all: true)
            let candidates = found.devices.filter {
                $0.atPort != nil || !ATPortSearch.candidates($0).isEmpty || ControlChannelProbe.channel(of: $0) != nil
            }
            let device: USBDevice
            if let id = deviceId {
                guard let d = found.devices.first(where: { $0.id == id }) else {
                    throw TMDiagError("probe: no device \(TerminalText.escape(id, limit: 40)); `tmdiag devices` lists ids", status: .notFound)
                }
                device = d
            } else {
                guard candidates.count == 1, let d = candidates.first else {
                    throw TMDiagError(candidates.isEmpty ? "probe: no device with an AT, MBIM or QMI port found; looked at \(found.lookedAt)"
                                                         : "probe: \(candidates.count) devices have AT, MBIM or QMI ports; name one: \(candidates.map(\.id).joined(separator: ", "))",
                                      status: candidates.isEmpty ? .notFound : .usage)
                }
                device = d
            }
            let control = ControlChannelProbe.channel(of: device)
            fallback = control.map { ($0, device) }
            if let at = device.atPort {
                path = at.path
            } else if ATPortSearch.candidates(device).isEmpty, let control {
                // An MBIM- or QMI-only modem (many laptop modules): asked over its control channel.
                return await readControl(control, of: device, timeout: timeout, data: data, trace: trace, note: nil)
            } else {
                let (port, note) = await ATPortSearch.find(device, timeout: min(timeout / 4, .milliseconds(1500)))
                guard let port else {
                    if let control {
                        return await readControl(control, of: device, timeout: timeout, data: data, trace: trace, note: note)
                    }
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
        let note = [foundNote, r.note].compactMap { $0 }.joined(separator: "; ").nilIfEmpty
        // The AT port gave nothing (silent, held): asked over the control channel, as report does.
        let left = timeout - .milliseconds(r.durationMs)
        if r.facts.isEmpty, let fallback, left > .milliseconds(300) {
            var d = await readControl(fallback.port, of: fallback.device, timeout: left, data: data, trace: trace,
                                      note: "AT port \(port) gave nothing" + (note.map { " (\($0))" } ?? ""))
            d.errors = r.errors + d.errors
            return d
        }
        return Document(port: r.port, device: deviceName, modem: r.facts, errors: r.errors, commands: r.written,
                        durationMs: r.durationMs, note: note,
                        probe: ProbeNote(method: "at", port: r.port, durationMs: r.durationMs, note: note,
                                         coverage: r.facts.isEmpty ? ProbeCoverage.none : r.note == nil ? .complete : .partial))
    }

    /// Reads an MBIM or QMI control channel as `tmdiag report` does: the same client, the same
    /// allowlist, a port another program holds left alone.
    static func readControl(_ port: DevicePort, of device: USBDevice?, timeout: Duration, data: DataSources,
                            trace: (@Sendable (String, String) -> Void)?, note: String?) async -> Document {
        let holders = await BlockingIO.run { _ in PortHolders.find(port.path) }
        let w = await ControlChannelProbe.read(port, of: device, timeout: timeout, holders: holders, trace: trace)
        let errors = ControlChannelProbe.errors(w, catalog: data.lazyCatalog())
        let allNotes = [note, w.note].compactMap { $0 }.joined(separator: "; ").nilIfEmpty
        return Document(port: port.path, device: device?.id, modem: w.facts, errors: errors, commands: w.sent,
                        durationMs: w.durationMs, note: allNotes,
                        probe: ProbeNote(method: w.method.rawValue, port: port.path, durationMs: w.durationMs, note: allNotes,
                                         coverage: ControlChannelProbe.coverage(w)))
    }

    /// The MBIM or QMI channel `--port` names, if it is one: a wwan port says so in its name
    /// (`/dev/wwan0mbim0`); a cdc-wdm node speaks whatever its driver does, which discovery
    /// knows. Nil for anything else (an AT port).
    static func controlChannel(named path: String, data: DataSources) throws(TMDiagError) -> (port: DevicePort, device: USBDevice?)? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.hasPrefix("cdc-wdm") || name.hasPrefix("wwan") else { return nil }
        let found = try DevicesPipeline.run(data: data, all: true)
        for d in found.devices {
            if let p = d.ports.first(where: { $0.path == path && ($0.kind == .mbim || $0.kind == .qmi) }) { return (p, d) }
        }
        if name.hasPrefix("wwan"), name.contains("mbim") { return (DevicePort(path: path, kind: .mbim, interface: -1), nil) }
        if name.hasPrefix("wwan"), name.contains("qmi") { return (DevicePort(path: path, kind: .qmi, interface: -1), nil) }
        if name.hasPrefix("cdc-wdm") {
            throw TMDiagError("--port \(TerminalText.escape(path)): no attached device lists this port, so whether it speaks MBIM or QMI is unknown; `tmdiag devices` lists the ports", status: .notFound)
        }
        return nil
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
        if let p = port {
            let over = probe.map { $0.method == "at" ? "" : ", \($0.method.uppercased())" } ?? ""
            out += "\(TerminalText.escape(p)) (\(durationMs ?? 0) ms\(over))\n"
        }
        else { out += "From \(Plural.count(lines ?? 0, "line")):\n" }
        let facts = FactsRendering.modem(modem)
        out += facts.isEmpty ? "  (no modem facts)\n" : facts
        if !errors.isEmpty { out += "Errors:\n" + FactsRendering.errors(errors) }
        if let n = note { out += "Note: \(n)\n" }
        return out
    }
}
