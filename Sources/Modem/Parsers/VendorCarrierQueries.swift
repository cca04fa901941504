import TMDiagCore

/// Vendor diagnosis queries: the firmware's carrier configuration, band settings, IMS switch,
/// USB network function, PIN attempts and SIM provider name. The raw reply is already kept in
/// `vendor` by `parseVendor`; these fill the model where the reply form is documented.
extension FactsBuilder {
    /// Whether `parseVendor` should hand the reply here.
    static func isCarrierQuery(_ body: Substring) -> Bool {
        ["+QMBNCFG", "+QCFG", "+QNWPREFCFG", "+QPINC", "+QSPN", "!IMPREF", "+CPINC"].contains { body.hasPrefix($0) }
    }

    mutating func parseCarrierQuery(command cmd: String, lines: [String]) {
        for l in lines {
            guard let f = ReplyFields(l) else { continue }
            let v = f.values
            let setting = v.first?.text.uppercased() ?? ""
            switch f.name.uppercased() {
            case "+QMBNCFG" where setting == "LIST": parseQMBNCFGList(v)
            case "+QMBNCFG" where setting == "AUTOSEL":
                if v.count >= 2, let on = v[1].int { updateCarrierConfig(cmd) { $0.autoSelect = on == 1 } }
            case "+QCFG" where setting == "BAND":
                // "band",<GW mask>,<LTE mask>[,<TDS mask>]: bit n-1 set = band n enabled.
                if v.count >= 3, let lte = Self.bands(hexMask: v[2].text) { setBands(lte: lte) }
            case "+QCFG" where setting == "IMS":
                // "ims",<value>[,...]: 1 IMS on, 2 IMS off, 0 as the MBN says (Quectel EC2x manual).
                if v.count >= 2, let value = v[1].int, value == 1 || value == 2 {
                    var ims = facts.ims ?? IMSFacts()
                    ims.enabled = value == 1
                    facts.ims = ims
                }
            case "+QCFG" where setting == "USBNET":
                if v.count >= 2, let n = v[1].int { facts.usbNetMode = Self.quectelUSBNet[n] }
            case "+QNWPREFCFG" where setting == "LTE_BAND":
                if v.count >= 2 { setBands(lte: Self.bands(colonList: v[1].text)) }
            case "+QNWPREFCFG" where setting == "NR5G_BAND":
                if v.count >= 2 { setBands(nr: Self.bands(colonList: v[1].text)) }
            case "+QPINC", "+CPINC":
                // Quectel `+QPINC: "SC",<PIN left>,<PUK left>`; Sierra `+CPINC: <PIN1>,<PIN2>,<PUK1>,<PUK2>`.
                if f.name == "+QPINC", setting == "SC", v.count >= 3 {
                    if let pin = v[1].int { setRetries(code: "SIM PIN", left: pin) }
                    if let puk = v[2].int { setRetries(code: "SIM PUK", left: puk) }
                } else if f.name == "+CPINC", v.count >= 3 {
                    if let pin = v[0].int { setRetries(code: "SIM PIN", left: pin) }
                    if let puk = v[2].int { setRetries(code: "SIM PUK", left: puk) }
                }
            case "+QSPN":
                // <FNN>,<SNN>,<SPN>,<alphabet>,<RPLMN>: the SPN is the SIM's brand.
                if v.count >= 3 {
                    let spn = v[2].text.trimmingSpaces
                    if !spn.isEmpty {
                        var sim = facts.sim ?? SIMFacts()
                        sim.spn = spn
                        facts.sim = sim
                    }
                }
            default:
                break
            }
        }
        if cmd.dropFirst(2).hasPrefix("!IMPREF") { parseIMPREF(lines) }
    }

    /// Quectel `+QCFG="usbnet"` values (EC2x/EG2x and RM5xx manuals).
    static let quectelUSBNet: [Int: String] = [0: "qmi", 1: "ecm", 2: "mbim", 3: "rndis", 5: "ncm"]

    /// `"List",<index>,<selected>,<activated>,"<name>",<version>,<date>`: the selected and
    /// activated one is in use.
    mutating func parseQMBNCFGList(_ v: [ATParams.Value]) {
        guard v.count >= 5, v[2].int == 1 else { return }
        let name = v[4].text.trimmingSpaces
        guard !name.isEmpty else { return }
        let activated = v[3].int == 1
        updateCarrierConfig("AT+QMBNCFG=\"List\"") { c in
            if c.selected == nil || activated { c.selected = name }
        }
    }

    /// Sierra `!IMPREF?`: `current carrier name: GENERIC` among `key: value` lines.
    mutating func parseIMPREF(_ lines: [String]) {
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { continue }
            let key = l[..<colon].trimmingSpaces.lowercased()
            let value = l[l.index(after: colon)...].trimmingSpaces
            guard !value.isEmpty else { continue }
            if key == "current carrier name" { updateCarrierConfig("AT!IMPREF?") { $0.selected = value } }
            if key == "auto-sel" || key == "auto select" || key == "auto-select" {
                updateCarrierConfig("AT!IMPREF?") { $0.autoSelect = value.lowercased().hasPrefix("on") || value == "1" }
            }
        }
    }

    mutating func updateCarrierConfig(_ source: String, _ change: (inout CarrierConfigFacts) -> Void) {
        var c = facts.carrierConfig ?? CarrierConfigFacts()
        if c.source == nil { c.source = source }
        change(&c)
        facts.carrierConfig = c
    }

    mutating func setBands(lte: [Int]? = nil, nr: [Int]? = nil) {
        var b = facts.bands ?? BandFacts()
        if let lte { b.lte = lte }
        if let nr { b.nr = nr }
        facts.bands = b
    }

    /// A hexadecimal mask of any length (`0x42000000000000381A`): bit n-1 set is band n, so
    /// bands above 64 (66, 71) sit past the first 64 bits. Nil for text that is not hex.
    public static func bands(hexMask raw: String) -> [Int]? {
        var hex = raw.trimmingSpaces.lowercased()
        if hex.hasPrefix("0x") { hex.removeFirst(2) }
        guard !hex.isEmpty, hex.count <= 64 else { return nil }
        var out: [Int] = []
        for (position, ch) in hex.reversed().enumerated() {
            guard let nibble = ch.hexDigitValue else { return nil }
            for bit in 0..<4 where nibble & (1 << bit) != 0 { out.append(position * 4 + bit + 1) }
        }
        return out
    }

    /// `1:2:3:4:5:7:12:66:71` → the bands; anything not a number is skipped.
    public static func bands(colonList raw: String) -> [Int] {
        raw.split(separator: ":").compactMap { Int($0.trimmingSpaces) }.filter { (1...1024).contains($0) }
    }
}
