import TMDiagCore

/// One line of a pasted AT log, its decorations already cut off, and what it is. The kinds are
/// told apart in this order: a command, a final result code, anything else (a reply line or an
/// unsolicited one).
enum LogLine {
    /// With the reply prefix the command expects (`+CREG` for `AT+CREG?`).
    case command(String, replyPrefix: String?)
    case final(FinalResult, raw: String)
    /// `looksUnsolicited`: by its look alone; whether it answers the command in flight is the
    /// decoder's to tell (by the line's name, `ATParams.name(of:)`, worked out only then).
    case other(String, looksUnsolicited: Bool)

    init(_ text: String) {
        if Self.isCommand(text) {
            self = .command(text, replyPrefix: ATExchange.replyPrefix(of: text))
        } else if let final = FinalResult.parse(text) {
            self = .final(final, raw: text)
        } else {
            self = .other(text, looksUnsolicited: URCs.isURC(text, expecting: nil))
        }
    }

    /// The text of raw line bytes: printable ASCII as it is (nearly every line); anything
    /// else with invalid UTF-8 kept visible as `\xNN` and NUL bytes dropped.
    static func text(of bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return String(decoding: bytes, as: UTF8.self) }
        return TerminalText.decode(bytes.filter { $0 != 0 })
    }

    /// Some terminal programs write a command line with its parts joined by `..`
    /// (`AT+CGMI..AT+CGMM..`): each part is a line of its own.
    var isDotted: Bool {
        guard case .command(var text, _) = self else { return false }
        return text.withUTF8 { u in
            var previous: UInt8 = 0
            for b in u {
                if b == 0x2E, previous == 0x2E { return true }
                previous = b
            }
            return false
        }
    }

    /// `AT`, `ATI`, `AT+CSQ`, `at+cpin?`, `ATE0`, `AT^SYSINFOEX`, `AT!GSTATUS?` ...; not `ATTACH`.
    static func isCommand(_ line: String) -> Bool {
        var line = line
        return line.withUTF8 { isCommand(bytes: $0) }
    }

    static func isCommand(bytes u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard u.count >= 2 else { return false }
        var it = u.makeIterator()
        guard let a = it.next(), let t = it.next(), a | 0x20 == 0x61, t | 0x20 == 0x74 else { return false }
        guard let c = it.next() else { return true }
        if c == UInt8(ascii: "&") || ATParams.isPrefixCharacter(c) { return true }
        if c | 0x20 == 0x69 || c | 0x20 == 0x65 || c | 0x20 == 0x7A || c | 0x20 == 0x76 || c | 0x20 == 0x71 || c | 0x20 == 0x64 {
            // ATI, ATE0, ATZ, ATV1, ATQ0, ATD... : a letter then digits/end only
            var rest = 0
            while let x = it.next() {
                rest += 1
                if !(x >= 0x30 && x <= 0x39) && x != 0x3B && x != 0x2B && !(c | 0x20 == 0x64) { return false }
            }
            return rest <= 20
        }
        return false
    }
}
