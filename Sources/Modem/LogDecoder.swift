import Foundation
import TMDiagCore

/// Reads an AT session log as people paste it — with or without echo, CR/LF/CRLF, terminal
/// programs' timestamps and direction markers, unsolicited lines in between — into exchanges,
/// and feeds them to a `FactsBuilder`.
public struct LogDecoder {
    /// The facts and errors read so far; whole once `finish` has returned.
    public var builder: FactsBuilder { digest.builder }
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
    /// The numbers of the lines the current exchange was built from (see `signature`).
    private var currentCommandId: Int32 = -1
    private var currentLineIds: [Int32] = []
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
    /// Distinct exchanges, numbered by the lines they were built from, so that the digest can
    /// tell a repeated exchange by one integer.
    private var signatures: [[Int32]: Int32] = [:]
    private static let maxSignatures = 200_000
    /// Numbering pays only while exchanges repeat: when three in four were new lately (every
    /// reply carries new values), they are handed on unnumbered for a while.
    private var signatureGate = PayoffGate(hitsAtLeast: 1, outOf: 4)
    /// Lines already handed on as unsolicited, by number: later ones go by key alone.
    private var urcSent: [Bool] = []

    /// Reading steps already worked out, and where the decoder is among them.
    private var memo = ReaderMemo()
    private var state: Int32?
    private var liveState: Int32?
    /// The events of the step being worked out, kept for the memo.
    private var recording: [DecodeEvent]?
    /// A replayed line saves little (reading one is cheap; parsing happens on the other
    /// side), so the memo pays only when most lines are replays: when fewer than two in three
    /// were lately (a new signal value in every reply, say), it pauses a while.
    private var memoGate = PayoffGate(hitsAtLeast: 2, outOf: 3)

    /// Where events go: digested here while the log is small; on a second thread once it is
    /// large, so that splitting lines and parsing replies run at once.
    private var digest: FactsDigest
    private var worker: FactsDigestWorker?
    private var batch: [DecodeEvent] = []
    private var inlineEvents = 0
    private let parallel: Bool
    static let parallelAfterEvents = 16_384
    static let batchSize = 2_048

    /// `parallel: false` keeps all the work on the calling thread; `memos: false` works out
    /// every line and exchange afresh (the tests' reference for what the memos replay).
    public init(builder: FactsBuilder, parallel: Bool = true) {
        self.init(builder: builder, parallel: parallel, memos: true)
    }

    init(builder: FactsBuilder, parallel: Bool, memos: Bool) {
        digest = FactsDigest(builder: builder, memo: memos)
        self.parallel = parallel
        if !memos { memoGate.closeForGood() }
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
    /// Logs repeat a handful of exchanges thousands of times. Each distinct line is numbered
    /// and classified once, and what the decoder does with a numbered line depends only on
    /// the line and on its reading state, so each (state, line) step is worked out once and
    /// then replayed from `ReaderMemo`, events and all, without building a String.
    mutating func feed(_ raw: UnsafeBufferPointer<UInt8>) {
        let r = LogDecorations.content(of: raw)
        if r.isEmpty { return }
        let line = UnsafeBufferPointer(rebasing: raw[r.lowerBound..<min(r.upperBound, r.lowerBound + Self.maxLine)])
        let h = LineTable.hash(line)
        lookups += 1
        if let id = table.find(line, hash: h) {
            feedNumbered(Int32(id))
            return
        }
        misses += 1
        // Logs whose every line differs gain nothing from numbering them: stop adding.
        if !(lookups > 2_000 && misses * 10 > lookups * 9), let id = table.insert(line, hash: h) {
            lineFacts.append(Self.lineFacts(line))
            feedNumbered(Int32(id))
        } else {
            catchUp()
            step(Self.lineFacts(line), id: nil)
            settle()
        }
    }

    private mutating func feedNumbered(_ id: Int32) {
        if let from = state, let move = memo.move(from: from, line: id) {
            state = move.next
            lines += Int(move.lines)
            exchanges += Int(move.exchanges)
            if move.eventCount > 0 {
                let first = Int(move.firstEvent)
                for i in first..<(first + Int(move.eventCount)) { send(memo.events[i]) }
            }
            memoGate.count(hit: true)
            return
        }
        memoGate.count(hit: false)
        catchUp()
        let from = state, generation = memo.generation
        let before = (lines, exchanges)
        recording = memoGate.isOpen ? [] : nil
        step(lineFacts[Int(id)], id: id)
        let events = recording
        recording = nil
        settle()
        if let from, let to = state, let events, memo.generation == generation {
            memo.record(from: from, line: id, next: to, lines: Int32(lines - before.0),
                        exchanges: Int32(exchanges - before.1), events: events)
        }
    }

    /// Brings the variables to the state the decoder is in (they lag behind during replays).
    private mutating func catchUp() {
        guard let s = state, s != liveState else { return }
        let snap = memo.snapshot(s)
        current = snap.current
        currentPrefix = snap.currentPrefix
        currentInferred = snap.currentInferred
        currentMaybeURC = snap.currentMaybeURC
        currentCommandId = snap.currentCommandId
        currentLineIds = snap.currentLineIds
        liveState = s
    }

    /// After a step worked out on the variables: the memo's number for where they are now,
    /// or none (memo paused, or a state not worth keeping).
    private mutating func settle() {
        if !memoGate.isOpen {
            memoGate.skip()
            state = nil
        } else {
            state = readingKey().map { key in
                memo.number(key, ReaderMemo.Snapshot(current: current, currentPrefix: currentPrefix,
                                                     currentInferred: currentInferred, currentMaybeURC: currentMaybeURC,
                                                     currentCommandId: currentCommandId, currentLineIds: currentLineIds))
            }
        }
        liveState = state
    }

    /// What names the reading state: nothing when no exchange is open; else the numbers of the
    /// lines the open exchange was built from and how it is being read. Nil when a line has
    /// no number, or when a reply is still growing line by line (each line a new state).
    private func readingKey() -> [Int32]? {
        guard current != nil else { return [] }
        guard currentCommandId != -1, currentLineIds.count <= 16, !currentLineIds.contains(-1) else { return nil }
        let flags: Int32 = (currentInferred ? 1 : 0) | (currentMaybeURC ? 2 : 0)
        return [currentCommandId, flags] + currentLineIds
    }

    private mutating func step(_ f: LineFacts, id: Int32?) {
        if f.text.isEmpty { return }
        if f.dotted {
            for part in f.text.components(separatedBy: "..") {
                let p = part.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
                if !p.isEmpty { lines += 1; take(Self.classify(p), id: nil) }
            }
            return
        }
        lines += 1
        take(f, id: id)
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
                         urc: URCs.isURC(line, expecting: nil), name: ATParams.name(of: line),
                         dotted: isCommand && Self.hasDoubleDot(line),
                         replyPrefix: isCommand ? ATExchange.replyPrefix(of: line) : nil)
    }

    /// Reads one classified line into the exchange being built; `id` is its number, if any.
    mutating func take(_ f: LineFacts, id: Int32?) {
        let lineId = id ?? -1
        let line = f.text
        // A line that is unsolicited unless it carries the prefix the command in flight expects.
        func isURC(expecting prefix: String?) -> Bool {
            guard f.urc else { return false }
            if let prefix, let name = f.name, name == prefix.uppercased() { return false }
            return true
        }
        if f.isCommand {
            flush()
            begin(ATExchange(command: line, lines: [], final: .timeout), prefix: f.replyPrefix, commandId: lineId)
            return
        }
        if let final = f.final {
            if var ex = current {
                ex.final = final
                ex.finalRaw = line
                current = nil
                emit(ex, end: lineId)
                exchanges += 1
            }
            return
        }
        if currentMaybeURC, let ex = current {
            current = nil
            currentMaybeURC = false
            emitURCs(ex.lines)
            take(f, id: id)
            return
        }
        if current != nil {
            if isURC(expecting: currentPrefix) {
                emitURC(line, id: lineId)
            } else if currentInferred, let name = f.name, "+" + (currentPrefix ?? "") != name,
                      currentPrefix != name {
                // Echo-off logs: a new prefixed line starts the next inferred reply.
                flush()
                startInferred(line, name: f.name, id: lineId)
            } else if current!.lines.count < Self.maxReplyLines {
                current!.lines.append(line)
                currentLineIds.append(lineId)
            }
            return
        }
        if f.urc {
            if let name = f.name, Self.readable.contains(name) {
                startInferred(line, name: f.name, id: lineId)
                currentMaybeURC = true
            } else {
                emitURC(line, id: lineId)
            }
            return
        }
        startInferred(line, name: f.name, id: lineId)
    }

    /// Without the command in the log, a `+CSQ: ...` line still says which command it answers.
    static let readable: Set<String> = ["+CPIN", "+COPS", "+CREG", "+CGREG", "+CEREG", "+C5GREG", "+CFUN", "!GSTATUS", "^ICCID"]

    /// Marks in a signature for what is not a line: an inferred command (it follows from the
    /// first reply line), and the two ways an exchange ends without a final line.
    private static let inferredMark: Int32 = -2
    private static let endedWithReply: Int32 = -3
    private static let endedBare: Int32 = -4

    mutating func startInferred(_ line: String, name: String?, id: Int32) {
        guard let name else { return }
        let command: String
        if let c = inferredCommands[name] { command = c } else {
            command = "AT" + name + (Self.readable.contains(name) ? "?" : "")
            inferredCommands[name] = command
        }
        begin(ATExchange(command: command, lines: [line], final: .timeout), prefix: name, commandId: Self.inferredMark)
        currentLineIds.append(id)
        currentInferred = true
    }

    mutating func begin(_ ex: ATExchange, prefix: String?, commandId: Int32) {
        current = ex
        currentPrefix = prefix
        currentCommandId = commandId
        currentLineIds.removeAll(keepingCapacity: true)
        currentInferred = false
        currentMaybeURC = false
    }

    mutating func flush() {
        guard let ex = current else { return }
        current = nil
        if currentMaybeURC {
            currentMaybeURC = false
            emitURCs(ex.lines)
            return
        }
        if currentInferred || !ex.lines.isEmpty {
            // A reply whose final line was not pasted: take what is there.
            var e = ex
            e.final = .ok
            emit(e, end: Self.endedWithReply)
        } else {
            emit(ex, end: Self.endedBare)   // a command with nothing after it: recorded as no reply
        }
        exchanges += 1
    }

    // MARK: - Events

    /// Hands on a finished exchange, keyed by the lines it was built from: the command (or
    /// the inferred mark), the reply lines, and the final line (or how it ended without one).
    private mutating func emit(_ ex: ATExchange, end: Int32) {
        if !signatureGate.isOpen {
            signatureGate.skip()
        } else if currentCommandId != -1, end != -1, !currentLineIds.contains(-1) {
            var signature: [Int32] = []
            signature.reserveCapacity(currentLineIds.count + 2)
            signature.append(currentCommandId)
            signature.append(contentsOf: currentLineIds)
            signature.append(end)
            if let k = signatures[signature] {
                signatureGate.count(hit: true)
                send(.again(key: k))
                return
            }
            signatureGate.count(hit: false)
            if signatures.count < Self.maxSignatures {
                let k = Int32(signatures.count)
                signatures[signature] = k
                send(.exchange(DecodeEvent.Box(ex), key: k))
                return
            }
        }
        send(.exchange(DecodeEvent.Box(ex), key: -1))
    }

    private mutating func emitURC(_ line: String, id: Int32) {
        guard id >= 0 else { return send(.urc(line, key: -1)) }
        let i = Int(id)
        if i < urcSent.count, urcSent[i] { return send(.again(key: DecodeEvent.urcKeyBase + id)) }
        if i >= urcSent.count { urcSent.append(contentsOf: repeatElement(false, count: i + 1 - urcSent.count)) }
        urcSent[i] = true
        send(.urc(line, key: DecodeEvent.urcKeyBase + id))
    }

    /// The lines of an inferred reply that turned out to be unsolicited.
    private mutating func emitURCs(_ lines: [String]) {
        for (i, l) in lines.enumerated() { emitURC(l, id: i < currentLineIds.count ? currentLineIds[i] : -1) }
    }

    private mutating func send(_ event: DecodeEvent) {
        if recording != nil {
            // Replays send what the digest already has by its key alone.
            switch event {
            case .exchange(_, let k) where k >= 0, .urc(_, let k) where k >= 0: recording!.append(.again(key: k))
            default: recording!.append(event)
            }
        }
        if let worker {
            batch.append(event)
            if batch.count >= Self.batchSize {
                worker.send(batch)
                batch.removeAll(keepingCapacity: true)
            }
            return
        }
        digest.take(event)
        inlineEvents += 1
        if parallel, inlineEvents >= Self.parallelAfterEvents {
            worker = FactsDigestWorker(digest)
            batch.reserveCapacity(Self.batchSize)
        }
    }

    /// Ends the log: a command still waiting for its reply is taken as it stands.
    public mutating func finish() {
        if !carry.isEmpty { feedCarry() }
        catchUp()
        state = nil
        liveState = nil
        flush()
        if let w = worker {
            if !batch.isEmpty { w.send(batch) }
            batch = []
            if let d = w.finish() { digest = d }
            worker = nil
        } else {
            _ = digest.finish()
        }
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
