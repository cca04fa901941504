import TMDiagCore

extension FactsBuilder {
    /// `ATI`: Quectel prints maker, model, `Revision:`; Sierra prints `Manufacturer:`, `Model:`,
    /// `Revision:`, `IMEI:`; others print one free line. Used where +CGMx say nothing.
    mutating func parseATI(_ lines: [String]) {
        facts.identification = lines.prefix(6).joined(separator: "; ")
        var free: [String] = []
        for l in lines {
            if let r = l.range(of: ":") {
                let key = l[..<r.lowerBound].trimmingSpaces.lowercased()
                let value = ATParams.unquote(String(l[r.upperBound...]))
                guard !value.isEmpty else { continue }
                switch key {
                case "manufacturer": facts.manufacturer = facts.manufacturer ?? value
                case "model": facts.model = facts.model ?? value
                case "revision", "firmware", "software version", "sw version": facts.firmware = facts.firmware ?? Self.firmwareWord(value)
                case "imei": if facts.imei == nil { setIMEI(value) }
                default: break
                }
            } else {
                free.append(l.trimmingSpaces)
            }
        }
        if facts.manufacturer == nil, free.count >= 2 { facts.manufacturer = free[0] }
        if facts.model == nil, free.count >= 2 { facts.model = free[1] }
    }

    mutating func setIdentity(_ key: WritableKeyPath<ModemFacts, String?>, _ lines: [String], _ prefixes: [String]) {
        guard let v = ATParams.payload(lines, prefixes: prefixes).map(Self.cleanIdentity), !v.isEmpty else { return }
        // Some modems answer +CGMM with "Model: X" or the maker and model on one line.
        facts[keyPath: key] = v
    }

    mutating func setFirmware(_ lines: [String]) {
        guard var v = ATParams.payload(lines, prefixes: ["+CGMR", "+GMR"]).map(Self.cleanIdentity), !v.isEmpty else { return }
        for p in ["Revision:", "REVISION:", "revision:"] where v.hasPrefix(p) { v = v.dropFirst(p.count).trimmingSpaces }
        facts.firmware = Self.firmwareWord(v)
    }

    /// The revision as the modem reports it, trimmed: Sierra and u-blox append a build hash,
    /// builder and date after the version, and cutting at the first space or comma would
    /// keep half of it (`LX265V05,`). Runs of spaces and tabs inside become one space.
    static func firmwareWord(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func cleanIdentity(_ s: String) -> String {
        var v = ATParams.unquote(s)
        for p in ["Manufacturer:", "Model:", "Revision:"] where v.hasPrefix(p) { v = v.dropFirst(p.count).trimmingSpaces }
        return String(v.prefix(200))
    }

    /// `+CGSN: "356938035643809"`, `+CGSN: 3569...`, or a bare line of digits.
    mutating func parseIMEI(_ lines: [String]) {
        for l in lines {
            let v = ATParams.split(line: l)?.rest ?? l
            let d = ATParams.unquote(v).filter(\.isASCIIDigit)
            if d.count >= 14, d.count <= 17 { setIMEI(d); return }
        }
    }

    mutating func setIMEI(_ raw: String) {
        let d = raw.filter(\.isASCIIDigit)
        // IMEISV (16 digits) carries the TAC and serial; the IMEI proper is its first 14 + check.
        if d.count == 15 || d.count == 14 { facts.imei = d }
        else if d.count == 16 { facts.imei = String(d.prefix(14)) + String(Self.luhnDigit(String(d.prefix(14)))) }
    }

    static func luhnDigit(_ fourteen: String) -> Int {
        let digits = fourteen.compactMap { Int(String($0)) }
        for c in 0...9 where Identifiers.luhn(digits + [c]) { return c }
        return 0
    }
}
