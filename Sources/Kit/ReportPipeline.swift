import Foundation
import History
import Modem
import Profiles
import TMDiagCore
import Ticket

/// `tmdiag report`: discover → match profiles → probe every device with an AT port concurrently
/// under one deadline → enrich handsets → assemble one `DeviceReport`.
public enum ReportPipeline {
    public struct Options: Sendable {
        /// Every port's budget; all ports are probed at once, so this is also the whole wait.
        public var timeout: Duration
        public var progress: (@Sendable (Int, Int) -> Void)?
        public init(timeout: Duration = .seconds(10), progress: (@Sendable (Int, Int) -> Void)? = nil) {
            self.timeout = timeout
            self.progress = progress
        }
    }

    public static func run(data: DataSources, options: Options, now: Date = Date(),
                           reportId: String = StoredReport.newId()) async throws(TMDiagError) -> DeviceReport {
        // The operator list is parsed while discovery runs; the error catalog only when an error
        // needs explaining (healthy modems need none).
        async let preloaded = BlockingIO.run { _ in data.operators }
        // Both passes over /proc (is ModemManager running, who holds which port) need no
        // device list, and take as long as discovery itself: they run beside it.
        let hostJob = BlockingIO.start { _ in HostProbe.info() }
        let openFilesJob = BlockingIO.start { _ in OpenFiles.scan() }
        let discovered = Result { () throws(TMDiagError) in try DevicesPipeline.run(data: data, all: false) }
        let host = await hostJob.value()
        let openFiles = await openFilesJob.value()
        let found = try discovered.get()
        let operators = await preloaded
        let catalog = data.lazyCatalog()
        let profiles = found.profiles

        // ModemManager holds the ports of the modems it manages: ask it instead.
        var fromMM: [String: ModemFacts] = [:]
        if host.modemManagerRunning == true, let mmcli = host.tools["mmcli"] {
            fromMM = await ModemManagerReader.read(mmcli: mmcli, timeout: .seconds(3))
        }

        let devices = found.devices
        // Who else has the AT ports open, in one pass over the processes for all of them.
        let holders = PortHolders.find(devices.flatMap { d -> [String] in
            fromMM[d.busPath] != nil ? [] : [d.atPort?.path, ControlChannelProbe.channel(of: d)?.path].compactMap { $0 }
        }, openFiles: openFiles)
        // The rules are read while the devices answer.
        let rulesJob = BlockingIO.start { _ throws(TMDiagError) in try data.rules() }
        let byMM = fromMM
        // Every device at once, each in its own child task: one silent port must not hold up
        // the others beyond its own deadline.
        let reported = await withTaskGroup(of: (Int, ReportedDevice).self) { group in
            for (i, d) in devices.enumerated() {
                let profile = d.profile.flatMap { id in profiles.profiles.first { $0.id == id } }
                let held = d.atPort.map { holders[$0.path] ?? [] }
                let heldControl = ControlChannelProbe.channel(of: d).map { holders[$0.path] ?? [] } ?? []
                group.addTask {
                    (i, await assemble(d, profile: profile, mm: byMM[d.busPath], modemManagerRunning: host.modemManagerRunning == true,
                                       host: host, catalog: catalog, operators: operators, timeout: options.timeout, holders: held,
                                       controlHolders: heldControl))
                }
            }
            var results: [Int: ReportedDevice] = [:]
            for await (i, r) in group {
                results[i] = r
                options.progress?(results.count, devices.count)
            }
            return devices.indices.compactMap { results[$0] }
        }
        var report = DeviceReport(reportId: reportId, createdAt: now, host: host, devices: reported, findings: [])
        report.findings = findings(report, rules: try await rulesJob.value(), profiles: profiles, now: now,
                                   carrier: (try? data.carrier())?.network, fccUnlockHelpers: FCCUnlockHelpers.scan())
        report.verdict = ReportVerdict.of(devices: report.devices, findings: report.findings)
        return report
    }

    /// What the report alone says: the diagnosis rules (`Profiles/rules`) that need neither
    /// the account's history nor the customer's words; `tmdiag ticket` weighs the rest.
    static func findings(_ report: DeviceReport, rules: DiagnosisRules, profiles: DeviceProfiles, now: Date,
                         carrier: CarrierNetwork? = nil, fccUnlockHelpers: FCCUnlockHelpers = FCCUnlockHelpers()) -> [Finding] {
        var currentFirmware: [String: String] = [:]
        for d in report.devices {
            if let id = d.device.profile, let fw = profiles.profiles.first(where: { $0.id == id })?.currentFirmware {
                currentFirmware[d.device.id] = fw
            }
        }
        return RuleEngine.evaluate(rules.rules.filter { !$0.when.needsAccountOrWords },
                                   RuleEngine.Context(report: report, history: nil, issueSummary: nil, now: now,
                                                      currentFirmware: currentFirmware, carrier: carrier,
                                                      fccUnlockHelpers: fccUnlockHelpers))
    }

    static func assemble(_ d: USBDevice, profile: DeviceProfile?, mm: ModemFacts?, modemManagerRunning: Bool, host: HostInfo,
                         catalog: ErrorCatalog, operators: OperatorDirectory, timeout: Duration,
                         holders: [PortHolder]? = nil, controlHolders: [PortHolder] = []) async -> ReportedDevice {
        var r = ReportedDevice(device: d)
        if let mm {
            r.modem = mm
            r.probe = ProbeNote(method: "mmcli", note: "ModemManager manages this modem; facts read through mmcli, its ports left alone",
                                coverage: mm.isEmpty ? ProbeCoverage.none : .complete)
            return r
        }
        if d.kind == .handset {
            let started = ContinuousClock.now
            r.handset = await HandsetEnrichment.enrich(d, host: host, timeout: min(timeout, .seconds(5)), catalog: catalog)
            // A note on a phone says why its facts could not be read (no adb, not authorised...).
            let coverage = HandsetEnrichment.coverage(r.handset)
            r.probe = ProbeNote(method: coverage == .none ? "none" : r.handset!.source,
                                durationMs: started.duration(to: .now).milliseconds, note: r.handset?.note, coverage: coverage)
            // Phones with a modem (CDC ACM) port still answer AT; ask when there is one.
            guard d.atPort != nil else { return r }
        }
        let started = ContinuousClock.now
        var atPath = d.atPort?.path
        var foundNote: String?
        var held = holders
        if atPath == nil, !ATPortSearch.candidates(d).isEmpty {
            // No profile or hint names the AT port: ask the serial ports (a quarter of the budget).
            let (port, note) = await ATPortSearch.find(d, timeout: min(timeout / 4, .milliseconds(1500)))
            atPath = port
            foundNote = note
            held = []   // the search skips ports other programs hold; this one just answered
        }
        let control = ControlChannelProbe.channel(of: d)
        guard let at = atPath else {
            if let control {
                // An MBIM- or QMI-only modem (many laptop modules): asked over its control channel.
                return await readControl(r, control, started: started, timeout: timeout - started.duration(to: .now),
                                         holders: controlHolders, catalog: catalog, note: nil)
            }
            if d.kind == .modem || d.kind == .hotspot {
                r.probe = ProbeNote(method: "none", note: foundNote ?? "no AT port known for this device", coverage: ProbeCoverage.none)
            }
            return r
        }
        let left = timeout - started.duration(to: .now)
        let options = ProbeOptions(timeout: left, extraCommands: profile?.commands ?? [], queries: profile?.queryCommands ?? [],
                                   batchQueries: profile?.batchQueries ?? false, holders: held)
        do {
            // The probe blocks in poll() until its deadline at worst: on a thread of its own.
            let p = try await BlockingIO.run { _ throws(TMDiagError) in
                try Prober.probe(port: at, options: options, catalog: catalog, operators: operators)
            }
            r.modem = p.facts.isEmpty ? nil : p.facts
            r.errors = p.errors
            var note = [foundNote, p.note].compactMap { $0 }.joined(separator: "; ").nilIfEmpty
            if modemManagerRunning, p.note != nil { note! += "; ModemManager is running and may hold this port" }
            let coverage: ProbeCoverage = p.facts.isEmpty ? .none : p.note == nil ? .complete : .partial
            r.probe = ProbeNote(method: "at", port: at, durationMs: started.duration(to: .now).milliseconds, note: note,
                                coverage: coverage)
            // The AT port gave nothing (silent, held): the control channel is the other way in.
            // A modem that answered AT is not asked twice.
            let remaining = timeout - started.duration(to: .now)
            if p.facts.isEmpty, let control, remaining > .milliseconds(300) {
                return await readControl(r, control, started: started, timeout: remaining, holders: controlHolders,
                                         catalog: catalog, note: "AT port \(at) gave nothing" + (note.map { " (\($0))" } ?? ""))
            }
        } catch {
            r.errors = [ReportedError(command: nil, raw: "(cannot open \(at))", kind: .generic, code: nil,
                                      meaning: error.message, advice: nil, actor: .device)]
            r.probe = ProbeNote(method: "at", port: at, durationMs: started.duration(to: .now).milliseconds, note: error.message,
                                coverage: ProbeCoverage.none)
        }
        return r
    }

    /// Reads `control` (MBIM or QMI) into `r`, keeping the AT side's errors when it came first.
    static func readControl(_ r: ReportedDevice, _ control: DevicePort, started: ContinuousClock.Instant, timeout: Duration,
                            holders: [PortHolder], catalog: ErrorCatalog, note: String?) async -> ReportedDevice {
        var r = r
        let w = await ControlChannelProbe.read(control, of: r.device, timeout: timeout, holders: holders)
        if !w.facts.isEmpty { r.modem = w.facts }
        r.errors += ControlChannelProbe.errors(w, catalog: catalog)
        r.probe = ProbeNote(method: w.method.rawValue, port: control.path, durationMs: started.duration(to: .now).milliseconds,
                            note: [note, w.note].compactMap { $0 }.joined(separator: "; ").nilIfEmpty,
                            coverage: ControlChannelProbe.coverage(w))
        return r
    }

    /// Full identifiers for the store's lookups (the store is local; what leaves is masked).
    public static func stored(_ report: DeviceReport) throws(TMDiagError) -> StoredReport {
        let json: Data
        // Sealed, so that `show ID` and `ticket` can check the stored report against its digest.
        do { json = try JSONCoding.encode(try report.sealed(), pretty: false) } catch {
            throw TMDiagError("report: cannot encode: \(error)", status: .software)
        }
        var imeis: [String] = [], iccids: [String] = [], imsis: [String] = [], msisdns: [String] = [], serials: [String] = []
        for d in report.devices {
            if let v = d.modem?.imei { imeis.append(v) }
            imeis += d.handset?.imei ?? []
            if let v = d.modem?.sim?.iccid { iccids.append(v) }
            if let v = d.modem?.sim?.imsi { imsis.append(v) }
            if let v = d.modem?.sim?.msisdn { msisdns.append(v) }
            for slot in d.handset?.slots ?? [] {
                if let v = slot.sim?.iccid { iccids.append(v) }
                if let v = slot.sim?.imsi { imsis.append(v) }
            }
            if let v = d.device.serial { serials.append(v) }
        }
        return StoredReport(id: report.reportId, createdAt: report.createdAt, imeis: imeis, iccids: iccids, imsis: imsis,
                            msisdns: msisdns, serials: serials, json: json)
    }
}
