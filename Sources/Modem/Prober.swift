import Glibc
import TMDiagCore

/// What one probe of one AT port produced. Partial results are results: a port that vanished
/// mid-probe still reports what it said before, with the error recorded.
public struct ProbeResult: Sendable {
    public var port: String
    public var facts: ModemFacts
    public var errors: [ReportedError]
    /// Every command written, in order (the read-only allowlist's audit trail).
    public var written: [String]
    public var durationMs: Int
    /// Why the probe ended early, if it did.
    public var note: String?
    public var answered: Bool
}

public struct ProbeOptions: Sendable {
    /// The port's whole budget.
    public var timeout: Duration
    /// One command's limit (capped by what is left of the budget).
    public var commandTimeout: Duration
    /// Vendor queries from the device profile, run after the standard set.
    public var extraCommands: [String]
    /// Diagnosis queries from the device profile (APN, carrier configuration, bands, IMS, PIN
    /// attempts), run last in the same session.
    public var queries: [String]
    /// The profile's family accepts several reads on one line (`AT+A?;+B?`): the queries go
    /// in as few lines as fit, each failed line asked again command by command.
    public var batchQueries: Bool
    /// Other programs using the port, when the caller looked already (a report looks for all
    /// its ports at once); nil to look before opening it.
    public var holders: [PortHolder]?

    /// One command gets at most a third of the budget (and 3 s), so that one dead command
    /// leaves time to hear the others.
    public init(timeout: Duration = .seconds(10), commandTimeout: Duration? = nil, extraCommands: [String] = [],
                queries: [String] = [], batchQueries: Bool = false, holders: [PortHolder]? = nil) {
        self.timeout = timeout
        self.commandTimeout = commandTimeout ?? .requestLimit(within: timeout)
        self.extraCommands = extraCommands
        self.queries = queries
        self.batchQueries = batchQueries
        self.holders = holders
    }
}

/// The standard probe: identity, SIM, registration, signal, last failure; then vendor extras.
public enum Prober {
    public static func probe(port path: String, options: ProbeOptions, catalog: ErrorCatalog,
                             operators: OperatorDirectory, trace: (@Sendable (String, String) -> Void)? = nil) throws(TMDiagError) -> ProbeResult {
        let started = ContinuousClock.now
        // Two programs talking AT on one port take each other's replies: never join one.
        let holders = options.holders ?? PortHolders.find(path)
        if !holders.isEmpty { throw PortAccess.held(path, by: holders) }
        let port: SerialPort
        do {
            port = try SerialPort(path: path)
        } catch {
            throw PortAccess.describe(error)
        }
        defer { port.close() }
        let session = ATSession(port: port, deadline: started.advanced(by: options.timeout))
        session.trace = trace
        var b = FactsBuilder(catalog: catalog, operators: operators)
        var note: String?
        var answered = false

        /// Runs one command; false when the port is done for (gone or out of time). `feed`
        /// false leaves the reply out of the facts (a batched line is fed command by command).
        func run(_ cmd: String, optional: Bool = true, timeout: Duration? = nil, feed: Bool = true) -> ATExchange? {
            do {
                let ex = try session.send(cmd, timeout: timeout ?? options.commandTimeout)
                answered = true
                if feed { b.add(ex, optional: optional) }
                return ex
            } catch {
                switch error {
                case .timeout(let c):
                    // Even an optional command's silence says the modem stopped answering.
                    b.addTimeout(command: c)
                case let .disconnected(c, _):
                    b.add(ATExchange(command: c, lines: [], final: .disconnected))
                    note = "the port went away during \(c)"
                case .budgetSpent:
                    note = note ?? "the port's time budget (\(options.timeout.words)) ran out before \(cmd)"
                case .flood(let c):
                    b.record(ReportedError(command: c, raw: "(reply over 1 MiB)", kind: .generic, code: nil,
                                           meaning: "The port sent an endless stream instead of a reply: it is likely a log or diagnostic port, not AT.",
                                           advice: nil, actor: .device))
                    note = "the port flooded during \(c)"
                case .forbidden(let c):
                    note = "refused to send \(c): not a read-only query"
                case let .io(c, e):
                    note = "I/O error \(e) (\(String(cString: strerror(e)))) during \(c)"
                }
                return nil
            }
        }
        func alive() -> Bool { note == nil || note!.hasPrefix("refused") }

        // Is anyone there? A bare AT, twice, with short limits: a silent port ends fast.
        let ping = min(options.commandTimeout, .milliseconds(1500))
        var first = run("AT", optional: true, timeout: ping)
        if first == nil, alive() { first = run("AT", optional: true, timeout: ping) }
        guard first != nil else {
            if note == nil || note!.contains("budget") {
                b.record(ReportedError(command: "AT", raw: "(no reply)", kind: .timeout, code: nil,
                                       meaning: "The port did not answer AT: it is silent, not an AT port, or the modem is hung.",
                                       advice: "Unplug the modem for 10 seconds and plug it back in. If it stays silent, another port of the device may be the AT port.",
                                       actor: .device))
                note = "no answer to AT" + (note.map { "; \($0)" } ?? "")
            }
            return result()
        }
        if first?.finalRaw == "0" { session.numericMode = true }

        _ = run("ATE0")
        _ = run("AT+CMEE=1")
        let steps: [(String, Bool)] = [("ATI", true)]
        for (c, o) in steps where alive() { _ = run(c, optional: o) }
        for (primary, fallback) in [("AT+CGMI", "AT+GMI"), ("AT+CGMM", "AT+GMM"), ("AT+CGMR", "AT+GMR")] where alive() {
            if run(primary)?.final.isOK != true, alive() { _ = run(fallback) }
        }
        if alive() { _ = run("AT+CGSN", optional: false) }
        if alive() { _ = run("AT+CPIN?", optional: false) }
        let simGone = [SIMState.absent, .failure].contains(b.facts.sim?.state ?? .unknown)
        if alive(), !simGone {
            let declared = options.extraCommands.filter { $0.uppercased().contains("CCID") }
            for c in declared + ["AT+CCID", "AT+ICCID", "AT^ICCID?", "AT+QCCID"] where alive() && b.facts.sim?.iccid == nil {
                // A CME error (SIM busy, not inserted) is the SIM's answer; other commands won't differ.
                if case .cme = run(c)?.final { break }
            }
        }
        if alive(), b.facts.sim?.state == .ready {
            _ = run("AT+CIMI", optional: false)
            if alive() { _ = run("AT+CNUM") }
        }
        for c in ["AT+CFUN?", "AT+COPS?", "AT+CREG?", "AT+CGREG?", "AT+CEREG?", "AT+C5GREG?", "AT+CSQ", "AT+CESQ", "AT+CEER"] where alive() {
            _ = run(c, optional: c != "AT+COPS?")
        }
        for c in options.extraCommands where alive() && !c.uppercased().contains("CCID") {
            _ = run(c)
        }
        runQueries()
        return result()

        /// The profile's diagnosis queries: batched where the family accepts it; a line that
        /// fails (one command unknown to this firmware ends the whole line) or whose reply
        /// cannot be split is asked again one command at a time, so that each command's own
        /// answer, a SIM error included, reaches the facts.
        func runQueries() {
            let lines = options.batchQueries ? ATBatch.lines(options.queries) : options.queries.map { [$0] }
            for group in lines where alive() {
                guard group.count > 1, let line = ATBatch.line(group) else {
                    _ = run(group[0])
                    continue
                }
                guard let ex = run(line, feed: false) else { continue }
                if let parts = ATBatch.split(ex, commands: group) {
                    for p in parts { b.add(p, optional: true) }
                    continue
                }
                for c in group where alive() { _ = run(c) }
            }
        }

        func result() -> ProbeResult {
            return ProbeResult(port: path, facts: b.facts, errors: b.errors, written: session.written,
                               durationMs: started.duration(to: .now).milliseconds, note: note, answered: answered)
        }
    }
}

/// Turns a failed open into one line that says what to do.
public enum PortAccess {
    public static func describe(_ e: SerialError) -> TMDiagError {
        guard case let .open(path, err) = e else { return TMDiagError("\(path(of: e)): I/O error", status: .unavailable) }
        switch err {
        case EACCES, EPERM:
            let group = ownerGroup(path) ?? "dialout"
            return TMDiagError("\(path): permission denied; add yourself to the '\(group)' group (sudo usermod -aG \(group) $USER, then log in again) or add a udev rule giving you access",
                               status: .noPermission)
        case EBUSY:
            let holders = PortHolders.find(path)
            if !holders.isEmpty { return held(path, by: holders) }
            return TMDiagError("\(path): busy; another program holds it exclusively (ModemManager, a terminal program). Close it, or stop ModemManager while probing",
                               status: .unavailable)
        case ENOENT, ENODEV, ENXIO:
            return TMDiagError("\(path): no such port (unplugged, or the driver is not loaded)", status: .unavailable)
        default:
            return TMDiagError("\(path): cannot open: \(String(cString: strerror(err)))", status: .unavailable)
        }
    }

    /// The port is in another program's hands: name it and say how to free the port.
    public static func held(_ path: String, by holders: [PortHolder]) -> TMDiagError {
        let who = holders.map { "\($0) \($0.how.rawValue)" }.joined(separator: "; ")
        let what: String
        if holders.contains(where: \.isModemManager) {
            what = "tmdiag does not share a port: `tmdiag report` reads modems ModemManager manages through mmcli, or stop it while probing (sudo systemctl stop ModemManager)"
        } else {
            let names = holders.map(\.name).joined(separator: ", ")
            what = "tmdiag does not share a port: close \(names) and try again"
        }
        return TMDiagError("\(TerminalText.escape(path)): in use: \(who); \(what)", status: .unavailable)
    }

    static func path(of e: SerialError) -> String {
        switch e { case let .open(p, _), let .disconnected(p, _), let .io(p, _): p }
    }

    /// The group owning a device node (`dialout` for ttys on Debian), via `stat` and `getgrgid`.
    static func ownerGroup(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0, let g = getgrgid(st.st_gid), let name = g.pointee.gr_name else { return nil }
        return String(cString: name)
    }
}
