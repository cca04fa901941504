import TMDiagCore

/// Turns AT exchanges — from a live probe or a pasted log — into `ModemFacts` and explained
/// errors. One parser and one model serve `probe`, `report` and `decode`.
public struct FactsBuilder: Sendable {
    public var catalog: ErrorCatalog
    public var operators: OperatorDirectory
    public internal(set) var facts = ModemFacts()
    public private(set) var errors: [ReportedError] = []
    /// How many unsolicited lines were seen.
    public private(set) var urcCount = 0
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
        let (lower, space) = cmd.withUTF8 { u in
            (u.contains { $0 >= 0x61 && $0 <= 0x7A }, u.contains(0x20))
        }
        if lower { cmd = cmd.uppercased() }
        if space { cmd = String(cmd.filter { $0 != " " }) }
        if cmd.utf8.contains(UInt8(ascii: ";")), ex.final.isOK,
           let parts = ATBatch.split(ex, commands: ATCommandPolicy.segments(String(cmd.dropFirst(2))).map { "AT" + $0 }) {
            // A line of several reads (a pasted log of a batched probe): each command's share.
            for p in parts where !p.lines.isEmpty { parseReply(command: p.command, lines: p.lines) }
        } else if ex.final.isOK || (!ex.lines.isEmpty && ex.final == .timeout) {
            parseReply(command: cmd, lines: ex.lines)
        } else {
            handleFailure(ex, command: cmd, optional: optional)
        }
    }

    /// An unsolicited line: registration changes and SIM notices still tell us something.
    public mutating func addURC(_ line: String) {
        urcCount += 1
        guard let f = ReplyFields(line) else { return }
        switch f.name {
        case "+CREG", "+CGREG", "+CEREG", "+C5GREG":
            // URC form has no <n>; only use it when no read reply set the domain.
            let domain = Self.domain(of: f.name)
            if facts.registration?.domains.contains(where: { $0.domain == domain }) != true {
                parseRegistration(name: f.name, values: f.values, readForm: false)
            }
        case "+CPIN":
            if facts.sim == nil { parseCPIN(f.rest) }
        case "+CFUN":
            if facts.functionality == nil, let v = f.values.first?.int { facts.functionality = v }
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
        let key = Self.errorKey(command: e.command, raw: e.raw)
        if errorKeys[key] != nil { return }
        guard errors.count < Self.maxErrors else { return }
        errorKeys[key] = errors.count
        errors.append(e)
    }

    /// Whether the same error line after the same command is kept already: a log that repeats
    /// one error a million times then costs a lookup each, not an explanation each.
    func isRecorded(command: String?, raw: String) -> Bool {
        errorKeys[Self.errorKey(command: command, raw: raw)] != nil
    }

    static func errorKey(command: String?, raw: String) -> String { (command ?? "") + "\u{0}" + raw }

    /// What a reply is parsed as, by the command without its `AT`.
    enum ReplyKind {
        case identification, manufacturer, model, firmware, imei, pin, iccid, imsi, number, operatorSelection
        case registration, csq, cesq, functionality, ceer
        /// A 3GPP diagnosis query (data contexts, IMS, PIN attempts): see `ServiceQueries.swift`.
        case service
    }

    static let replyKinds: [String: ReplyKind] = {
        var k: [String: ReplyKind] = [:]
        for c in ["I", "I0", "I1", "I3"] { k[c] = .identification }
        for c in ["+CGMI", "+GMI"] { k[c] = .manufacturer }
        for c in ["+CGMM", "+GMM"] { k[c] = .model }
        for c in ["+CGMR", "+GMR"] { k[c] = .firmware }
        for c in ["+CGSN", "+GSN", "+CGSN=1", "#CGSN"] { k[c] = .imei }
        k["+CPIN?"] = .pin
        for c in ["+CCID", "+ICCID", "+QCCID", "^ICCID?", "^ICCID", "#CCID", "#CCID?", "!ICCID?", "+CCID?", "+XCCID", "+ICCID?",
                  "+CICCID", "^SCID"] {
            k[c] = .iccid
        }
        for c in ["+CIMI", "#CIMI"] { k[c] = .imsi }
        k["+CNUM"] = .number
        k["+COPS?"] = .operatorSelection
        for c in ["+CREG?", "+CGREG?", "+CEREG?", "+C5GREG?"] { k[c] = .registration }
        k["+CSQ"] = .csq
        k["+CESQ"] = .cesq
        k["+CFUN?"] = .functionality
        k["+CEER"] = .ceer
        for c in ["+CGDCONT?", "+CGACT?", "+CGPADDR", "+CIREG?", "+CAVIMS?", "+CEMODE?", "+CPINR", "+CPINR=\"SIM*\"", "+WS46=?"] {
            k[c] = .service
        }
        return k
    }()

    mutating func parseReply(command cmd: String, lines: [String]) {
        // Without its `AT`, cut on the bytes: every command starts with those two ASCII letters.
        switch Self.replyKinds[String(Substring(cmd.utf8.dropFirst(2)))] {
        case .identification: parseATI(lines)
        case .manufacturer: setIdentity(\.manufacturer, lines, ["+CGMI", "+GMI"])
        case .model: setIdentity(\.model, lines, ["+CGMM", "+GMM"])
        case .firmware: setFirmware(lines)
        case .imei: parseIMEI(lines)
        case .pin: lines.first.map { l in parseCPIN(ATParams.split(line: l)?.rest ?? l) }
        case .iccid: parseICCID(lines)
        case .imsi: parseIMSI(lines)
        case .number: parseCNUM(lines)
        case .operatorSelection: parseCOPS(lines)
        case .registration:
            for l in lines {
                if let f = ReplyFields(l) { parseRegistration(name: f.name, values: f.values, readForm: true, rawLine: l) }
            }
        case .csq: parseCSQ(lines)
        case .cesq: parseCESQ(lines)
        case .functionality:
            if let l = lines.first, let v = ATParams.values(ATParams.split(line: l)?.rest ?? l).first?.int { facts.functionality = v }
        case .ceer: parseCEER(lines)
        case .service: parseServiceQuery(command: cmd, lines: lines)
        case nil:
            // An EF-ICCID read holds the ICCID: parsed, never kept raw in `vendor`.
            if cmd.hasPrefix("AT+CRSM=176,12258,") { parseCRSMICCID(lines) } else { parseVendor(command: cmd, lines: lines) }
        }
        finishOperator()
    }
}
