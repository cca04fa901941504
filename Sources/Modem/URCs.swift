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

    /// True when `line` is a URC, given the reply prefix the command in flight expects.
    public static func isURC(_ line: String, expecting prefix: String?) -> Bool {
        // URCs start with a prefix character or one of the bare words' letters.
        guard let first = line.utf8.first, "+^#!*RrSsCcPpIi".utf8.contains(first) else { return false }
        let u = line.uppercased()
        if bare.contains(u.trimmingSpaces) { return true }
        for p in prefixes where u.hasPrefix(p) {
            if let prefix, u.hasPrefix(prefix.uppercased() + ":") || u.hasPrefix(prefix.uppercased() + " ") { return false }
            return true
        }
        return false
    }
}
