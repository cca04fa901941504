/// How a command ended.
public enum FinalResult: Sendable, Hashable {
    case ok
    case error                      // plain ERROR
    case cme(code: Int?, text: String?)
    case cms(code: Int?, text: String?)
    case notSupported               // COMMAND NOT SUPPORT (Huawei and others)
    case other(String)              // NO CARRIER, BUSY, NO ANSWER, NO DIALTONE, ABORTED
    case timeout
    case disconnected

    public var isOK: Bool { self == .ok }

    /// Classifies a line as a final result code, or nil when it is not one.
    public static func parse(_ line: String, numericMode: Bool = false) -> FinalResult? {
        var bytes = line
        let candidate = bytes.withUTF8 { u in
            // Every final result code starts with one of these; most lines are rejected here.
            guard let start = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return false }
            let first = u[start]
            switch first | 0x20 {
            case UInt8(ascii: "o"), UInt8(ascii: "e"), UInt8(ascii: "c"), UInt8(ascii: "n"), UInt8(ascii: "b"), UInt8(ascii: "a"):
                return true
            case UInt8(ascii: "+") | 0x20 where first == UInt8(ascii: "+"):
                // Of the lines starting with "+", only "+CME ERROR" and "+CMS ERROR" are final.
                return ATParams.hasName(bytes: u[start...], "+CME ERROR") || ATParams.hasName(bytes: u[start...], "+CMS ERROR")
            default:
                return numericMode && first >= 0x30 && first <= 0x39
            }
        }
        guard candidate else { return nil }
        if line == "OK" { return .ok }
        let t = line.trimmingSpaces
        let u = t.uppercased()
        switch u {
        case "OK": return .ok
        case "ERROR": return .error
        case "COMMAND NOT SUPPORT", "COMMAND NOT SUPPORTED": return .notSupported
        case "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE", "NO DIAL TONE", "ABORTED": return .other(u)
        default: break
        }
        if numericMode {
            switch u {
            case "0": return .ok
            case "4": return .error
            case "3": return .other("NO CARRIER")
            case "6": return .other("NO DIALTONE")
            case "7": return .other("BUSY")
            case "8": return .other("NO ANSWER")
            default: break
            }
        }
        for isCME in [true, false] {
            let prefix = isCME ? "+CME ERROR" : "+CMS ERROR"
            guard u.hasPrefix(prefix) else { continue }
            var rest = t.dropFirst(prefix.count)
            if rest.first == ":" { rest = rest.dropFirst() }
            // Quotes cut on the bytes (a quote is one byte in UTF-8), for every error line.
            var quoted = Substring(rest.trimmingSpaces).utf8[...]
            while quoted.first == 0x22 { quoted = quoted.dropFirst() }
            while quoted.last == 0x22 { quoted = quoted.dropLast() }
            let value = String(Substring(quoted))
            let code = Int(value)
            let text = code == nil && !value.isEmpty ? value : nil
            return isCME ? .cme(code: code, text: text) : .cms(code: code, text: text)
        }
        return nil
    }
}

/// One command and what came back: the reply lines that belong to it, its final result code,
/// and any unsolicited lines that arrived meanwhile.
public struct ATExchange: Sendable, Hashable {
    public var command: String
    public var lines: [String]
    public var final: FinalResult
    /// The final line as received (`+CME ERROR: 10`).
    public var finalRaw: String?
    public var urcs: [String]
    public var durationMs: Int?

    public init(command: String, lines: [String], final: FinalResult, finalRaw: String? = nil,
                urcs: [String] = [], durationMs: Int? = nil) {
        self.command = command
        self.lines = lines
        self.final = final
        self.finalRaw = finalRaw
        self.urcs = urcs
        self.durationMs = durationMs
    }

    /// `+CREG` for `AT+CREG?`, `^SYSINFOEX` for `AT^SYSINFOEX`, nil for `ATI`.
    public var replyPrefix: String? { ATExchange.replyPrefix(of: command) }

    /// On the bytes, ASCII letters upper-cased (as `URCs` reads names): this runs for every
    /// command line of a pasted log.
    public static func replyPrefix(of command: String) -> String? {
        var command = command
        return command.withUTF8 { u in
            guard u.count > 2, ATParams.isPrefixCharacter(u[2]) else { return nil }
            var end = 3
            while end < u.count, u[end] != UInt8(ascii: "?"), u[end] != UInt8(ascii: "="), u[end] != 0x20 { end += 1 }
            return URCs.upper(u[2..<end])
        }
    }
}

import Foundation
