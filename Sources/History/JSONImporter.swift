import Foundation
import GRDB
import TMDiagCore

/// Input files of the importers: read whole (the JSON and CSV parsers need all of it), size
/// capped, checked as UTF-8.
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

/// The JSON history document (`{"accounts": [...]}`), as described in Fixtures/history/README.md.
enum JSONImporter {
    static func parse(_ data: Data, file: String) throws(TMDiagError) -> [AccountInput] {
        let shown = TerminalText.escape(file)
        let bytes = try InputFile.utf8(data, file: file)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
        } catch {
            let detail = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String).map { ": " + TerminalText.escape($0, limit: 200) } ?? ""
            throw TMDiagError("\(shown): not valid JSON\(detail)", status: .dataError)
        }
        try refuseSecrets(root, path: "", file: shown)
        let top = JSONFields(file: shown, path: "", value: root)
        let object = try top.object()
        for key in object.keys.sorted() where key != "accounts" && key != "schemaVersion" {
            throw top.child(key).failHere("unknown field (expected 'accounts')")
        }
        let accounts = try top.child("accounts").array(required: true)
        var result: [AccountInput] = []
        result.reserveCapacity(accounts.count)
        var seenAccounts: [String: String] = [:]
        var seenNumbers: [String: String] = [:]
        var seenCases: [String: String] = [:]
        for (i, value) in accounts.enumerated() {
            let a = top.child("accounts").index(i, value)
            let fields = try a.object()
            try a.refuseUnknown(fields, allowed: Check.accountFields)
            let id = try Check.accountId(a)
            if let first = seenAccounts[id.lowercased()] {
                throw a.fail("id", "duplicate account id '\(TerminalText.escape(id))' (first at \(first))")
            }
            seenAccounts[id.lowercased()] = a.path
            let type = try Check.choice(a, "type", AccountType.self, noun: "account type", required: true)!
            var account = AccountInput(id: id, holder: try Check.text(a, "holder"), type: type, plan: try Check.text(a, "plan"),
                                       lines: [], events: [])
            for (j, lv) in try a.child("lines").array().enumerated() {
                let l = a.child("lines").index(j, lv)
                try l.refuseUnknown(try l.object(), allowed: Check.lineFields)
                let line = try Check.line(l)
                if let first = seenNumbers[line.msisdn] {
                    throw l.fail("msisdn", "duplicate line: the same number is already at \(first)")
                }
                seenNumbers[line.msisdn] = l.path
                account.lines.append(line)
            }
            let events = try a.child("events").array()
            account.events.reserveCapacity(events.count)
            for (j, ev) in events.enumerated() {
                let e = a.child("events").index(j, ev)
                try e.refuseUnknown(try e.object(), allowed: EventField.names)
                let event = try Check.event(e)
                if let number = event.caseNumber, event.kind == .supportCase {
                    if let first = seenCases[number.uppercased()] {
                        throw e.fail("case", "duplicate case '\(TerminalText.escape(number))' (first at \(first))")
                    }
                    seenCases[number.uppercased()] = e.path
                }
                account.events.append(event)
            }
            result.append(account)
        }
        return result
    }

    /// Any key named like a secret, anywhere in the document, stops the import.
    static func refuseSecrets(_ value: Any, path: String, file: String) throws(TMDiagError) {
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() {
                let p = JSONFields.join(path, key)
                if SecretFields.isSecret(fieldName: key) {
                    throw TMDiagError("\(file): \(p): field '\(TerminalText.escape(key, limit: 40))' looks like a secret "
                                      + "(PIN, password, security answer...); tmdiag never stores those — remove it and import again",
                                      status: .dataError)
                }
                try refuseSecrets(object[key]!, path: p, file: file)
            }
        } else if let array = value as? [Any] {
            for (i, v) in array.enumerated() { try refuseSecrets(v, path: "\(path)[\(i)]", file: file) }
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
