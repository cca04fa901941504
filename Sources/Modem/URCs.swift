/// Unsolicited result codes: lines a modem sends on its own (registration changes, signal,
/// ring, SMS arrival, boot notices). They can arrive between a command and its reply.
public enum URCs {
    static let prefixes: [String] = [
        "+CREG:", "+CGREG:", "+CEREG:", "+C5GREG:", "+CRING:", "+CLIP:", "+CMTI:", "+CMT:", "+CDS:",
        "+CDSI:", "+CBM:", "+CUSD:", "+CCWA:", "+CIEV:", "+CGEV:", "+CPIN:", "+CFUN:", "+QIND:",
        "+QUSIM:", "+QSTAT:", "+CTZV:", "+CTZE:", "+NITZ:", "+PACSP", "+QCSQ:", "+CSQN:",
        "^RSSI:", "^HCSQ:", "^MODE:", "^BOOT:", "^DSFLOWRPT:", "^SRVST:", "^SIMST:", "^SYSSTART",
        "^RFSWITCH:", "^NDISSTAT:", "^CEND:", "^ORIG:", "^CONF:", "^CONN:", "^STIN:", "^ECCLIST:",
        "#QSS:", "#PSNT:", "!PCINFO:", "+SIMCARD:", "+CMGR:", "*EMRDY:", "+STKPCI:", "+ECSQ:",
    ]
    static let bare: Set<String> = ["RING", "RDY", "+PACSP0", "+PACSP1", "SMS DONE", "PB DONE",
                                    "CALL READY", "SMS READY", "^SYSSTART", "IIII", "START"]

    /// The prefixes that end in a colon, without it, for a lookup by a line's name.
    static let names: Set<String> = Set(prefixes.filter { $0.hasSuffix(":") }.map { String($0.dropLast()) })
    /// The prefixes without a colon (`+PACSP` of `+PACSP1`, `^SYSSTART`), matched as prefixes.
    static let openPrefixes: [String] = prefixes.filter { !$0.hasSuffix(":") }

    /// True when `line` is a URC, given the reply prefix the command in flight expects.
    public static func isURC(_ line: String, expecting prefix: String?) -> Bool {
        // URCs start with a prefix character or one of the bare words' letters.
        guard let first = line.utf8.first, "+^#!*RrSsCcPpIi".utf8.contains(first) else { return false }
        let u = line.utf8
        // The name: the bytes before a colon right after it (`+CREG:`), upper-cased.
        if let colon = u.prefix(24).firstIndex(of: 0x3A) {
            let name = String(line[..<colon]).uppercased()
            if names.contains(name) {
                if let prefix, name == prefix.uppercased() { return false }
                return true
            }
        }
        if u.count <= 16, bare.contains(line.trimmingSpaces.uppercased()) { return true }
        let head = String(line.prefix(16)).uppercased()
        for p in openPrefixes where head.hasPrefix(p) {
            if let prefix, head.hasPrefix(prefix.uppercased() + ":") || head.hasPrefix(prefix.uppercased() + " ") { return false }
            return true
        }
        return false
    }
}
