import TMDiagCore

extension FactsBuilder {
    /// `+CPIN: READY`, `SIM PIN`, `SIM PUK`, `PH-SIM PIN`, `PH-NET PIN`, `SIM PIN2`, `NOT INSERTED` ...
    mutating func parseCPIN(_ rest: String) {
        let v = ATParams.unquote(rest).uppercased().trimmingSpaces
        var sim = facts.sim ?? SIMFacts()
        sim.detail = v
        switch v {
        case "READY", "SIM PIN2", "SIM PUK2": sim.state = .ready
        case "SIM PIN", "PH-SIM PIN", "PH-FSIM PIN", "PH-NET PIN", "PH-NETSUB PIN", "PH-SP PIN", "PH-CORP PIN": sim.state = .pinRequired
        case "SIM PUK", "PH-FSIM PUK", "PH-NET PUK", "PH-NETSUB PUK", "PH-SP PUK", "PH-CORP PUK": sim.state = .pukRequired
        case "NOT INSERTED", "SIM NOT INSERTED", "NO SIM", "ABSENT", "SIM REMOVED": sim.state = .absent
        case "NOT READY", "SIM BUSY": sim.state = .unknown
        default:
            if v.hasSuffix("PIN") { sim.state = .pinRequired }
            else if v.hasSuffix("PUK") { sim.state = .pukRequired }
            else if v.contains("NOT INSERTED") || v.contains("ABSENT") { sim.state = .absent }
            else if v.contains("FAIL") { sim.state = .failure }
        }
        facts.sim = sim
    }

    /// A SIM error (TS 27.007 §9.2: 10 not inserted, 11 PIN required, 12 PUK required, 13
    /// failure, 16 incorrect password, 17 PIN2 required, 18 PUK2 required, and their text
    /// forms) says something about the SIM, whichever command it answered. SIM busy (14)
    /// only fills a state nothing else gave.
    mutating func simState(fromCME code: Int?, text: String?) {
        var state: SIMState?
        let entryCode = code ?? text.flatMap { catalog.entry("cme", text: $0)?.code }
        switch entryCode {
        case 10: state = .absent
        case 11, 16, 17: state = .pinRequired
        case 12, 18: state = .pukRequired
        case 13, 15: state = .failure
        case 14: if facts.sim == nil { state = .unknown }
        default: break
        }
        if let state {
            var sim = facts.sim ?? SIMFacts()
            sim.state = state
            facts.sim = sim
        }
    }

    /// ICCID in every form: `+CCID:`, `+ICCID:`, `+QCCID:`, `^ICCID:`, `#CCID:`, `!ICCID:`, bare
    /// digits; `F` padding dropped; nibble-swapped BCD (as read raw from EF_ICCID, `98...`) unswapped.
    mutating func parseICCID(_ lines: [String]) {
        for l in lines {
            let v = ATParams.unquote(ATParams.split(line: l)?.rest ?? l)
            var d = v.filter { $0.isASCIIDigit || $0 == "F" || $0 == "f" }.uppercased()
            guard d.count >= 18, d.count <= 22 else { continue }
            if d.hasPrefix("98") { d = Self.unswapNibbles(d) }
            while d.hasSuffix("F") { d.removeLast() }
            guard d.allSatisfy(\.isASCIIDigit) else { continue }
            var sim = facts.sim ?? SIMFacts()
            sim.iccid = d
            facts.sim = sim
            return
        }
    }

    static func unswapNibbles(_ s: String) -> String {
        var chars = Array(s)
        if chars.count % 2 == 1 { chars.append("F") }
        var out = ""
        for i in stride(from: 0, to: chars.count, by: 2) { out.append(chars[i + 1]); out.append(chars[i]) }
        return out
    }

    mutating func parseIMSI(_ lines: [String]) {
        for l in lines {
            let d = ATParams.unquote(ATParams.split(line: l)?.rest ?? l).filter(\.isASCIIDigit)
            guard Identifiers.isPlausibleIMSI(d), d.count >= 14 else { continue }
            var sim = facts.sim ?? SIMFacts()
            sim.imsi = d
            if let (mcc, mnc) = operators.plmn(ofIMSI: d) {
                sim.operator = OperatorInfo(name: operators.name(mcc: mcc, mnc: mnc), mcc: mcc, mnc: mnc)
            }
            facts.sim = sim
            return
        }
    }

    /// `+CNUM: "Line 1","+12065550142",145` (type 145 = international) or `+CNUM: ,"2065550142",129`.
    mutating func parseCNUM(_ lines: [String]) {
        for l in lines {
            guard let (_, rest) = ATParams.split(line: l) else { continue }
            let vals = ATParams.values(rest)
            guard vals.count >= 2 else { continue }
            var number = Self.operatorName(vals[1].text).trimmingSpaces
            guard !number.isEmpty else { continue }
            if vals.count >= 3, vals[2].int == 145, !number.hasPrefix("+") { number = "+" + number }
            var sim = facts.sim ?? SIMFacts()
            sim.msisdn = Identifiers.e164(number) ?? number
            facts.sim = sim
            return
        }
    }

    /// `+CRSM: <sw1>,<sw2>,"<response>"` to READ BINARY (176) of EF-ICCID (file id 12258,
    /// 0x2FE2): the ICCID as stored on the card, nibble-swapped BCD (3GPP TS 27.007 §8.18,
    /// TS 102 221 §13.2). Only a successful read (sw1 144 or 145) counts. The probe never sends
    /// +CRSM; pasted logs may hold it.
    mutating func parseCRSMICCID(_ lines: [String]) {
        for l in lines {
            guard let f = ReplyFields(l), f.name == "+CRSM", f.values.count >= 3,
                  let sw1 = f.values[0].int, sw1 == 144 || sw1 == 145 else { continue }
            let data = f.values[2].text.trimmingSpaces
            guard (18...22).contains(data.count), data.allSatisfy(\.isHexDigit) else { continue }
            parseICCID([Self.unswapNibbles(data.uppercased())])
            return
        }
    }
}
