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
    ///
    /// Read on the bytes with ASCII letters upper-cased (every line of a pasted log comes
    /// through here): the names and words above are ASCII, so a line whose name holds other
    /// letters is no URC of theirs.
    public static func isURC(_ line: String, expecting prefix: String?) -> Bool {
        var line = line
        return line.withUTF8 { u in
            // URCs start with a prefix character or one of the bare words' letters.
            switch u.first.map(upperByte) {
            case UInt8(ascii: "+"), UInt8(ascii: "^"), UInt8(ascii: "#"), UInt8(ascii: "!"), UInt8(ascii: "*"),
                 UInt8(ascii: "R"), UInt8(ascii: "S"), UInt8(ascii: "C"), UInt8(ascii: "P"), UInt8(ascii: "I"):
                break
            default:
                return false
            }
            let expected = prefix?.uppercased()
            // The name: the bytes before a colon right after it (`+CREG:`).
            if let colon = u.prefix(24).firstIndex(of: 0x3A) {
                let name = upper(u[..<colon])
                if names.contains(name) { return name != expected }
            }
            // A bare word (`RING`, `SMS DONE`), spaces around it.
            if u.count <= 16 {
                var word = u[...]
                while let b = word.first, ATParams.isSpace(b) { word = word.dropFirst() }
                while let b = word.last, ATParams.isSpace(b) { word = word.dropLast() }
                if bare.contains(upper(word)) { return true }
            }
            // A prefix without a colon (`+PACSP1`, `^SYSSTART`) in the first 16 bytes.
            let head = u.prefix(16)
            for p in openPrefixes where startsUpper(head, with: p) {
                if let expected, startsUpper(head, with: expected + ":") || startsUpper(head, with: expected + " ") { return false }
                return true
            }
            return false
        }
    }

    static func upperByte(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x7A ? b - 0x20 : b }

    /// The bytes with ASCII letters upper-cased, as a String (written in place: this is called
    /// for nearly every line).
    static func upper<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { out in
            for (i, b) in bytes.enumerated() { out[i] = upperByte(b) }
            return bytes.count
        }
    }

    /// Whether `bytes`, upper-cased, start with `text`.
    static func startsUpper(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, with text: String) -> Bool {
        bytes.count >= text.utf8.count && zip(bytes, text.utf8).allSatisfy { upperByte($0) == $1 }
    }
}
