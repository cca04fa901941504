import TMDiagCore

/// The 3GPP diagnosis queries (TS 27.007) a device profile declares: data contexts, IMS and
/// PIN attempts. Their replies are also kept raw in `vendor`, as the evidence a finding quotes.
extension FactsBuilder {
    mutating func parseServiceQuery(command cmd: String, lines: [String]) {
        keepRaw(command: cmd, lines: lines)
        switch String(cmd.dropFirst(2)) {
        case "+CGDCONT?": parseCGDCONT(lines)
        case "+CGACT?": parseCGACT(lines)
        case "+CGPADDR": parseCGPADDR(lines)
        case "+CIREG?": parseCIREG(lines)
        case "+CAVIMS?": parseCAVIMS(lines)
        case "+WS46=?": parseWS46(lines)
        default:
            if cmd.hasPrefix("AT+CPINR") { parseCPINR(lines) }
        }
    }

    /// Runs `change` on the context `cid`, adding it when it is new (kept in cid order).
    mutating func updateContext(_ cid: Int, _ change: (inout DataContext) -> Void) {
        var list = facts.dataContexts ?? []
        if let i = list.firstIndex(where: { $0.cid == cid }) {
            change(&list[i])
        } else {
            var c = DataContext(cid: cid)
            change(&c)
            list.append(c)
            list.sort { $0.cid < $1.cid }
        }
        facts.dataContexts = list
    }

    /// `+CGDCONT: <cid>,<PDP_type>,<APN>,<PDP_addr>,...` (§10.1.1), one line per context.
    mutating func parseCGDCONT(_ lines: [String]) {
        for l in lines {
            guard let f = ReplyFields(l), f.name == "+CGDCONT", let cid = f.values.first?.int, f.values.count >= 3 else { continue }
            let type = f.values[1].text.trimmingSpaces.uppercased()
            let apn = f.values[2].text.trimmingSpaces
            updateContext(cid) { c in
                c.pdpType = type.isEmpty ? nil : type
                c.apn = apn
            }
        }
    }

    /// `+CGACT: <cid>,<state>` (§10.1.10), 1 = activated.
    mutating func parseCGACT(_ lines: [String]) {
        for l in lines {
            guard let f = ReplyFields(l), f.name == "+CGACT", f.values.count >= 2,
                  let cid = f.values[0].int, let state = f.values[1].int else { continue }
            updateContext(cid) { $0.active = state == 1 }
        }
    }

    /// `+CGPADDR: <cid>[,<PDP_addr_1>[,<PDP_addr_2>]]` (§10.1.14); an empty or all-zero
    /// address is no address.
    mutating func parseCGPADDR(_ lines: [String]) {
        for l in lines {
            guard let f = ReplyFields(l), f.name == "+CGPADDR", let cid = f.values.first?.int else { continue }
            let addresses = f.values.dropFirst().map { $0.text.trimmingSpaces }.filter { a in
                !a.isEmpty && a.contains(where: { $0 != "0" && $0 != "." && $0 != ":" })
            }
            updateContext(cid) { $0.addresses = addresses }
        }
    }

    /// `+CIREG: <n>,<reg_info>[,<ext_info>]` (TS 27.007, IMS registration information): `reg_info` 1 = registered with IMS.
    mutating func parseCIREG(_ lines: [String]) {
        guard let f = lines.lazy.compactMap(ReplyFields.init).first(where: { $0.name == "+CIREG" }),
              f.values.count >= 2, let info = f.values[1].int else { return }
        var ims = facts.ims ?? IMSFacts()
        ims.registered = info == 1
        facts.ims = ims
    }

    /// `+CAVIMS: <state>` (TS 27.007, voice calls with IMS): 1 = voice calls over IMS available.
    mutating func parseCAVIMS(_ lines: [String]) {
        guard let f = lines.lazy.compactMap(ReplyFields.init).first(where: { $0.name == "+CAVIMS" }),
              let state = f.values.first?.int else { return }
        var ims = facts.ims ?? IMSFacts()
        ims.voiceAvailable = state == 1
        facts.ims = ims
    }

    /// `+CPINR: <code>,<retries>,<default_retries>` (§8.65), one line per code:
    /// `+CPINR: SIM PIN,3,3`, `+CPINR: SIM PUK,10,10`.
    mutating func parseCPINR(_ lines: [String]) {
        for l in lines {
            guard let f = ReplyFields(l), f.name == "+CPINR", f.values.count >= 2, let left = f.values[1].int else { continue }
            setRetries(code: f.values[0].text.trimmingSpaces.uppercased(), left: left)
        }
    }

    /// PIN1 and PUK1 attempts left (PIN2/PUK2 guard other things and are not kept).
    mutating func setRetries(code: String, left: Int) {
        guard (0...99).contains(left) else { return }
        var sim = facts.sim ?? SIMFacts()
        switch code {
        case "SIM PIN", "SC": sim.pinRetries = left
        case "SIM PUK": sim.pukRetries = left
        default: return
        }
        facts.sim = sim
    }
}

/// `+WS46=?`: the modes a modem can be set to, as 3GPP TS 27.007 §5.9 numbers them; their union
/// is what the radio can use.
extension FactsBuilder {
    /// Each `<n>` and the radio access networks it names (GERAN `gsm`, UTRAN `umts`, E-UTRAN
    /// `lte`, NG-RAN `nr5g`).
    static let ws46Technologies: [Int: [String]] = [
        12: ["gsm"], 22: ["umts"], 25: ["gsm", "umts", "lte"], 28: ["lte"],
        29: ["gsm", "umts"], 30: ["gsm", "lte"], 31: ["umts", "lte"],
        35: ["gsm", "umts", "lte", "nr5g"], 36: ["nr5g"], 37: ["lte", "nr5g"],
        38: ["umts", "lte", "nr5g"], 39: ["gsm", "lte", "nr5g"], 40: ["umts", "nr5g"],
    ]

    mutating func parseWS46(_ lines: [String]) {
        // `+WS46: (12,22,25)` or `+WS46: (12,22-25,28)`; some firmware omits the prefix.
        guard let line = lines.first(where: { $0.contains("(") }) else { return }
        let inside = line.drop { $0 != "(" }.dropFirst().prefix { $0 != ")" }
        var modes: [Int] = []
        for part in inside.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int(String($0).trimmingSpaces) }
            if bounds.count == 1 { modes.append(bounds[0]) }
            else if bounds.count == 2, bounds[0] <= bounds[1], bounds[1] - bounds[0] < 64 { modes += Array(bounds[0]...bounds[1]) }
        }
        // Modems from before LTE listed 25 for GERAN and UTRAN (ModemManager strips LTE from
        // 25 when no other mode has it). Read as the standard says instead: a device wrongly
        // taken for an LTE one only misses a finding, while the reverse would tell a customer
        // to replace a modem that works.
        let techs = Set(modes.flatMap { Self.ws46Technologies[$0] ?? [] })
        guard !techs.isEmpty else { return }
        facts.technologies = ["gsm", "umts", "lte", "nr5g"].filter(techs.contains)
    }
}
