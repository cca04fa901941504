import Foundation
import TMDiagCore

/// Reads an AT session log as people paste it — with or without echo, CR/LF/CRLF, terminal
/// programs' timestamps and direction markers, unsolicited lines in between — into exchanges,
/// and feeds them to a `FactsBuilder`.
public struct LogDecoder {
    public private(set) var builder: FactsBuilder
    public private(set) var exchanges = 0
    public private(set) var lines = 0
    /// The exchange being read; changed through `begin` so that its reply prefix is worked out
    /// once, and appended to in place (a property observer would copy it on every line).
    private var current: ATExchange?
    /// The reply prefix of the command in flight, worked out once per command.
    private var currentPrefix: String?
    private var currentInferred = false
    /// The inferred reply may be an unsolicited line: only a final result code right after it
    /// makes it a reply (echo-off logs of `AT+CREG?` look exactly like a `+CREG` URC).
    private var currentMaybeURC = false
    /// `+CSQ` → `AT+CSQ`, `+CREG` → `AT+CREG?`: built once per name.
    private var inferredCommands: [String: String] = [:]
    /// Lines longer than this are cut (a 1 MiB line is garbage, not a reply).
    public static let maxLine = 8 * 1024

    public init(builder: FactsBuilder) { self.builder = builder }

    /// Decodes a whole log. Invalid UTF-8 is kept visible as `\xNN`; NUL bytes are dropped.
    public static func decode(_ bytes: [UInt8], builder: FactsBuilder) -> LogDecoder {
        var d = LogDecoder(builder: builder)
        var start = 0
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b == 0x0A || b == 0x0D {
                if i > start { d.feedCached(bytes[start..<i]) }
                start = i + 1
            }
            i += 1
        }
        if start < n { d.feedCached(bytes[start..<n]) }
        d.finish()
        return d
    }

    /// What one distinct line is, worked out once: logs repeat the same lines over and over,
    /// so each raw line is decoded, stripped and classified only the first time it is seen.
    struct LineFacts {
        var text: String
        var isCommand: Bool
        var final: FinalResult?
        var urc: Bool
        var name: String?
        var dotted: Bool
        /// For a command line, the reply prefix it expects (`+CREG` for `AT+CREG?`).
        var replyPrefix: String?
    }
    private var lineCache: [LineKey: LineFacts] = [:]

    /// A raw line as a dictionary key, hashed and compared as bytes (not byte by byte).
    struct LineKey: Hashable {
        var bytes: ArraySlice<UInt8>
        func hash(into h: inout Hasher) { bytes.withUnsafeBytes { h.combine(bytes: $0) } }
        static func == (a: LineKey, b: LineKey) -> Bool {
            guard a.bytes.count == b.bytes.count else { return false }
            if a.bytes.isEmpty { return true }
            return a.bytes.withUnsafeBytes { x in b.bytes.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
        }
    }
    private var cacheMisses = 0
    private var cacheLookups = 0

    mutating func feedCached(_ raw: ArraySlice<UInt8>) {
        cacheLookups += 1
        if let f = lineCache[LineKey(bytes: raw)] {
            if f.text.isEmpty { return }
            lines += 1
            take(f)
            return
        }
        cacheMisses += 1
        // Logs whose every line differs (timestamps) gain nothing from the cache: stop filling it.
        let useCache = lineCache.count < 50_000 && !(cacheLookups > 2_000 && cacheMisses * 10 > cacheLookups * 9)
        let f = raw.withUnsafeBufferPointer { Self.lineFacts($0) }
        if useCache { lineCache[LineKey(bytes: raw)] = f }
        if f.text.isEmpty { return }
        if f.dotted {
            for part in f.text.components(separatedBy: "..") {
                let p = part.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
                if !p.isEmpty { lines += 1; take(p) }
            }
            return
        }
        lines += 1
        take(f)
    }

    static func lineFacts(_ raw: UnsafeBufferPointer<UInt8>) -> LineFacts {
        let cut = raw.count > Self.maxLine ? UnsafeBufferPointer(rebasing: raw[0..<Self.maxLine]) : raw
        var line: String
        if cut.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            line = String(decoding: cut, as: UTF8.self)
        } else {
            line = TerminalText.decode(cut.filter { $0 != 0 })
        }
        line = Self.stripDecorations(line)
        return classify(line)
    }

    static func classify(_ line: String) -> LineFacts {
        let isCommand = Self.isCommand(line)
        return LineFacts(text: line, isCommand: isCommand, final: FinalResult.parse(line),
                         urc: URCs.isURC(line, expecting: nil), name: ATParams.split(line: line)?.name,
                         dotted: isCommand && Self.hasDoubleDot(line),
                         replyPrefix: isCommand ? ATExchange.replyPrefix(of: line) : nil)
    }

    mutating func take(_ line: String) { take(Self.classify(line)) }

    mutating func take(_ f: LineFacts) {
        let line = f.text
        // A line that is unsolicited unless it carries the prefix the command in flight expects.
        func isURC(expecting prefix: String?) -> Bool {
            guard f.urc else { return false }
            if let prefix, let name = f.name, name == prefix.uppercased() { return false }
            return true
        }
        if f.isCommand {
            flush()
            begin(ATExchange(command: line, lines: [], final: .timeout), prefix: f.replyPrefix)
            currentInferred = false
            currentMaybeURC = false
            return
        }
        if let final = f.final {
            if var ex = current {
                ex.final = final
                ex.finalRaw = line
                builder.add(ex)
                exchanges += 1
                current = nil
            }
            return
        }
        if currentMaybeURC, let ex = current {
            current = nil
            currentMaybeURC = false
            for l in ex.lines { builder.addURC(l) }
            take(f)
            return
        }
        if current != nil {
            if isURC(expecting: currentPrefix) {
                builder.addURC(line)
            } else if currentInferred, let name = f.name, "+" + (currentPrefix ?? "") != name,
                      currentPrefix != name {
                // Echo-off logs: a new prefixed line starts the next inferred reply.
                flush()
                startInferred(line, name: f.name)
            } else {
                current!.lines.append(line)
            }
            return
        }
        if f.urc {
            if let name = f.name, Self.readable.contains(name) {
                startInferred(line, name: f.name)
                currentMaybeURC = true
            } else {
                builder.addURC(line)
            }
            return
        }
        startInferred(line, name: f.name)
    }

    /// Without the command in the log, a `+CSQ: ...` line still says which command it answers.
    static let readable: Set<String> = ["+CPIN", "+COPS", "+CREG", "+CGREG", "+CEREG", "+C5GREG", "+CFUN", "!GSTATUS", "^ICCID"]

    mutating func startInferred(_ line: String, name: String?) {
        guard let name else { return }
        let command: String
        if let c = inferredCommands[name] { command = c } else {
            command = "AT" + name + (Self.readable.contains(name) ? "?" : "")
            inferredCommands[name] = command
        }
        begin(ATExchange(command: command, lines: [line], final: .timeout), prefix: name)
        currentInferred = true
    }

    mutating func begin(_ ex: ATExchange, prefix: String?) {
        current = ex
        currentPrefix = prefix
    }

    mutating func flush() {
        guard let ex = current else { return }
        current = nil
        if currentMaybeURC {
            currentMaybeURC = false
            for l in ex.lines { builder.addURC(l) }
            return
        }
        if currentInferred || !ex.lines.isEmpty {
            // A reply whose final line was not pasted: take what is there.
            var e = ex
            e.final = .ok
            builder.add(e)
        } else {
            builder.add(ex)   // a command with nothing after it: recorded as no reply
        }
        exchanges += 1
    }

    public mutating func finish() { flush() }

    static func hasDoubleDot(_ line: String) -> Bool {
        var previous: UInt8 = 0
        for b in line.utf8 {
            if b == 0x2E, previous == 0x2E { return true }
            previous = b
        }
        return false
    }

    /// `AT`, `ATI`, `AT+CSQ`, `at+cpin?`, `ATE0`, `AT^SYSINFOEX`, `AT!GSTATUS?` ...; not `ATTACH`.
    static func isCommand(_ line: String) -> Bool {
        let u = line.utf8
        guard u.count >= 2 else { return false }
        var it = u.makeIterator()
        guard let a = it.next(), let t = it.next(), a | 0x20 == 0x61, t | 0x20 == 0x74 else { return false }
        guard let c = it.next() else { return true }
        if "+^!#$%*&".utf8.contains(c) { return true }
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

    /// Strips what terminal programs add around a line: `[2026-11-20 14:03:22.123] `,
    /// `2026-11-20 14:03:22 `, `14:03:22.123 `, direction markers (`>`, `<`, `->`, `TX:`, `[RX]`).
    static func stripDecorations(_ line: String) -> String {
        // Decorations start with a bracket, a digit, a marker or a space; most lines have none.
        guard let first = line.utf8.first, "[0123456789<>#-TtRrS \t".utf8.contains(first) else { return line }
        var s = Substring(line)
        func dropSpaces() { while let f = s.first, f == " " || f == "\t" { s.removeFirst() } }
        dropSpaces()
        if s.hasPrefix("#[") { s.removeFirst() }
        for _ in 0..<3 {
            let before = s.count
            if s.first == "[", let close = s.firstIndex(of: "]") {
                let inner = s[s.index(after: s.startIndex)..<close]
                let innerU = inner.uppercased()
                if inner.contains(":") && inner.allSatisfy({ $0.isNumber || ":-./ T,".contains($0) })
                    || ["TX", "RX", "<", ">", "SEND", "RECV", "IN", "OUT"].contains(innerU) {
                    s = s[s.index(after: close)...]
                    dropSpaces()
                }
            }
            // ISO date
            if s.count >= 11, let f = s.first, f.isNumber {
                let p = Array(s.prefix(11))
                if p[4] == "-", p[7] == "-", p[10] == " " || p[10] == "T", p[0...3].allSatisfy(\.isNumber) {
                    s = s.dropFirst(11)
                }
            }
            // time
            if s.count >= 8, let f = s.first, f.isNumber {
                let p = Array(s.prefix(8))
                let q = p.count == 8 && p[2] == ":" && p[5] == ":" && p[0].isNumber && p[7].isNumber
                if q {
                    s = s.dropFirst(8)
                    while let f = s.first, f.isNumber || f == "." || f == "," { s.removeFirst() }
                    if s.first == "Z" { s.removeFirst() }
                    dropSpaces()
                }
            }
            for marker in ["->", "<-", ">>", "<<", "TX:", "RX:", "Tx:", "Rx:", "SEND:", "RECV:", ">", "<"] where s.hasPrefix(marker) {
                s = s.dropFirst(marker.count)
                dropSpaces()
                break
            }
            if s.first == ":" { s.removeFirst(); dropSpaces() }
            if s.count == before { break }
        }
        var out = String(s)
        while let l = out.last, l == " " || l == "\t" { out.removeLast() }
        return out
    }
}
