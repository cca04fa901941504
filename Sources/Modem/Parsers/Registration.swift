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
    mutating func parseRegistration(name: String, values v: [ATParams.Value], readForm: Bool, rawLine: String? = nil) {
        // Some modems omit <n> in the read reply; a lone value is then <stat>.
        let statAt = readForm && v.count >= 2 ? 1 : 0
        guard statAt < v.count, let stat = v[statAt].int else { return }
        let domain = Self.domain(of: name)
        var reg = DomainRegistration(domain: domain, stat: stat, state: Self.registrationState(stat: stat))
        // The values after <stat>: <lac>,<ci>,<AcT>, ...
        let r0 = statAt + 1
        let restCount = v.count - r0
        if restCount >= 2 {
            reg.lac = v[r0].isEmpty ? nil : Self.upper(v[r0].text)
            reg.cellId = v[r0 + 1].isEmpty ? nil : Self.upper(v[r0 + 1].text)
        }
        if restCount > 2, let act = v[r0 + 2].int { reg.technology = Self.technology(act: act) }
        // <cause_type>,<reject_cause> follow the location fields at fixed places (n=3 and up):
        // +CREG/+CEREG after <AcT>; +CGREG after <rac>; +C5GREG after the allowed NSSAI.
        let causeAt = switch name {
        case "+CGREG": 4
        case "+C5GREG": 5
        default: 3
        }
        if restCount > causeAt + 1, let type = v[r0 + causeAt].int, let cause = v[r0 + causeAt + 1].int, type == 0 {
            let table = domain == "eps" || domain == "5gs" ? "emm" : "gmm"
            reg.rejectCause = RejectCause(kind: table, code: cause, meaning: catalog.entry(table, code: cause)?.meaning)
            if let raw = rawLine {
                let exp = catalog.explain(table: table, code: cause)
                record(ReportedError(command: "AT\(name)?", raw: raw, kind: table == "emm" ? .emm : .gmm, code: cause,
                                     meaning: exp?.meaning ?? "Network reject cause \(cause).", advice: exp?.advice, actor: exp?.actor))
            }
        }
        // Taken out of the facts while it changes, so that its domain list is not copied.
        var r = facts.registration ?? RegistrationFacts()
        facts.registration = nil
        if let i = r.domains.firstIndex(where: { $0.domain == domain }) {
            r.domains[i] = reg
        } else {
            r.domains.append(reg)
            r.domains.sort { Self.domainOrder($0.domain) < Self.domainOrder($1.domain) }
        }
        summarize(&r)
        facts.registration = r
    }

    /// Upper case, without building a new string when there is nothing to change.
    static func upper(_ s: String) -> String {
        s.utf8.contains(where: { $0 >= 0x61 && $0 <= 0x7A || $0 >= 0x80 }) ? s.uppercased() : s
    }

    static func domainOrder(_ d: String) -> Int {
        switch d {
        case "cs": 0
        case "ps": 1
        case "eps": 2
        case "5gs": 3
        default: 4
        }
    }

    /// The overall state: registered anywhere wins (5GS, EPS, PS, CS in that order), then denied,
    /// then searching, then not registered. Without a technology from `+COPS` or a vendor
    /// command, the newest registered domain's AcT gives it (an SA modem's `+C5GREG` says
    /// more than its `+CREG`).
    func summarize(_ r: inout RegistrationFacts) {
        let ds = r.domains
        let newestFirst = ds.reversed()   // domains are kept in cs, ps, eps, 5gs order
        if let reg = newestFirst.first(where: { $0.state.isRegistered }) {
            r.state = reg.state
            if r.technology == nil || r.technologyFromDomains,
               let t = newestFirst.first(where: { $0.state.isRegistered && $0.technology != nil })?.technology {
                r.technology = t
                r.technologyFromDomains = true
            }
        } else {
            r.state = RegistrationState.unregistered(in: ds) ?? .unknown
        }
        if r.rejectCause == nil, let cause = ds.first(where: { $0.rejectCause != nil })?.rejectCause { r.rejectCause = cause }
    }

    /// `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`; format 0/1 alphanumeric, 2 numeric. Names may
    /// be UCS2 hex when the character set is UCS2, and carry trailing padding.
    mutating func parseCOPS(_ lines: [String]) {
        guard let l = lines.first(where: { ATParams.hasName($0, "+COPS") }), let v = ReplyFields(l)?.values else { return }
        var r = facts.registration ?? RegistrationFacts()
        facts.registration = nil   // taken out while it changes (see parseRegistration)
        var op = r.operator ?? OperatorInfo()
        if v.count >= 3 {
            let format = v[1].int ?? 0
            let oper = v[2].text
            if format == 2, let (mcc, mnc) = operators.split(plmn: oper) {
                op.mcc = mcc
                op.mnc = mnc
                op.name = op.name ?? operators.name(mcc: mcc, mnc: mnc)
            } else {
                let name = Self.operatorName(oper)
                if !name.isEmpty { op.name = name }
            }
        }
        if v.count >= 4, let act = v[3].int, let t = Self.technology(act: act) {
            r.technology = t
            r.technologyFromDomains = false
        }
        r.operator = op.isEmpty ? nil : op
        facts.registration = r
    }

    /// Cleans an operator name: UCS2 hex decoded, padding and control characters dropped.
    static func operatorName(_ raw: String) -> String {
        // Most names are printable ASCII without padding and not UCS2 hex (which starts "00").
        let u = raw.utf8
        if let f = u.first, let l = u.last, f != 0x20, l != 0x20, f != 0x30,
           u.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return raw
        }
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
        guard let op = facts.registration?.operator, op.name == nil, let mcc = op.mcc, let mnc = op.mnc,
              let name = operators.name(mcc: mcc, mnc: mnc) else { return }
        facts.registration?.operator?.name = name
    }
}

