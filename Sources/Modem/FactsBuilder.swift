import TMDiagCore

/// Turns AT exchanges — from a live probe or a pasted log — into `ModemFacts` and explained
/// errors. One parser and one model serve `probe`, `report` and `decode`.
public struct FactsBuilder: Sendable {
    public var catalog: ErrorCatalog
    public var operators: OperatorDirectory
    public internal(set) var facts = ModemFacts()
    public private(set) var errors: [ReportedError] = []
    /// How many unsolicited lines were seen.
    public internal(set) var urcCount = 0
    private var errorKeys: [String: Int] = [:]
    /// Cap on distinct errors kept from one log (a huge log may repeat one error a million times).
    public static let maxErrors = 500

    public init(catalog: ErrorCatalog, operators: OperatorDirectory) {
        self.catalog = catalog
        self.operators = operators
    }

    /// Feeds one exchange. `optional` commands (fallbacks, vendor variants) report only errors
    /// that say something about the device, not "not supported".
    public mutating func add(_ ex: ATExchange, optional: Bool = false) {
        for u in ex.urcs { addURC(u) }
        var cmd = ex.command
        if cmd.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A }) { cmd = cmd.uppercased() }
        if cmd.utf8.contains(0x20) { cmd = String(cmd.filter { $0 != " " }) }
        if ex.final.isOK || (!ex.lines.isEmpty && ex.final == .timeout) {
            parseReply(command: cmd, lines: ex.lines)
        } else {
            handleFailure(ex, command: cmd, optional: optional)
        }
    }

    /// An unsolicited line: registration changes and SIM notices still tell us something.
    public mutating func addURC(_ line: String) {
        urcCount += 1
        guard let (name, rest) = ATParams.split(line: line) else { return }
        switch name {
        case "+CREG", "+CGREG", "+CEREG", "+C5GREG":
            // URC form has no <n>; only use it when no read reply set the domain.
            let domain = Self.domain(of: name)
            if facts.registration?.domains.contains(where: { $0.domain == domain }) != true {
                parseRegistration(name: name, values: ATParams.values(rest), readForm: false)
            }
        case "+CPIN":
            if facts.sim == nil { parseCPIN(rest) }
        case "+CFUN":
            if facts.functionality == nil, let v = ATParams.values(rest).first?.int { facts.functionality = v }
        default:
            break
        }
    }

    /// A command that timed out: recorded as a `timeout` error.
    public mutating func addTimeout(command: String) {
        record(ReportedError(command: command, raw: "(no reply)", kind: .timeout, code: nil,
                             meaning: "The modem did not answer \(command) in time.",
                             advice: "The port may be the wrong one, busy, or the modem may be hung. Unplug it for 10 seconds and try again.",
                             actor: .device))
    }

    public mutating func record(_ e: ReportedError) {
        let key = (e.command ?? "") + "\u{0}" + e.raw
        if errorKeys[key] != nil { return }
        guard errors.count < Self.maxErrors else { return }
        errorKeys[key] = errors.count
        errors.append(e)
    }

    mutating func parseReply(command cmd: String, lines: [String]) {
        let body = String(cmd.dropFirst(2))
        switch body {
        case "I", "I0", "I1", "I3": parseATI(lines)
        case "+CGMI", "+GMI": setIdentity(\.manufacturer, lines, ["+CGMI", "+GMI"])
        case "+CGMM", "+GMM": setIdentity(\.model, lines, ["+CGMM", "+GMM"])
        case "+CGMR", "+GMR": setFirmware(lines)
        case "+CGSN", "+GSN", "+CGSN=1", "#CGSN": parseIMEI(lines)
        case "+CPIN?": lines.first.map { l in parseCPIN(ATParams.split(line: l)?.rest ?? l) }
        case "+CCID", "+ICCID", "+QCCID", "^ICCID?", "^ICCID", "#CCID", "#CCID?", "!ICCID?", "+CCID?", "+XCCID", "+ICCID?":
            parseICCID(lines)
        case "+CIMI", "#CIMI": parseIMSI(lines)
        case "+CNUM": parseCNUM(lines)
        case "+COPS?": parseCOPS(lines)
        case "+CREG?", "+CGREG?", "+CEREG?", "+C5GREG?":
            for l in lines {
                if let (n, r) = ATParams.split(line: l) { parseRegistration(name: n, values: ATParams.values(r), readForm: true, rawLine: l) }
            }
        case "+CSQ": parseCSQ(lines)
        case "+CESQ": parseCESQ(lines)
        case "+CFUN?":
            if let l = lines.first, let v = ATParams.values(ATParams.split(line: l)?.rest ?? l).first?.int { facts.functionality = v }
        case "+CEER": parseCEER(lines)
        default:
            parseVendor(command: cmd, lines: lines)
        }
        finishOperator()
    }
}
