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
    /// Reply lines kept for one command; a reply that goes on beyond this is a flood.
    public static let maxReplyLines = 256

    /// Distinct lines, numbered, with what each one is.
    private var table = LineTable()
    private var lineFacts: [LineFacts] = []
    private var lookups = 0
    private var misses = 0
    /// Transitions of the decoder already worked out (see `DecoderMemo`).
    private var memo = DecoderMemo()
    /// The memo's number for the state the decoder is in, or nil when it has none; and the
    /// state the variables above hold (they lag behind while transitions are replayed).
    private var state: Int32?
    private var liveState: Int32?
    private var pendingURCs = 0
    /// Steps worked out and steps replayed since the memo's last check, and lines left before
    /// it is tried again after a pause.
    private var steps = 0
    private var replays = 0
    private var memoPause = 0

    public init(builder: FactsBuilder) { self.builder = builder }

    /// Decodes a whole log in memory. Invalid UTF-8 is kept visible as `\xNN`; NUL bytes are dropped.
    public static func decode(_ bytes: [UInt8], builder: FactsBuilder) -> LogDecoder {
        var d = LogDecoder(builder: builder)
        bytes.withUnsafeBufferPointer { d.read($0) }
        d.finish()
        return d
    }

    /// Reads the next piece of a log, split anywhere (a file read in chunks, a pipe); the line
    /// it ends in the middle of is kept until the next piece or `finish`.
    public mutating func read(_ chunk: UnsafeBufferPointer<UInt8>) {
        var start = 0
        let n = chunk.count
        var i = 0
        while i < n {
            let b = chunk[i]
            if b == 0x0A || b == 0x0D {
                if carry.isEmpty {
                    if i > start { feed(UnsafeBufferPointer(rebasing: chunk[start..<i])) }
                } else {
                    keep(UnsafeBufferPointer(rebasing: chunk[start..<i]))
                    feedCarry()
                }
                start = i + 1
            }
            i += 1
        }
        if start < n { keep(UnsafeBufferPointer(rebasing: chunk[start..<n])) }
    }

    /// The start of a line whose end has not been read yet; what is beyond the longest line
    /// kept (plus room for a timestamp) would be cut anyway and is not held.
    private var carry: [UInt8] = []
    private static let maxCarry = maxLine + 256

    private mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>) {
        let room = Self.maxCarry - carry.count
        if room > 0 { carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes.prefix(room))) }
    }

    private mutating func feedCarry() {
        var line: [UInt8] = []
        swap(&line, &carry)
        line.withUnsafeBufferPointer { feed($0) }
        line.removeAll(keepingCapacity: true)
        swap(&line, &carry)
    }

    /// Feeds one raw line (without its line end).
    ///
    /// Logs repeat a handful of exchanges thousands of times, and what the decoder does with a
    /// line depends only on the line and on its state (the exchange being read, the facts, the
    /// number of errors: errors only grow, so the same count means the same errors). So each
    /// distinct line is numbered and read once, and each (state, line) step is worked out once
    /// and then replayed as a jump between numbered states, without building a String.
    mutating func feed(_ raw: UnsafeBufferPointer<UInt8>) {
        let r = LogDecorations.content(of: raw)
        if r.isEmpty { return }
        let line = UnsafeBufferPointer(rebasing: raw[r.lowerBound..<min(r.upperBound, r.lowerBound + Self.maxLine)])
        let h = LineTable.hash(line)
        lookups += 1
        var id = table.find(line, hash: h)
        if id == nil {
            misses += 1
            // Logs whose every line differs gain nothing from numbering them: stop adding.
            if !(lookups > 2_000 && misses * 10 > lookups * 9), let new = table.insert(line, hash: h) {
                lineFacts.append(Self.lineFacts(line))
                id = new
            }
        }
        guard let id else {
            step(Self.lineFacts(line))
            state = nil
            liveState = nil
            return
        }
        if let from = state, let move = memo.move(from: from, line: id) {
            state = move.next
            lines += Int(move.lines)
            exchanges += Int(move.exchanges)
            pendingURCs += Int(move.urcs)
            replays += 1
            return
        }
        // A log that hardly repeats (every reply a new signal value, say) would only pay for
        // numbering its states: when few steps were replays lately, pause the memo for a while.
        steps += 1
        if steps + replays >= 4_096 {
            if replays * 4 < steps { memoPause = 65_536 }
            steps = 0
            replays = 0
        }
        if memoPause > 0 {
            memoPause -= 1
            step(lineFacts[id])
            state = nil
            liveState = nil
            return
        }
        let from = state, generation = memo.generation
        let before = (lines, exchanges, builder.urcCount)
        step(lineFacts[id])
        let to = number()
        if let from, let to, memo.generation == generation {
            memo.record(from: from, line: id, to: to, lines: lines - before.0, exchanges: exchanges - before.1,
                        urcs: builder.urcCount - before.2)
        }
        state = to
        liveState = to
    }

    /// Reads one line on the variables, first bringing them to the state the decoder is in.
    private mutating func step(_ f: LineFacts) {
        if let s = state, s != liveState { restore(memo.snapshot(s)); liveState = s }
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

    /// The memo's number for the state the variables hold; nil for states not worth keeping
    /// (a reply still growing line by line would be a new state at every line).
    private mutating func number() -> Int32? {
        if let c = current, c.lines.count > 16 { return nil }
        return memo.number(DecoderMemo.State(facts: builder.facts, errorCount: builder.errors.count, current: current,
                                             currentPrefix: currentPrefix, currentInferred: currentInferred,
                                             currentMaybeURC: currentMaybeURC))
    }

    private mutating func restore(_ s: DecoderMemo.State) {
        builder.facts = s.facts
        current = s.current
        currentPrefix = s.currentPrefix
        currentInferred = s.currentInferred
        currentMaybeURC = s.currentMaybeURC
    }

    /// What one distinct line is, worked out once.
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

    /// A line's text (its decorations already cut off) and what it is.
    static func lineFacts(_ line: UnsafeBufferPointer<UInt8>) -> LineFacts {
        let text: String
        if line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            text = String(decoding: line, as: UTF8.self)
        } else {
            text = TerminalText.decode(line.filter { $0 != 0 })
        }
        return classify(text)
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
            } else if current!.lines.count < Self.maxReplyLines {
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

    /// Ends the log: a command still waiting for its reply is taken as it stands.
    public mutating func finish() {
        if !carry.isEmpty { feedCarry() }
        if let s = state, s != liveState { restore(memo.snapshot(s)) }
        state = nil
        liveState = nil
        builder.urcCount += pendingURCs
        pendingURCs = 0
        flush()
    }

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
}
