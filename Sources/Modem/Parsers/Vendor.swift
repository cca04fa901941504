import TMDiagCore

extension FactsBuilder {
    /// Vendor commands declared in device profiles. Their replies are kept raw (for the agent)
    /// and mined for what the standard commands may not give.
    mutating func parseVendor(command cmd: String, lines: [String]) {
        guard !lines.isEmpty else { return }
        keepRaw(command: cmd, lines: lines)
        let body = cmd.dropFirst(2)
        if body.hasPrefix("+QENG") { parseQENG(lines) }
        else if body.hasPrefix("+QNWINFO") { parseQNWINFO(lines) }
        else if body.hasPrefix("!GSTATUS") { parseGSTATUS(lines) }
        else if body.hasPrefix("^SYSINFOEX") { parseSYSINFOEX(lines) }
        else if body.hasPrefix("^HCSQ") { parseHCSQ(lines) }
        else if body.hasPrefix("+DEVCONINFO") { parseDEVCONINFO(lines) }
        else if body.hasPrefix("#RFSTS") { parseRFSTS(lines) }
        else if body.hasPrefix("+CPSI") { parseCPSI(lines) }
        else if body.hasPrefix("^SMONI") { parseSMONI(lines) }
        else if Self.isCarrierQuery(body) { parseCarrierQuery(command: cmd, lines: lines) }
    }

    /// A reading in whole dBm; nil for what no Int holds (`nan`, `inf`, 1e300 parse as a
    /// Double, and `Int(_:)` would trap on them).
    static func wholeDBm(_ d: Double) -> Int? { Int(exactly: d) }

    mutating func setTechnology(_ t: String) {
        var r = facts.registration ?? RegistrationFacts()
        r.technology = t
        r.technologyFromDomains = false
        facts.registration = r
    }

    mutating func setSignal(rsrp: Double?, rsrq: Double?, sinr: Double?, rssi: Int?) {
        var s = facts.signal ?? SignalFacts()
        if let rsrp, rsrp < 0, rsrp > -160 { s.rsrpDbm = rsrp }
        if let rsrq, rsrq < 10, rsrq > -45 { s.rsrqDb = rsrq }
        if let sinr, sinr > -30, sinr < 60 { s.sinrDb = sinr }
        if let rssi, rssi < 0, rssi > -130, s.rssiDbm == nil { s.rssiDbm = rssi }
        facts.signal = grade(s)
    }

    /// Quectel `+QENG: "servingcell",<state>,"LTE",<is_tdd>,<mcc>,<mnc>,<cellid>,<pcid>,<earfcn>,
    /// <band>,<ul_bw>,<dl_bw>,<tac>,<rsrp>,<rsrq>,<rssi>,<sinr>,...`; NSA is several lines, one per RAT.
    mutating func parseQENG(_ lines: [String]) {
        var sawNSA = false, sawSA = false
        for l in lines {
            guard var v = ReplyFields(l)?.values else { continue }
            if v.first?.text.lowercased() == "servingcell" { v.removeFirst(); if !v.isEmpty { v.removeFirst() } }
            guard let rat = v.first?.text.uppercased() else { continue }
            switch rat {
            case "LTE" where v.count >= 15:
                // "LTE",<is_tdd>,<mcc>,<mnc>,<cellid>,<pcid>,<earfcn>,<band>,<ul_bw>,<dl_bw>,<tac>,<rsrp>,<rsrq>,<rssi>,<sinr>
                setSignal(rsrp: Double(v[11].text), rsrq: Double(v[12].text), sinr: nil, rssi: v[13].int)
                setPLMN(v[2].text, v[3].text)
            case "NR5G-SA" where v.count >= 13:
                // "NR5G-SA",<duplex>,<mcc>,<mnc>,<cellid>,<pcid>,<tac>,<arfcn>,<band>,<dl_bw>,<rsrp>,<rsrq>,<sinr>
                sawSA = true
                setSignal(rsrp: Double(v[10].text), rsrq: Double(v[11].text), sinr: Double(v[12].text), rssi: nil)
                setPLMN(v[2].text, v[3].text)
            case "NR5G-NSA": sawNSA = true
            case "NR5G-SA": sawSA = true
            default: break
            }
        }
        if sawSA { setTechnology("nr5g-sa") } else if sawNSA { setTechnology("nr5g-nsa") }
    }

    mutating func setPLMN(_ mcc: String, _ mnc: String) {
        guard mcc.count == 3, (2...3).contains(mnc.count), mnc.allSatisfy(\.isNumber) else { return }
        var r = facts.registration ?? RegistrationFacts()
        var op = r.operator ?? OperatorInfo()
        if op.mcc == nil { op.mcc = mcc; op.mnc = mnc }
        r.operator = op
        facts.registration = r
    }

    /// Quectel `+QNWINFO: "FDD LTE","310260","LTE BAND 2",675`.
    mutating func parseQNWINFO(_ lines: [String]) {
        guard let l = lines.first, let (_, rest) = ATParams.split(line: l) else { return }
        let v = ATParams.values(rest)
        guard let act = v.first?.text.uppercased(), act != "NO SERVICE" else { return }
        if let t = Self.technology(word: act) { setTechnology(t) }
        if v.count > 1, let (mcc, mnc) = operators.split(plmn: v[1].text) { setPLMN(mcc, mnc) }
    }

    /// Technology words vendors print (`FDD LTE`, `WCDMA`, `HSPA+`, `NR5G-NSA`, `GSM`, `EDGE` ...).
    public static func technology(word: String) -> String? {
        let w = word.uppercased()
        if w.contains("NSA") || w.contains("EN-DC") || w.contains("ENDC") { return "nr5g-nsa" }
        // Quectel's +QNWINFO says "TDD NR5G" for standalone; NSA shows the LTE anchor there.
        if w.contains("NR5G") || w == "NR" || w.contains("NR SA") || w.contains("5G SA") { return "nr5g-sa" }
        if w.contains("CAT-M") || w.contains("CATM") || w.contains("EMTC") { return "lte-cat-m" }
        if w.contains("NB-IOT") || w.contains("NBIOT") { return "nb-iot" }
        if w.contains("LTE") || w.contains("E-UTRAN") { return "lte" }
        if w.contains("HSPA+") || w.contains("HSPAP") || w.contains("DC-HSPA") { return "hspa+" }
        if w.contains("HSPA") { return "hspa" }
        if w.contains("HSDPA") { return "hsdpa" }
        if w.contains("HSUPA") { return "hsupa" }
        if w.contains("WCDMA") || w.contains("UMTS") || w.contains("TD-SCDMA") { return "umts" }
        if w.contains("EDGE") { return "edge" }
        if w.contains("GPRS") { return "gprs" }
        if w.contains("GSM") { return "gsm" }
        return nil
    }

    /// Sierra `!GSTATUS?`: `key: value` pairs, two to a line, tab separated.
    mutating func parseGSTATUS(_ lines: [String]) {
        var kv: [String: String] = [:]
        for l in lines {
            for part in l.split(separator: "\t") {
                guard let c = part.firstIndex(of: ":") else { continue }
                kv[part[..<c].trimmingSpaces.lowercased()] = part[part.index(after: c)...].trimmingSpaces
            }
        }
        // Keys vary by firmware ("RSRP (dBm)", "PCC RxM RSRP"): the first key naming each measure wins.
        func num(_ word: String) -> Double? {
            for l in lines {
                for part in l.split(separator: "\t") {
                    guard let c = part.firstIndex(of: ":"), part[..<c].lowercased().contains(word) else { continue }
                    if let d = Double(part[part.index(after: c)...].trimmingSpaces.split(separator: " ").first ?? "") { return d }
                }
            }
            return nil
        }
        setSignal(rsrp: num("rsrp"), rsrq: num("rsrq"), sinr: num("sinr"), rssi: num("rssi").flatMap { Self.wholeDBm($0.rounded(.towardZero)) })
        if let mode = kv["system mode"], let t = Self.technology(word: mode) { setTechnology(t) }
    }

    /// Huawei `^SYSINFOEX: <srv_status>,<srv_domain>,<roam>,<sim_state>,<lock>,<sysmode>,<sysmode_name>,<submode>,<submode_name>`.
    mutating func parseSYSINFOEX(_ lines: [String]) {
        guard let l = lines.first, let (_, rest) = ATParams.split(line: l) else { return }
        let v = ATParams.values(rest)
        if v.count > 3, let simState = v[3].int, simState == 255, facts.sim?.state == nil || facts.sim?.state == .unknown {
            var sim = facts.sim ?? SIMFacts()
            sim.state = .absent
            facts.sim = sim
        }
        if v.count > 8, let t = Self.technology(word: v[8].text) ?? Self.technology(word: v[6].text) { setTechnology(t) }
        else if v.count > 6, let t = Self.technology(word: v[6].text) { setTechnology(t) }
    }

    /// Huawei `^HCSQ: "LTE",<rssi>,<rsrp>,<sinr>,<rsrq>` (encoded: -120+n, -140+n, -20+n/5, -19.5+n/2).
    mutating func parseHCSQ(_ lines: [String]) {
        guard let l = lines.first, let (_, rest) = ATParams.split(line: l) else { return }
        let v = ATParams.values(rest)
        if v.first?.text.uppercased() == "WCDMA", v.count >= 4 {
            // "WCDMA",<rssi>,<rscp>,<ecio>: -121+n dBm, -121+n dBm, -32.5+n/2 dB.
            var s = facts.signal ?? SignalFacts()
            if let n = v[1].int, n != 255 { s.rssiDbm = s.rssiDbm ?? -121 + n }
            if let n = v[2].int, n != 255 { s.rscpDbm = Double(-121 + n) }
            if let n = v[3].int, n != 255 { s.ecnoDb = -32.5 + Double(n) / 2 }
            facts.signal = grade(s)
            return
        }
        guard v.first?.text.uppercased() == "LTE", v.count >= 5 else { return }
        // Lower band edges, as for +CESQ: n=1 is -120 <= rssi < -119, so -121 + n.
        let rssi = v[1].int.flatMap { $0 == 255 ? nil : -121 + $0 }
        let rsrp = v[2].int.flatMap { $0 == 255 ? nil : Double(-141 + $0) }
        let sinr = v[3].int.flatMap { $0 == 255 ? nil : ((-20.2 + Double($0) * 0.2) * 10).rounded() / 10 }
        let rsrq = v[4].int.flatMap { $0 == 255 ? nil : -20 + Double($0) * 0.5 }
        setSignal(rsrp: rsrp, rsrq: rsrq, sinr: sinr, rssi: rssi)
    }

    /// Samsung `+DEVCONINFO: MN(SM-G991U);BASE(...);VER(...);...;IMEI(...);...`.
    mutating func parseDEVCONINFO(_ lines: [String]) {
        let text = lines.map { ATParams.split(line: $0)?.rest ?? $0 }.joined(separator: ";")
        var kv: [String: String] = [:]
        for item in text.split(separator: ";") {
            guard let open = item.firstIndex(of: "("), item.hasSuffix(")") else { continue }
            kv[item[..<open].trimmingSpaces.uppercased()] = String(item[item.index(after: open)..<item.index(before: item.endIndex)])
        }
        if let mn = kv["MN"], !mn.isEmpty { facts.model = facts.model ?? mn }
        if let ver = kv["VER"], !ver.isEmpty {
            facts.firmware = facts.firmware ?? ver.split(separator: "/").first.map(String.init)
        }
        if facts.manufacturer == nil, kv["MN"] != nil { facts.manufacturer = "Samsung" }
        if let imei = kv["IMEI"], facts.imei == nil { setIMEI(imei) }
    }

    /// Telit `#RFSTS:` (LTE form): `"<PLMN>",<EARFCN>,<RSRP>,<RSSI>,<RSRQ>,<TAC>,...`.
    mutating func parseRFSTS(_ lines: [String]) {
        guard let l = lines.first, let (_, rest) = ATParams.split(line: l) else { return }
        let v = ATParams.values(rest)
        guard v.count >= 5 else { return }
        let plmn = v[0].text.replacingOccurrences(of: " ", with: "")
        if let (mcc, mnc) = operators.split(plmn: plmn) { setPLMN(mcc, mnc) }
        if let rsrp = Double(v[2].text), rsrp < -40, let rsrq = Double(v[4].text), rsrq <= 0 {
            setSignal(rsrp: rsrp, rsrq: rsrq, sinr: nil, rssi: v[3].int)
        }
    }

    /// SIMCom `+CPSI: <system mode>,<operation mode>,<MCC>-<MNC>,...` (SIM7500/SIM7600,
    /// SIM7000/SIM7080, SIM8200 AT command manuals). LTE: `...,<TAC>,<SCellID>,<PCellID>,<band>,
    /// <earfcn>,<dlbw>,<ulbw>,<RSRQ>,<RSRP>,<RSSI>,<RSSNR>` with RSRQ, RSRP and RSSI in tenths
    /// (`-94,-850,-545` is -9.4 dB, -85 dBm, -54.5 dBm). NR5G_SA: `...,<TAC>,<SCellID>,<PCellID>,
    /// <band>,<arfcn>,<RSRP>,<RSRQ>,<SNR>`, RSRP and RSRQ in tenths. NR5G_NSA is an extra line
    /// after the LTE one. GSM: `...,<LAC>,<CellID>,<ARFCN band>,<RxLev dBm>,...`.
    mutating func parseCPSI(_ lines: [String]) {
        var sawNSA = false
        for l in lines {
            guard let v = ReplyFields(l)?.values, let mode = v.first?.text.uppercased() else { continue }
            // Tenths where the magnitude says so (some firmware prints plain dBm).
            func tenths(_ i: Int, plainBelow limit: Double) -> Double? {
                guard i < v.count, let raw = Double(v[i].text) else { return nil }
                return abs(raw) > limit ? raw / 10 : raw
            }
            if v.count > 2 { setPLMN(fromDashed: v[2].text) }
            switch mode {
            case "LTE", "LTE CAT-M1", "LTE-M", "CAT-M1", "CAT-NB", "LTE NB-IOT", "NB-IOT":
                setTechnology(Self.technology(word: mode) ?? "lte")
                // Only negative readings are understood; other firmware prints other scales.
                if v.count >= 14, let rsrp = tenths(11, plainBelow: 200), rsrp < 0 {
                    setSignal(rsrp: rsrp, rsrq: tenths(10, plainBelow: 40), sinr: Double(v[13].text),
                              rssi: tenths(12, plainBelow: 150).flatMap { Self.wholeDBm($0.rounded()) })
                }
            case "NR5G_SA":
                setTechnology("nr5g-sa")
                if v.count >= 10, let rsrp = tenths(8, plainBelow: 200), rsrp < 0 {
                    setSignal(rsrp: rsrp, rsrq: tenths(9, plainBelow: 50), sinr: nil, rssi: nil)
                }
            case "NR5G_NSA", "NR5G":
                sawNSA = true
            case "GSM", "GSM-LIMITED":
                setTechnology("gsm")
                if v.count > 6, let rx = Int(v[6].text), rx < 0 { setSignal(rsrp: nil, rsrq: nil, sinr: nil, rssi: rx) }
            case "WCDMA", "WCDMA-LIMITED", "HSPA", "HSPA+", "HSDPA", "HSUPA":
                setTechnology(Self.technology(word: mode) ?? "umts")
            default:
                break   // NO SERVICE, CDMA/EVDO and forms not documented
            }
        }
        if sawNSA { setTechnology("nr5g-nsa") }
    }

    /// `310-260` → MCC 310, MNC 260.
    mutating func setPLMN(fromDashed s: String) {
        let parts = s.split(separator: "-")
        guard parts.count == 2 else { return }
        setPLMN(String(parts[0]), String(parts[1]))
    }

    /// Cinterion `^SMONI` (serving cell, Cinterion AT Command Set). 4G: `^SMONI: 4G,<EARFCN>,
    /// <band>,<DL bw>,<UL bw>,<FDD|TDD>,<MCC>,<MNC>,<TAC>,<cell id>,<PCI>,<Srxlev|TX power>,<RSRP>,
    /// <RSRQ>,<conn state>` in plain dBm and dB; `^SMONI: 4G,SEARCH` while searching. 3G:
    /// `^SMONI: 3G,<UARFCN>,<PSC>,<EC/n0>,<RSCP>,<MCC>,<MNC>,...`. 2G: `^SMONI: 2G,<ARFCN>,
    /// <BCCH level dBm>,<MCC>,<MNC>,...`.
    mutating func parseSMONI(_ lines: [String]) {
        guard let l = lines.first(where: { ATParams.hasName($0, "^SMONI") }), let v = ReplyFields(l)?.values,
              let rat = v.first?.text.uppercased() else { return }
        if v.count > 1, v[1].text.uppercased() == "SEARCH" { return }
        switch rat {
        case "4G" where v.count >= 14:
            setTechnology("lte")
            setPLMN(v[6].text, v[7].text)
            setSignal(rsrp: Double(v[12].text), rsrq: Double(v[13].text), sinr: nil, rssi: nil)
        case "3G" where v.count >= 7:
            setTechnology("umts")
            setPLMN(v[5].text, v[6].text)
            var s = facts.signal ?? SignalFacts()
            if let rscp = Double(v[4].text), rscp < 0, rscp > -130 { s.rscpDbm = rscp }
            if let ecno = Double(v[3].text), ecno <= 0, ecno > -30 { s.ecnoDb = ecno }
            facts.signal = grade(s)
        case "2G" where v.count >= 5:
            setTechnology("gsm")
            setPLMN(v[3].text, v[4].text)
            if let level = Int(v[2].text), level < 0 { setSignal(rsrp: nil, rsrq: nil, sinr: nil, rssi: level) }
        default:
            break
        }
    }
}
