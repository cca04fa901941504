/// Several read commands on one command line, and their joint reply taken apart again.
///
/// V.250 §5.2.1 lets extended commands share a line, separated by `;`, the later ones without
/// `AT` (`AT+CGDCONT?;+CGACT?;+CIREG?`). The modem answers each in turn and ends the line with
/// one final result code; at the first command that fails it stops and sends the error alone.
/// One line costs one round trip instead of one per command, which is what keeps the
/// diagnosis queries cheap on a modem that takes tens of milliseconds per reply.
///
/// A joint reply can only be split when every line names its command (`+CGACT: 1,1`), so only
/// commands whose replies carry their prefix are batched; a reply that cannot be attributed
/// makes the caller ask each command on its own line instead.
public enum ATBatch {
    /// The line carrying `commands` (each `AT...`): `AT+A?;+B?`. Nil for an empty list.
    public static func line(_ commands: [String]) -> String? {
        guard let first = commands.first else { return nil }
        return ([first] + commands.dropFirst().map { String($0.dropFirst(2)) }).joined(separator: ";")
    }

    /// Groups `commands` into lines of at most `maxLength` characters (the allowlist's limit is
    /// 128, and V.250 only promises 40; modems that batch take far more, but short lines keep
    /// one failure cheap).
    public static func lines(_ commands: [String], maxLength: Int = 120) -> [[String]] {
        var out: [[String]] = []
        var current: [String] = []
        var length = 0
        for c in commands {
            let add = current.isEmpty ? c.utf8.count : c.utf8.count - 1   // "AT" becomes ";"
            if !current.isEmpty, length + add > maxLength {
                out.append(current)
                current = []
                length = 0
            }
            length += current.isEmpty ? c.utf8.count : add
            current.append(c)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The reply prefixes a line expects: one per command (nil for a basic command such as `ATI`).
    static func replyPrefixes(of line: String) -> [String?] {
        guard line.utf8.contains(UInt8(ascii: ";")) else { return [ATExchange.replyPrefix(of: line)] }
        return ATCommandPolicy.segments(String(line.dropFirst(2))).map { ATExchange.replyPrefix(of: "AT" + $0) }
    }

    /// Splits the reply to `ATBatch.line(commands)` into one exchange per command, or nil when
    /// a line cannot be given to exactly one command (an unprefixed line, or a prefix no
    /// command of the line answers with). Commands that share a prefix (`+QCFG="band"`,
    /// `+QCFG="ims"`) are told apart by the setting name their reply repeats first.
    public static func split(_ ex: ATExchange, commands: [String]) -> [ATExchange]? {
        guard ex.final.isOK else { return nil }
        var parts = commands.map { ATExchange(command: $0, lines: [], final: .ok, finalRaw: ex.finalRaw) }
        let prefixes = commands.map { ATExchange.replyPrefix(of: $0) }
        let settings = commands.map(settingName)
        for line in ex.lines {
            guard let f = ReplyFields(line) else { return nil }
            let name = f.name.uppercased()
            let candidates = prefixes.indices.filter { prefixes[$0] == name }
            let owner: Int?
            if candidates.count <= 1 {
                owner = candidates.first
            } else {
                let first = f.values.first?.text.uppercased()
                owner = candidates.first { settings[$0] != nil && settings[$0] == first }
            }
            guard let owner else { return nil }
            parts[owner].lines.append(line)
        }
        if let first = parts.indices.first { parts[first].urcs = ex.urcs }
        return parts
    }

    /// `LTE_BAND` of `AT+QNWPREFCFG="lte_band"`: the setting a configuration read names.
    static func settingName(_ command: String) -> String? {
        guard let eq = command.firstIndex(of: "=") else { return nil }
        let arg = command[command.index(after: eq)...]
        guard arg.first == "\"", arg.last == "\"", arg.count >= 3 else { return nil }
        return arg.dropFirst().dropLast().uppercased()
    }
}
