import Foundation
import TMDiagCore

/// Reads an AT session log as people paste it — with or without echo, CR/LF/CRLF, terminal
/// programs' timestamps and direction markers, unsolicited lines in between — into exchanges,
/// and feeds them to a `FactsBuilder`.
///
/// One pass, as the bytes arrive: cut a line, classify it (`LogLine`), add it to the exchange
/// being read, and hand each finished exchange or unsolicited line to the builder at once.
/// Memory is bounded by the longest line and the longest reply kept.
public struct LogDecoder {
    /// The facts and errors read so far; whole once `finish` has returned.
    public private(set) var builder: FactsBuilder
    public private(set) var exchanges = 0
    public private(set) var lines = 0
    /// Lines longer than this are cut (a 1 MiB line is garbage, not a reply).
    public static let maxLine = 8 * 1024
    /// Reply lines kept for one command; a reply that goes on beyond this is a flood.
    public static let maxReplyLines = 256

    /// The exchange being read: its command (nil when none is), the reply lines so far, and
    /// the reply prefix the command expects. Kept as parts, not as an `ATExchange`, so that
    /// adding a reply line appends to an array and copies nothing.
    private var currentCommand: String?
    private var currentLines: [String] = []
    private var currentPrefix: String?
    /// The command was not in the log: it follows from the first reply line (echo-off logs).
    private var currentInferred = false
    /// The inferred reply may be an unsolicited line: only a final result code right after it
    /// makes it a reply (echo-off logs of `AT+CREG?` look exactly like a `+CREG` URC).
    private var currentMaybeURC = false

    /// The start of a line whose end has not been read yet; what is beyond the longest line
    /// kept (plus room for a timestamp) would be cut anyway and is not held.
    private var carry: [UInt8] = []
    private static let maxCarry = maxLine + 256

    public init(builder: FactsBuilder) {
        self.builder = builder
    }

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
        for i in chunk.indices where chunk[i] == 0x0A || chunk[i] == 0x0D {
            let piece = UnsafeBufferPointer(rebasing: chunk[start..<i])
            if carry.isEmpty {
                feed(piece)
            } else {
                keep(piece)
                feedCarry()
            }
            start = i + 1
        }
        if start < chunk.count { keep(UnsafeBufferPointer(rebasing: chunk[start...])) }
    }

    /// Ends the log: a line without a line end is read, and a command still waiting for its
    /// reply is taken as it stands.
    public mutating func finish() {
        if !carry.isEmpty { feedCarry() }
        flush()
    }

    private mutating func keep(_ bytes: UnsafeBufferPointer<UInt8>) {
        let room = Self.maxCarry - carry.count
        if room > 0 { carry.append(contentsOf: bytes.prefix(room)) }
    }

    private mutating func feedCarry() {
        let line = carry
        carry.removeAll(keepingCapacity: true)
        line.withUnsafeBufferPointer { feed($0) }
    }

    /// Feeds one raw line (without its line end).
    private mutating func feed(_ raw: UnsafeBufferPointer<UInt8>) {
        let r = LogDecorations.content(of: raw)
        if r.isEmpty { return }
        let text = LogLine.text(of: UnsafeBufferPointer(rebasing: raw[r.lowerBound..<min(r.upperBound, r.lowerBound + Self.maxLine)]))
        if text.isEmpty { return }
        let line = LogLine(text)
        if line.isDotted {
            for part in text.components(separatedBy: "..") {
                let p = part.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
                if !p.isEmpty { lines += 1; take(LogLine(p)) }
            }
            return
        }
        lines += 1
        take(line)
    }

    /// Reads one classified line into the exchange being built.
    private mutating func take(_ line: LogLine) {
        switch line {
        case .command(let text, let replyPrefix):
            flush()
            begin(command: text, lines: [], prefix: replyPrefix)
        case .final(let final, let raw):
            guard let (command, lines) = takeCurrent() else { return }
            builder.add(ATExchange(command: command, lines: lines, final: final, finalRaw: raw))
            exchanges += 1
        case .other(let text, let looksUnsolicited):
            if currentMaybeURC, let (_, lines) = takeCurrent() {
                currentMaybeURC = false
                for l in lines { builder.addURC(l) }
                take(line)
            } else if currentCommand != nil {
                // Most lines in an exchange are its reply: the name is worked out only to
                // tell an unsolicited line, or the start of the next echo-off reply.
                let name = looksUnsolicited || currentInferred ? ATParams.name(of: text) : nil
                if looksUnsolicited && !answersCurrent(name) {
                    builder.addURC(text)
                } else if currentInferred, let name, "+" + (currentPrefix ?? "") != name, currentPrefix != name {
                    // Echo-off logs: a new prefixed line starts the next inferred reply.
                    flush()
                    startInferred(text, name: name)
                } else if currentLines.count < Self.maxReplyLines {
                    currentLines.append(text)
                }
            } else if looksUnsolicited, let name = ATParams.name(of: text), Self.readable.contains(name) {
                startInferred(text, name: name)
                currentMaybeURC = true
            } else if looksUnsolicited {
                builder.addURC(text)
            } else if let name = ATParams.name(of: text) {
                startInferred(text, name: name)
            }
        }
    }

    /// Whether a line that looks unsolicited carries the prefix the command in flight expects.
    private func answersCurrent(_ name: String?) -> Bool {
        guard let prefix = currentPrefix, let name else { return false }
        return name == prefix.uppercased()
    }

    /// Without the command in the log, a `+CSQ: ...` line still says which command it answers.
    static let readable: Set<String> = ["+CPIN", "+COPS", "+CREG", "+CGREG", "+CEREG", "+C5GREG", "+CFUN", "!GSTATUS", "^ICCID"]

    private mutating func startInferred(_ text: String, name: String) {
        let command = "AT" + name + (Self.readable.contains(name) ? "?" : "")
        begin(command: command, lines: [text], prefix: name)
        currentInferred = true
    }

    private mutating func begin(command: String, lines: [String], prefix: String?) {
        currentCommand = command
        currentLines = lines
        currentPrefix = prefix
        currentInferred = false
        currentMaybeURC = false
    }

    /// The command and reply lines of the exchange being read, which ends; nil when none is.
    private mutating func takeCurrent() -> (command: String, lines: [String])? {
        guard let command = currentCommand.take() else { return nil }
        defer { currentLines = [] }
        return (command, currentLines)
    }

    /// Ends the exchange being read without its final line.
    private mutating func flush() {
        guard let (command, lines) = takeCurrent() else { return }
        if currentMaybeURC {
            currentMaybeURC = false
            for l in lines { builder.addURC(l) }
            return
        }
        // A reply whose final line was not pasted: take what is there. A command with
        // nothing after it stays a timeout, recorded as no reply.
        builder.add(ATExchange(command: command, lines: lines, final: currentInferred || !lines.isEmpty ? .ok : .timeout))
        exchanges += 1
    }
}
