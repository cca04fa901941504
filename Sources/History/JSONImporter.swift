import Foundation
import GRDB
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
/// stream and written as it is read: each account is checked and written when its object
/// ends, so memory holds one account's events (an export writes `events` before `id`), not
/// the document. Errors name the JSON path (`accounts[3].events[12].kind`); syntax errors the
/// line and column. The caller's transaction makes a failure leave the store as it was.
struct JSONImporter {
    let reader: JSONStreamReader
    let shown: String
    let writer: ImportWriter
    var summary: ImportSummary
    var seenAccounts: [String: String] = [:]
    var seenNumbers: [String: String] = [:]
    var seenCases: [String: String] = [:]

    /// A rough count of events from the file's size, only to choose how to write them (an
    /// event takes about a hundred bytes of JSON; a wrong guess costs time, never rows).
    static func expectedEvents(bytes: Int) -> Int { bytes / 128 }

    static func importDocument(_ source: ImportSource, file: String, into db: Database) throws -> ImportSummary {
        let writer = try ImportWriter(db: db)
        try writer.beginBulkIfWorthIt(expectedEvents: expectedEvents(bytes: source.size))
        var importer = JSONImporter(reader: JSONStreamReader(try source.open(file: file)), shown: TerminalText.escape(file),
                                    writer: writer, summary: ImportSummary(file: file))
        try importer.readDocument()
        if writer.bulk { importer.summary.newEvents = try writer.finishBulk() }
        return importer.summary
    }

    /// Any key named like a secret, anywhere in the document, stops the import.
    func refuseSecret(path: String, key: String) throws(TMDiagError) {
        guard SecretFields.isSecret(fieldName: key) else { return }
        throw TMDiagError("\(shown): \(path): field '\(TerminalText.escape(key, limit: 40))' looks like a secret "
                          + "(PIN, password, security answer...); tmdiag never stores those — remove it and import again",
                          status: .dataError)
    }

    func value(_ path: String) throws -> Any {
        try reader.readValue(path: path, onKey: refuseSecret)
    }

    mutating func readDocument() throws {
        let top = JSONFields(file: shown, path: "", value: nil)
        let kind = try reader.peekKind()
        guard kind == .object else { throw top.failHere("must be an object, not \(kind.described)") }
        var sawAccounts = false
        try reader.readObject { key in
            try refuseSecret(path: JSONFields.join("", key), key: key)
            switch key {
            case "accounts":
                let accounts = top.child("accounts")
                switch try reader.peekKind() {
                case .array: break
                case .null: _ = try value("accounts"); return
                case let other: throw accounts.failHere("must be an array, not \(other.described)")
                }
                sawAccounts = true
                try reader.readArray { i in try readAccount(i) }
            case "schemaVersion":
                _ = try value("schemaVersion")
            default:
                throw top.child(key).failHere("unknown field (expected 'accounts')")
            }
        }
        try reader.finish()
        if !sawAccounts { throw top.child("accounts").failHere("missing (required)") }
    }

    /// Reads, checks and writes one account with its lines and events.
    mutating func readAccount(_ i: Int) throws {
        let path = "accounts[\(i)]"
        let kind = try reader.peekKind()
        guard kind == .object else {
            throw JSONFields(file: shown, path: path, value: nil).failHere("must be an object, not \(kind.described)")
        }
        var fields: [String: Any] = [:]
        var events: [EventInput] = []
        try reader.readObject { key in
            let p = JSONFields.join(path, key)
            try refuseSecret(path: p, key: key)
            guard key == "events" else { fields[key] = try value(p); return }
            switch try reader.peekKind() {
            case .array: break
            case .null: _ = try value(p); return
            case let other: throw JSONFields(file: shown, path: p, value: nil).failHere("must be an array, not \(other.described)")
            }
            fields[key] = [Any]()
            try reader.readArray { j in
                let e = JSONFields(file: shown, path: "\(p)[\(j)]", value: try value("\(p)[\(j)]"))
                try e.refuseUnknown(try e.object(), allowed: EventField.names)
                let event = try Check.event(e)
                if let number = event.caseNumber, event.kind == .supportCase {
                    if let first = seenCases[number.uppercased()] {
                        throw e.fail("case", "duplicate case '\(TerminalText.escape(number))' (first at \(first))")
                    }
                    seenCases[number.uppercased()] = e.path
                }
                events.append(event)
            }
        }
        let a = JSONFields(file: shown, path: path, value: fields)
        try a.refuseUnknown(fields, allowed: Check.accountFields)
        let id = try Check.accountId(a)
        if let first = seenAccounts[id.lowercased()] {
            throw a.fail("id", "duplicate account id '\(TerminalText.escape(id))' (first at \(first))")
        }
        seenAccounts[id.lowercased()] = a.path
        let type = try Check.choice(a, "type", AccountType.self, noun: "account type", required: true)!
        let account = AccountInput(id: id, holder: try Check.text(a, "holder"), type: type, plan: try Check.text(a, "plan"),
                                   lines: [], events: [])
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
        try write(account, lines: lines, events: events, path: path)
    }

    mutating func write(_ a: AccountInput, lines: [LineInput], events: [EventInput], path: String) throws {
        try writer.upsert(account: a)
        let id = try writer.storedAccountId(a.id) ?? a.id
        summary.accounts += 1
        for l in lines {
            try writer.upsert(line: l, accountId: id)
            summary.lines += 1
        }
        for (j, e) in events.enumerated() {
            if try writer.add(event: e, accountId: id, where: { "\(shown): \(path).events[\(j)]" }) { summary.newEvents += 1 }
            summary.events += 1
            if e.kind == .supportCase { summary.cases += 1 }
        }
    }
}

/// A JSON value at a path, read as the checks ask.
struct JSONFields: FieldReader {
    let file: String
    let path: String
    let value: Any?

    static func join(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { isASCIIAlphanumeric($0) || $0 == 0x5F }
        let k = plain ? key : "[\"\(TerminalText.escape(key, limit: 40))\"]"
        return path.isEmpty ? k : (plain ? path + "." + k : path + k)
    }

    func child(_ key: String) -> JSONFields {
        JSONFields(file: file, path: Self.join(path, key), value: (value as? [String: Any])?[key])
    }

    func index(_ i: Int, _ v: Any) -> JSONFields { JSONFields(file: file, path: "\(path)[\(i)]", value: v) }

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
        guard let o = value as? [String: Any] else {
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
        for key in object.keys.sorted() where !allowed.contains(key) {
            throw fail(key, "unknown field (expected one of \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ key: String) throws(TMDiagError) -> String? {
        guard let v = (value as? [String: Any])?[key], !(v is NSNull) else { return nil }
        guard let s = v as? String else { throw fail(key, "must be a string, not \(Self.typeName(v))") }
        let t = s.trimmingSpaces
        return t.isEmpty ? nil : t
    }

    func strings(_ key: String) throws(TMDiagError) -> [String] {
        let c = child(key)
        var out: [String] = []
        for (i, v) in try c.array().enumerated() {
            guard let s = v as? String else { throw c.index(i, v).failHere("must be a string, not \(Self.typeName(v))") }
            out.append(s)
        }
        return out
    }
}
