import Foundation
import TMDiagCore

/// Input files read whole (a TAC table): size capped, checked as UTF-8. History imports
/// stream instead (`ImportSource`).
extension InputFile {
    /// Larger files are refused up front rather than read into memory.
    static let maxBytes = 512 * 1024 * 1024

    /// The whole file; `-` is a file name here, not standard input.
    static func read(_ path: String) throws(TMDiagError) -> Data {
        try read(path, limit: maxBytes, dashIsStandardInput: false)
    }

    /// The bytes without a UTF-8 byte order mark, checked to be UTF-8; the error names the
    /// line and column of the first bad byte.
    static func utf8(_ data: Data, file: String) throws(TMDiagError) -> Data {
        var d = data
        if d.starts(with: [0xEF, 0xBB, 0xBF]) { d = d.dropFirst(3) }
        if String(validating: d, as: UTF8.self) != nil { return Data(d) }
        let bytes = [UInt8](d)
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): offset += UTF8.width(s)
            case .emptyInput, .error: break loop
            }
        }
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        let bad = offset < bytes.count ? " (byte 0x\(String(format: "%02X", bytes[offset])))" : ""
        throw TMDiagError("\(TerminalText.escape(file)):\(line):\(offset - lineStart + 1): invalid UTF-8\(bad)", status: .dataError)
    }
}

/// The JSON history document (`{"accounts": [...]}`, Fixtures/history/README.md), read as a
/// stream and written as it is read: an account whose id and type come before its events is
/// written a piece at a time as its events are read; one whose events come first (the key
/// order is free) is held until its object ends. Memory holds at most one such account's
/// events, never the document. Errors name the JSON path (`accounts[3].events[12].kind`); syntax errors the
/// line and column. The caller's transaction makes a failure leave the store as it was.
struct JSONImporter {
    let reader: JSONStreamReader
    let shown: String
    var seenAccounts: [String: String] = [:]
    var seenNumbers: [String: String] = [:]
    var seenCases: [String: String] = [:]
    let memo = NormalisationMemo()

    /// The document's own field names (none of them a secret's): most keys, looked up before
    /// the slower secret-name test.
    static let documentFields = EventField.names.union(Check.accountFields).union(Check.lineFields)
        .union(["accounts", "schemaVersion"])

    /// A rough count of events from the file's size, only to choose how to write them (an
    /// event takes about a hundred bytes of JSON; a wrong guess costs time, never rows).
    static func expectedEvents(bytes: Int) -> Int { bytes / 128 }

    /// One checked account (lines and events in it) and its index in the document, or a piece
    /// of one: an account whose id and type come before its events is handed on in pieces as
    /// its events are read, so that memory does not grow with the account.
    struct NumberedAccount: Sendable {
        var index: Int
        var account: AccountInput
        /// An earlier piece wrote the account: this one adds its lines and events.
        var continuation = false
        /// The account's own fields came (in part) after its events: write them again.
        var rewritesAccount = false
        /// The index in the account's `events` of this piece's first event.
        var firstEvent = 0
    }

    /// What the reader thread hands the writer.
    enum ReaderItem: Sendable {
        case accounts([NumberedAccount])
        case finished
        case failed(any Error)
    }

    /// Accounts go to the writer in batches of about this many events.
    static let batchEvents = 4_096

    /// Reads and checks on a second thread, a few batches ahead of the database writes (as the
    /// CSV import does); the first error from either side stops both and rolls back.
    static func importDocument(_ source: ImportSource, file: String, into writer: any StoreWriter) throws -> ImportSummary {
        let shown = TerminalText.escape(file)
        try writer.beginBulkIfWorthIt(expectedEvents: expectedEvents(bytes: source.size))
        var summary = ImportSummary(file: file)
        let channel = BoundedChannel<ReaderItem>(capacity: 8)
        let read: @Sendable () -> Void = {
            do {
                var importer = JSONImporter(reader: JSONStreamReader(try source.open(file: file)), shown: shown)
                var batch: [NumberedAccount] = []
                var events = 0
                try importer.readDocument { numbered in
                    batch.append(numbered)
                    events += numbered.account.events.count + 1
                    if events >= batchEvents {
                        guard channel.send(.accounts(batch)) else { throw CancellationError() }
                        batch = []
                        events = 0
                    }
                }
                if !batch.isEmpty, !channel.send(.accounts(batch)) { throw CancellationError() }
                _ = channel.send(.finished)
            } catch is CancellationError {
                // The writer stopped first; it reports its own error.
            } catch {
                _ = channel.send(.failed(error))
            }
        }
        try BlockingIO.alongside(read) {
            do {
                loop: while true {
                    switch channel.receive() {
                    case nil: throw CancellationError()
                    case .accounts(let batch):
                        for n in batch { try write(n, shown: shown, writer: writer, summary: &summary) }
                    case .finished: break loop
                    case .failed(let error): throw error
                    }
                }
            } catch {
                // Wakes a reader waiting to send, so that it ends before the error is thrown.
                channel.cancel()
                throw error
            }
        }
        if writer.bulk { summary.newEvents = try writer.finishBulk() }
        return summary
    }

    static func write(_ n: NumberedAccount, shown: String, writer: any StoreWriter, summary: inout ImportSummary) throws {
        let a = n.account
        if !n.continuation || n.rewritesAccount { try writer.upsert(account: a) }
        if !n.continuation { summary.accounts += 1 }
        let id = try writer.storedAccountId(a.id) ?? a.id
        for l in a.lines {
            try writer.upsert(line: l, accountId: id)
            summary.lines += 1
        }
        for (j, e) in a.events.enumerated() {
            if try writer.add(event: e, accountId: id, where: { "\(shown): accounts[\(n.index)].events[\(n.firstEvent + j)]" }) {
                summary.newEvents += 1
            }
            summary.events += 1
            if e.kind == .supportCase { summary.cases += 1 }
        }
    }

    /// Any key named like a secret, anywhere in the document, stops the import. `parent` is
    /// the path of the object holding the key.
    func refuseSecret(parent: String, key: String) throws(TMDiagError) {
        guard !Self.documentFields.contains(key), SecretFields.isSecret(fieldName: key) else { return }
        let path = JSONFields.join(parent, key)
        throw TMDiagError("\(shown): \(path): field '\(TerminalText.escape(key, limit: 40))' looks like a secret "
                          + "(PIN, password, security answer...); tmdiag never stores those — remove it and import again",
                          status: .dataError)
    }

    func value(_ path: String) throws -> Any {
        try reader.readValue(path: path, onKey: refuseSecret)
    }

    /// Reads and checks the document; `emit` gets each account once it is whole.
    mutating func readDocument(_ emit: (NumberedAccount) throws -> Void) throws {
        let top = JSONFields(file: shown, path: "", value: nil)
        let kind = try reader.peekKind()
        guard kind == .object else { throw top.failHere("must be an object, not \(kind.described)") }
        var sawAccounts = false
        try reader.readObject { key in
            try refuseSecret(parent: "", key: key)
            switch key {
            case "accounts":
                let accounts = top.child("accounts")
                switch try reader.peekKind() {
                case .array: break
                case .null: _ = try value("accounts"); return
                case let other: throw accounts.failHere("must be an array, not \(other.described)")
                }
                sawAccounts = true
                try reader.readArray { i in try readAccount(i, emit: emit) }
            case "schemaVersion":
                _ = try value("schemaVersion")
            default:
                throw top.child(key).failHere("unknown field (expected 'accounts')")
            }
        }
        try reader.finish()
        if !sawAccounts { throw top.child("accounts").failHere("missing (required)") }
    }

    /// Reads and checks one account with its lines and events and hands it on, whole or, when
    /// its id and type come before its events, in pieces of `batchEvents` events as they are
    /// read (the rest of its fields are checked, and written again, when its object ends).
    mutating func readAccount(_ i: Int, emit: (NumberedAccount) throws -> Void) throws {
        let path = "accounts[\(i)]"
        let kind = try reader.peekKind()
        guard kind == .object else {
            throw JSONFields(file: shown, path: path, value: nil).failHere("must be an object, not \(kind.described)")
        }
        var fields: [String: Any] = [:]
        var events: [EventInput] = []
        /// Set once the account streams: the account as checked when its events began.
        var head: AccountInput?
        var eventsHandedOn = 0
        var keys = Set<String>()
        try reader.readObject { key in
            let p = JSONFields.join(path, key)
            try refuseSecret(parent: path, key: key)
            guard keys.insert(key).inserted else { throw JSONFields(file: shown, path: p, value: nil).failHere("duplicate field") }
            guard key == "events" else { fields[key] = try value(p); return }
            switch try reader.peekKind() {
            case .array: break
            case .null: _ = try value(p); return
            case let other: throw JSONFields(file: shown, path: p, value: nil).failHere("must be an array, not \(other.described)")
            }
            if head == nil, fields["id"] != nil, fields["type"] != nil {
                head = try checkAccount(fields, path: path, events: [])
                fields = [:]
            }
            fields[key] = [Any]()
            try reader.readArray { j in
                let e = try readEvent(parent: p, index: j)
                let event = try Check.event(e)
                if let number = event.caseNumber, event.kind == .supportCase {
                    if let first = seenCases[number.uppercased()] {
                        throw e.fail("case", "duplicate case '\(TerminalText.escape(number))' (first at \(first))")
                    }
                    seenCases[number.uppercased()] = e.path
                }
                events.append(event)
                if var piece = head, events.count >= Self.batchEvents {
                    piece.events = events
                    if eventsHandedOn > 0 { piece.lines = [] }
                    try emit(NumberedAccount(index: i, account: piece, continuation: eventsHandedOn > 0, firstEvent: eventsHandedOn))
                    eventsHandedOn += events.count
                    events.removeAll(keepingCapacity: true)
                }
            }
        }
        guard var streamed = head else {
            try emit(NumberedAccount(index: i, account: try checkAccount(fields, path: path, events: events)))
            return
        }
        // The fields after the events: checked as the whole account's would be, without the
        // id and type (checked, with the lines before the events, when the events began).
        let a = JSONFields(file: shown, path: path, value: fields, memo: memo)
        try a.refuseUnknown(fields, allowed: Check.accountFields)
        let rewrites = fields["holder"] != nil || fields["plan"] != nil
        if fields["holder"] != nil { streamed.holder = try Check.text(a, "holder") }
        if fields["plan"] != nil { streamed.plan = try Check.text(a, "plan") }
        // Lines before the events went with the first piece, or go with this one if it is the first.
        streamed.lines = (eventsHandedOn > 0 ? [] : streamed.lines) + (fields["lines"] != nil ? try checkLines(a) : [])
        streamed.events = events
        try emit(NumberedAccount(index: i, account: streamed, continuation: eventsHandedOn > 0,
                                 rewritesAccount: eventsHandedOn > 0 && rewrites, firstEvent: eventsHandedOn))
    }

    /// The account's fields checked: id (once in the document), type, holder, plan, lines.
    mutating func checkAccount(_ fields: [String: Any], path: String, events: [EventInput]) throws -> AccountInput {
        let a = JSONFields(file: shown, path: path, value: fields, memo: memo)
        try a.refuseUnknown(fields, allowed: Check.accountFields)
        let id = try Check.accountId(a)
        if let first = seenAccounts[id.lowercased()] {
            throw a.fail("id", "duplicate account id '\(TerminalText.escape(id))' (first at \(first))")
        }
        seenAccounts[id.lowercased()] = a.path
        let type = try Check.choice(a, "type", AccountType.self, noun: "account type", required: true)!
        return AccountInput(id: id, holder: try Check.text(a, "holder"), type: type, plan: try Check.text(a, "plan"),
                            lines: try checkLines(a), events: events)
    }

    /// The account's `lines`, each number once in the document.
    mutating func checkLines(_ a: JSONFields) throws -> [LineInput] {
        var lines: [LineInput] = []
        for (j, lv) in try a.child("lines").array().enumerated() {
            let l = a.child("lines").index(j, lv)
            try l.refuseUnknown(try l.object(), allowed: Check.lineFields)
            let line = try Check.line(l)
            if let first = seenNumbers[line.msisdn] {
                throw l.fail("msisdn", "duplicate line: the same number is already at \(first)")
            }
            seenNumbers[line.msisdn] = l.path
            lines.append(line)
        }
        return lines
    }
}

/// A JSON value at a path, read as the checks ask.
struct JSONFields: FieldReader {
    let file: String
    let path: String
    let value: Any?
    /// `value` as an object, cast once: the checks read a dozen keys of every event, and a
    /// cast from `Any` per key was most of a JSON import's time.
    let asObject: [String: Any]?
    let memo: NormalisationMemo?

    init(file: String, path: String, value: Any?, memo: NormalisationMemo? = nil) {
        self.file = file
        self.path = path
        self.value = value
        asObject = value as? [String: Any]
        self.memo = memo
    }

    static func join(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { isASCIIAlphanumeric($0) || $0 == 0x5F }
        let k = plain ? key : "[\"\(TerminalText.escape(key, limit: 40))\"]"
        return path.isEmpty ? k : (plain ? path + "." + k : path + k)
    }

    func child(_ key: String) -> JSONFields {
        JSONFields(file: file, path: Self.join(path, key), value: asObject?[key], memo: memo)
    }

    func index(_ i: Int, _ v: Any) -> JSONFields { JSONFields(file: file, path: "\(path)[\(i)]", value: v, memo: memo) }

    func failHere(_ what: String) -> TMDiagError {
        TMDiagError("\(file): \(path.isEmpty ? "(top level)" : path): \(what)", status: .dataError)
    }

    func fail(_ key: String, _ what: String) -> TMDiagError { child(key).failHere(what) }

    static func typeName(_ v: Any) -> String {
        if v is NSNull { return "null" }
        if v is JSONNumber { return "a number" }
        if v is String { return "a string" }
        if v is [Any] { return "an array" }
        if v is [String: Any] { return "an object" }
        if v is Bool { return "a boolean" }
        if let n = v as? NSNumber { return String(cString: n.objCType) == "c" ? "a boolean" : "a number" }
        return "a \(type(of: v))"
    }

    func object() throws(TMDiagError) -> [String: Any] {
        guard let o = asObject else {
            throw failHere("must be an object, not \(value.map(Self.typeName) ?? "missing")")
        }
        return o
    }

    func array(required: Bool = false) throws(TMDiagError) -> [Any] {
        guard let v = value, !(v is NSNull) else {
            if required { throw failHere("missing (required)") }
            return []
        }
        guard let a = v as? [Any] else { throw failHere("must be an array, not \(Self.typeName(v))") }
        return a
    }

    func refuseUnknown(_ object: [String: Any], allowed: Set<String>) throws(TMDiagError) {
        guard object.keys.contains(where: { !allowed.contains($0) }) else { return }
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw fail(key, "unknown field (expected one of \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws(TMDiagError) -> String? { try child(key).string() }

    /// This value as a string without spaces at its ends; nil when absent, null or empty.
    func string() throws(TMDiagError) -> String? {
        guard let v = value, !(v is NSNull) else { return nil }
        guard let s = v as? String else { throw failHere("must be a string, not \(Self.typeName(v))") }
        let t = s.trimmingSpaces
        return t.isEmpty ? nil : t
    }

    func strings(_ key: String) throws(TMDiagError) -> [String] { try child(key).stringList() }

    /// This value as a list of strings (none when absent or null).
    func stringList() throws(TMDiagError) -> [String] {
        var out: [String] = []
        for (i, v) in try array().enumerated() {
            guard let s = v as? String else { throw index(i, v).failHere("must be a string, not \(Self.typeName(v))") }
            out.append(s)
        }
        return out
    }
}
