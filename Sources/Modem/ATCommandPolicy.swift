/// The read-only allowlist. Every command the AT session writes passes through `isAllowed`;
/// anything else is refused before a byte reaches the port.
///
/// Allowed: a bare `AT`; `ATI[n]`; the volatile settings `ATE0` and `AT+CMEE=0|1|2`; any read
/// (`AT<cmd>?`) or test (`AT<cmd>=?`) of a command not on the never-list; and a short list of
/// action commands that only report (`+CGMI`, `+CSQ`, `+QNWINFO`, ...). Refused: everything
/// else — set commands (`+CFUN=`, `+COPS=`, `+CGDCONT=`, band locks), PIN/PUK entry (`+CPIN=`,
/// `+CLCK`, `+CPWD`), raw SIM access (`+CRSM`, `+CSIM`), dialling and answering (`D`, `A`, `H`),
/// profile writes and resets (`&W`, `&F`, `Z`, vendor resets and power-downs), and any control
/// character (CR, LF, Ctrl-Z, ESC) that could smuggle a second command onto the line.
///
/// Several commands on one line (`AT+CGDCONT?;+CGACT?`, V.250 §5.2.1) are allowed only when
/// every one of them is allowed on its own line: the `;` adds nothing a single line could not do.
///
/// Vendor configuration commands take a setting's name and, to change it, a value:
/// `AT+QCFG="band"` reads the band setting, `AT+QCFG="band",0,0,0` writes it. The reads are
/// listed name by name in `argumentReads`: some names with no value act (`+QMBNCFG="Deactivate"`
/// deactivates the carrier configuration), so "no value" alone does not make a read.
public enum ATCommandPolicy {
    /// Commands that only report, sent without arguments.
    static let reportingActions: Set<String> = [
        "+CGMI", "+CGMM", "+CGMR", "+CGSN", "+GMI", "+GMM", "+GMR", "+GSN", "+GCAP", "+CIMI",
        "+CNUM", "+CSQ", "+CESQ", "+CEER", "+CCID", "+ICCID", "+QCCID", "+CLAC", "&V",
        "+QNWINFO", "+QSPN", "+QCSQ", "^SYSINFOEX", "^SYSINFO", "^HCSQ", "^ICCID", "^CARDMODE",
        "#RFSTS", "#CCID", "#CGSN", "#CIMI", "+DEVCONINFO", "!ICCID", "!GSTATUS", "$QCSIMSTAT",
        "+CGSN=0", "+CGSN=1", "+CGSN=2", "+CGSN=3",
        "+QENG=\"SERVINGCELL\"", "+QENG=\"NEIGHBOURCELL\"", "+XCCID", "+QGMR", "+QCAINFO",
        "#SERVINFO", "^GETPORTMODE", "+QSIMSTAT?", "#MONI", "+GSN",
        // SIMCom ICCID and product information; Cinterion serving cell and ICCID.
        "+CICCID", "+SIMCOMATI", "^SMONI", "^SCID",
    ]

    /// Never sent in any form, even as a read: resets, power-downs, writes, SIM access, PINs.
    /// (`+CPIN?` is the one read of a PIN command we need; it is allowed explicitly.)
    static let neverNames: Set<String> = [
        "+CPIN", "+CLCK", "+CPWD", "+CRSM", "+CSIM", "+CGLA", "+CCHO", "+CCHC", "&W", "&F", "Z",
        "+QPOWD", "+QRST", "+CRESET", "+CPOF", "!RESET", "!GRESET", "^RESET", "^POWEROFF", "#REBOOT",
        "#SHDN", "#ENHRST", "+CFUN=1,1", "!BOOTHOLD", "!ENTERCND", "+QFASTBOOT", "+QPRTPARA",
        "+CMGD", "+CMGW", "+CMSS", "+CMGS", "+CPBW", "+CSCA", "D", "A", "H", "O", "+CHUP", "+CKPD",
        "+CUSD", "+CTFR", "+CHLD", "+VTS", "+CDIS",
    ]

    /// Reads explicitly allowed although their command is on the never-list.
    static let explicitReads: Set<String> = ["+CPIN?", "+CLCK=?", "+CPIN=?"]

    /// Vendor configuration commands and the setting names that, given alone, read the
    /// setting (upper-cased, as `normalizedBody` returns them). Sources are the vendors' AT
    /// manuals, named beside each query in `Profiles/devices`.
    static let argumentReads: [String: Set<String>] = [
        "+QCFG": ["BAND", "IMS", "USBNET", "NWSCANMODE", "IOTOPMODE", "USBCFG"],
        "+QMBNCFG": ["LIST", "AUTOSEL"],
        "+QNWPREFCFG": ["LTE_BAND", "NR5G_BAND", "NSA_NR5G_BAND", "MODE_PREF"],
    ]

    /// 3GPP commands without `?` that only report: PDP addresses and dynamic parameters
    /// (TS 27.007 §10.1.14, §10.1.23) and PIN/PUK attempts left (§8.65).
    static let standardReports: Set<String> = ["+CGPADDR", "+CGCONTRDP", "+CPINR", "+CPINR=\"SIM*\""]

    public static func isAllowed(_ command: String) -> Bool {
        guard let body = normalizedBody(command) else { return false }
        let parts = segments(body)
        if parts.count > 1 { return parts.allSatisfy { !$0.isEmpty && isAllowed(body: $0) } }
        return isAllowed(body: body)
    }

    static func isAllowed(body: String) -> Bool {
        if body.isEmpty { return true }                                  // AT
        if body == "E0" || body == "+CMEE=0" || body == "+CMEE=1" || body == "+CMEE=2" { return true }
        if body == "I" || (body.hasPrefix("I") && body.count == 2 && body.last!.isNumber) { return true }
        if explicitReads.contains(body) { return true }
        if reportingActions.contains(body) || standardReports.contains(body) { return true }
        if isArgumentRead(body) { return true }
        for suffix in ["=?", "?"] where body.hasSuffix(suffix) {
            let name = String(body.dropLast(suffix.count))
            guard isCommandName(name), !neverNames.contains(name) else { return false }
            return true
        }
        return false
    }

    /// `+QCFG="BAND"`: a listed configuration command with one listed name and nothing after it.
    static func isArgumentRead(_ body: String) -> Bool {
        guard let eq = body.firstIndex(of: "=") else { return false }
        guard let names = argumentReads[String(body[..<eq])] else { return false }
        let arg = body[body.index(after: eq)...]
        guard arg.count >= 3, arg.first == "\"", arg.last == "\"" else { return false }
        let name = arg.dropFirst().dropLast()
        return !name.contains("\"") && names.contains(String(name))
    }

    /// The commands of one line: split at each `;` outside quotes (V.250 §5.2.1 writes the
    /// second and later commands without `AT`).
    static func segments(_ body: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        for c in body {
            if c == "\"" { quoted.toggle() }
            if c == ";", !quoted { out.append(current); current = ""; continue }
            current.append(c)
        }
        out.append(current)
        return out
    }

    /// The command after `AT`, upper-cased outside quotes, or nil when it is malformed:
    /// not starting with AT, or carrying control or non-ASCII characters.
    static func normalizedBody(_ command: String) -> String? {
        let bytes = Array(command.utf8)
        guard bytes.count >= 2, bytes.count <= 128 else { return nil }
        guard bytes[0] | 0x20 == UInt8(ascii: "a"), bytes[1] | 0x20 == UInt8(ascii: "t") else { return nil }
        var out: [UInt8] = []
        var quoted = false
        for b in bytes.dropFirst(2) {
            if b < 0x20 || b >= 0x7F { return nil }
            if b == UInt8(ascii: "\"") { quoted.toggle(); out.append(b); continue }
            if quoted { out.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b); continue }
            if b == UInt8(ascii: " ") { continue }
            out.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b)
        }
        if quoted { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// `+CREG`, `^SYSINFOEX`, `!GSTATUS`, `#RFSTS`, `$QCSIMSTAT`, `%X`, `*X`: a prefix and letters/digits/_.
    static func isCommandName(_ s: String) -> Bool {
        guard let first = s.first, "+^!#$%*".contains(first), s.count >= 2 else { return false }
        return s.dropFirst().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
