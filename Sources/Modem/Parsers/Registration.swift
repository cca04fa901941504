import TMDiagCore

extension FactsBuilder {
    static func domain(of name: String) -> String {
        switch name {
        case "+CREG": "cs"
        case "+CGREG": "ps"
        case "+CEREG": "eps"
        default: "5gs"
        }
    }

    /// 3GPP TS 27.007 §7.2/§10.1.20/§10.1.22/§10.1.97 `<stat>` to the contract's words.
    public static func registrationState(stat: Int) -> RegistrationState {
        switch stat {
        case 0: .notRegistered
        case 1, 6, 9: .home
        case 2: .searching
        case 3: .denied
        case 5, 7, 10: .roaming
        case 8, 11: .notRegistered   // emergency services only
        default: .unknown
        }
    }

    /// 3GPP TS 27.007 §7.3 `<AcT>` to technology words.
    public static func technology(act: Int) -> String? {
        switch act {
        case 0, 1: "gsm"
        case 2: "umts"
        case 3: "edge"
        case 4: "hsdpa"
        case 5: "hsupa"
        case 6: "hspa"
        case 7: "lte"
        case 8: "ec-gsm-iot"
        case 9: "nb-iot"
        case 10: "lte"
        case 11, 12: "nr5g-sa"
        case 13: "nr5g-nsa"
        case 14, 15: "lte-cat-m"   // vendor extensions seen for E-UTRAN Cat-M/NB
        default: nil
        }
    }

    /// Read form: `<n>,<stat>[,<lac>,<ci>[,<AcT>[,<rac>]][,<cause_type>,<reject_cause>]]`;
    /// URC form: the same without `<n>`. LAC/CI may be quoted or not; stat may be `01`.
    mutating func parseRegistration(name: String, values vals: [ATParams.Value], readForm: Bool, rawLine: String? = nil) {
        var v = vals
        if readForm {
            // Some modems omit <n> in the read reply; a lone value is then <stat>.
            if v.count >= 2 { v.removeFirst() }
        }
        guard let stat = v.first?.int else { return }
        let domain = Self.domain(of: name)
        var reg = DomainRegistration(domain: domain, stat: stat, state: Self.registrationState(stat: stat))
        let rest = Array(v.dropFirst())
        if rest.count >= 2 {
            reg.lac = rest[0].isEmpty ? nil : rest[0].text.uppercased()
            reg.cellId = rest[1].isEmpty ? nil : rest[1].text.uppercased()
        }
        if rest.count > 2, let act = rest[2].int { reg.technology = Self.technology(act: act) }
        // <cause_type>,<reject_cause> follow the location fields at fixed places (n=3 and up):
        // +CREG/+CEREG after <AcT>; +CGREG after <rac>; +C5GREG after the allowed NSSAI.
        let causeAt = ["+CREG": 3, "+CEREG": 3, "+CGREG": 4, "+C5GREG": 5][name] ?? 3
        if rest.count > causeAt + 1, let type = rest[causeAt].int, let cause = rest[causeAt + 1].int, type == 0 {
            let table = domain == "eps" || domain == "5gs" ? "emm" : "gmm"
            reg.rejectCause = RejectCause(kind: table, code: cause, meaning: catalog.entry(table, code: cause)?.meaning)
            if let raw = rawLine {
                let exp = catalog.explain(table: table, code: cause)
                record(ReportedError(command: "AT\(name)?", raw: raw, kind: table == "emm" ? .emm : .gmm, code: cause,
                                     meaning: exp?.meaning ?? "Network reject cause \(cause).", advice: exp?.advice, actor: exp?.actor))
            }
        }
        var r = facts.registration ?? RegistrationFacts()
        r.domains.removeAll { $0.domain == domain }
        r.domains.append(reg)
        r.domains.sort { Self.domainOrder($0.domain) < Self.domainOrder($1.domain) }
        facts.registration = summarize(r)
    }

    static func domainOrder(_ d: String) -> Int { ["cs": 0, "ps": 1, "eps": 2, "5gs": 3][d] ?? 4 }

    /// The overall state: registered anywhere wins (5GS, EPS, PS, CS in that order), then denied,
    /// then searching, then not registered.
    func summarize(_ r: RegistrationFacts) -> RegistrationFacts {
        var r = r
        let ds = r.domains
        if let reg = ds.first(where: { $0.state.isRegistered }) {
            r.state = reg.state
            if r.technology == nil { r.technology = reg.technology }
        } else if ds.contains(where: { $0.state == .denied }) {
            r.state = .denied
        } else if ds.contains(where: { $0.state == .searching }) {
            r.state = .searching
        } else if ds.contains(where: { $0.state == .notRegistered }) {
            r.state = .notRegistered
        } else {
            r.state = .unknown
        }
        if let cause = ds.compactMap(\.rejectCause).first { r.rejectCause = r.rejectCause ?? cause }
        return r
    }

    /// `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`; format 0/1 alphanumeric, 2 numeric. Names may
    /// be UCS2 hex when the character set is UCS2, and carry trailing padding.
    mutating func parseCOPS(_ lines: [String]) {
        guard let l = lines.first(where: { $0.uppercased().hasPrefix("+COPS") }),
              let (_, rest) = ATParams.split(line: l) else { return }
        let v = ATParams.values(rest)
        var r = facts.registration ?? RegistrationFacts()
        var op = r.operator ?? OperatorInfo()
        if v.count >= 3 {
            let format = v[1].int ?? 0
            let oper = v[2].text
            if format == 2, let (mcc, mnc) = operators.split(plmn: oper) {
                op.mcc = mcc
                op.mnc = mnc
                op.name = op.name ?? operators.name(mcc: mcc, mnc: mnc)
            } else if !oper.trimmingSpaces.isEmpty {
                op.name = Self.operatorName(oper)
            }
        }
        if v.count >= 4, let act = v[3].int, let t = Self.technology(act: act) { r.technology = t }
        r.operator = op.isEmpty ? nil : op
        facts.registration = r
    }

    /// Cleans an operator name: UCS2 hex decoded, padding and control characters dropped.
    static func operatorName(_ raw: String) -> String {
        var s = raw
        let hex = s.filter { !$0.isWhitespace }
        if hex.count >= 8, hex.count % 4 == 0, hex.allSatisfy(\.isHexDigit), hex.hasPrefix("00") {
            var scalars = ""
            var i = hex.startIndex
            while i < hex.endIndex {
                let j = hex.index(i, offsetBy: 4)
                if let v = UInt32(hex[i..<j], radix: 16), let u = Unicode.Scalar(v) { scalars.unicodeScalars.append(u) }
                i = j
            }
            s = scalars
        }
        s = String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        return s.trimmingSpaces
    }

    /// Fills the operator's name from the directory once MCC/MNC are known.
    mutating func finishOperator() {
        guard var r = facts.registration, var op = r.operator else { return }
        if op.name == nil, let mcc = op.mcc, let mnc = op.mnc { op.name = operators.name(mcc: mcc, mnc: mnc) }
        r.operator = op
        facts.registration = r
    }
}

