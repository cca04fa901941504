import Foundation
import TMDiagCore

/// A JSON number as the document wrote it; the checks only need to know it is a number.
struct JSONNumber: Sendable, Hashable {
    var text: String
}

/// A pull reader of JSON (RFC 8259) over an `ImportInput`: the importer walks the document's
/// outer structure (`readObject`, `readArray`) and takes small values whole (`readValue`, as
/// `[String: Any]`, `[Any]`, `String`, `JSONNumber`, `Bool`, `NSNull`), so memory holds one
/// event at a time, not the document. Syntax errors name the line and column.
final class JSONStreamReader {
    enum Kind: Equatable {
        case object, array, string, number, boolean, null

        var described: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .boolean: "a boolean"
            case .null: "null"
            }
        }
    }

    /// Deeper documents are refused rather than read with ever more stack.
    static let maxDepth = 256

    private let input: ImportInput
    private let shown: String
    private var line = 1
    /// Where the current line starts, in bytes from the start of the input.
    private var lineStart = 0
    private var depth = 0
    private var scratch: [UInt8] = []

    init(_ input: ImportInput) {
        self.input = input
        shown = TerminalText.escape(input.file)
    }

    // MARK: - Bytes

    private var position: Int { input.offsetOfBuffer + input.start }

    func syntaxError(_ what: String) -> TMDiagError {
        TMDiagError("\(shown): not valid JSON: \(what) (line \(line), column \(position - lineStart + 1))", status: .dataError)
    }

    @inline(__always)
    private func peekByte() throws(TMDiagError) -> UInt8? {
        if input.start == input.end, !(try input.refill()) { return nil }
        return input.buffer[input.start]
    }

    /// The next byte that is not white space, not consumed; nil at the end of the input.
    private func nextSignificant() throws(TMDiagError) -> UInt8? {
        while let b = try peekByte() {
            switch b {
            case 0x20, 0x09, 0x0D: input.start += 1
            case 0x0A:
                input.start += 1
                line += 1
                lineStart = position
            default: return b
            }
        }
        return nil
    }

    private func expect(_ byte: UInt8, _ what: String) throws(TMDiagError) {
        guard try nextSignificant() == byte else {
            throw syntaxError(try peekByte() == nil ? "unexpected end of the file (expected \(what))" : "expected \(what)")
        }
        input.start += 1
    }

    // MARK: - Structure

    /// What the next value is, without reading it.
    func peekKind() throws(TMDiagError) -> Kind {
        guard let b = try nextSignificant() else { throw syntaxError("unexpected end of the file (expected a value)") }
        switch b {
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x22: return .string
        case 0x74, 0x66: return .boolean
        case 0x6E: return .null
        case 0x2D, 0x30...0x39: return .number
        default: throw syntaxError("unexpected character '\(TerminalText.escape(String(decoding: [b], as: UTF8.self)))'")
        }
    }

    /// Reads an object; `body` (whose errors pass through as they are) is called with each key and must read its value.
    func readObject(_ body: (String) throws -> Void) throws {
        try expect(0x7B, "'{'")
        try enter()
        defer { depth -= 1 }
        if try nextSignificant() == 0x7D { input.start += 1; return }
        while true {
            guard try nextSignificant() == 0x22 else { throw syntaxError("expected a key in double quotes") }
            let key = try readString()
            try expect(0x3A, "':' after a key")
            try body(key)
            guard let b = try nextSignificant() else { throw syntaxError("unexpected end of the file (expected ',' or '}')") }
            input.start += 1
            if b == 0x7D { return }
            guard b == 0x2C else { input.start -= 1; throw syntaxError("expected ',' or '}'") }
        }
    }

    /// Reads an array; `body` is called with each index and must read the element.
    func readArray(_ body: (Int) throws -> Void) throws {
        try expect(0x5B, "'['")
        try enter()
        defer { depth -= 1 }
        if try nextSignificant() == 0x5D { input.start += 1; return }
        var i = 0
        while true {
            try body(i)
            i += 1
            guard let b = try nextSignificant() else { throw syntaxError("unexpected end of the file (expected ',' or ']')") }
            input.start += 1
            if b == 0x5D { return }
            guard b == 0x2C else { input.start -= 1; throw syntaxError("expected ',' or ']'") }
        }
    }

    private func enter() throws(TMDiagError) {
        depth += 1
        if depth > Self.maxDepth { throw syntaxError("nested more than \(Self.maxDepth) levels deep") }
    }

    /// Reads one value whole. `onKey` sees every object key with the path of the object that
    /// holds it (`JSONFields.join` makes the key's own) before its value is read.
    func readValue(path: String, onKey: (String, String) throws -> Void) throws -> Any {
        switch try peekKind() {
        case .object:
            var object: [String: Any] = [:]
            try readObject { key in
                try onKey(path, key)
                // Only objects and arrays pass a path on: building one per scalar cost time.
                let nested = try peekKind()
                let p = nested == .object || nested == .array ? JSONFields.join(path, key) : path
                object[key] = try readValue(path: p, onKey: onKey)
            }
            return object
        case .array:
            var array: [Any] = []
            try readArray { i in array.append(try readValue(path: "\(path)[\(i)]", onKey: onKey)) }
            return array
        case .string: return try readString()
        case .number: return try readNumber()
        case .boolean:
            if try literal("true") { return true }
            if try literal("false") { return false }
            throw syntaxError("expected true or false")
        case .null:
            guard try literal("null") else { throw syntaxError("expected null") }
            return NSNull()
        }
    }

    /// Reads a value and drops it.
    func skipValue() throws {
        _ = try readValue(path: "", onKey: { _, _ in })
    }

    /// After the document: only white space may follow.
    func finish() throws(TMDiagError) {
        if try nextSignificant() != nil { throw syntaxError("more after the end of the document") }
    }

    // MARK: - Scalars

    private func literal(_ word: StaticString) throws(TMDiagError) -> Bool {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for (i, b) in bytes.enumerated() {
            guard try peekByte() == b else {
                if i == 0 { return false }
                throw syntaxError("expected \(word)")
            }
            input.start += 1
        }
        return true
    }

    private func readNumber() throws(TMDiagError) -> JSONNumber {
        scratch.removeAll(keepingCapacity: true)
        while let b = try peekByte(), b == 0x2D || b == 0x2B || b == 0x2E || b == 0x45 || b == 0x65 || (0x30...0x39).contains(b) {
            scratch.append(b)
            input.start += 1
            if scratch.count > 64 { throw syntaxError("a number longer than 64 characters") }
        }
        let text = String(decoding: scratch, as: UTF8.self)
        guard Self.isNumber(scratch), Double(text) != nil else { throw syntaxError("not a number: '\(TerminalText.escape(text))'") }
        return JSONNumber(text: text)
    }

    /// The JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    static func isNumber(_ s: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int { let from = i; while i < s.count, (0x30...0x39).contains(s[i]) { i += 1 }; return i - from }
        if i < s.count, s[i] == 0x2D { i += 1 }
        if i < s.count, s[i] == 0x30 { i += 1 } else if digits() == 0 { return false }
        if i < s.count, s[i] == 0x2E { i += 1; if digits() == 0 { return false } }
        if i < s.count, s[i] == 0x45 || s[i] == 0x65 {
            i += 1
            if i < s.count, s[i] == 0x2B || s[i] == 0x2D { i += 1 }
            if digits() == 0 { return false }
        }
        return i == s.count
    }

    /// Reads a string (the reader is at its opening quote), escapes resolved.
    func readString() throws(TMDiagError) -> String {
        input.start += 1
        scratch.removeAll(keepingCapacity: true)
        while true {
            // The plain run up to a quote, a backslash or a control character, taken whole.
            var i = input.start
            let end = input.end
            input.buffer.withUnsafeBufferPointer { b in
                while i < end, b[i] != 0x22, b[i] != 0x5C, b[i] >= 0x20 { i += 1 }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[input.start..<i]))
            }
            input.start = i
            guard let b = try peekByte() else { throw syntaxError("unexpected end of the file in a string") }
            switch b {
            case 0x22:
                input.start += 1
                return String(decoding: scratch, as: UTF8.self)
            case 0x5C:
                input.start += 1
                try readEscape()
            default:
                if b < 0x20 { throw syntaxError("a control character in a string (escape it)") }
            }
        }
    }

    private func readEscape() throws(TMDiagError) {
        guard let e = try peekByte() else { throw syntaxError("unexpected end of the file in a string") }
        input.start += 1
        switch e {
        case 0x22, 0x5C, 0x2F: scratch.append(e)
        case 0x62: scratch.append(0x08)
        case 0x66: scratch.append(0x0C)
        case 0x6E: scratch.append(0x0A)
        case 0x72: scratch.append(0x0D)
        case 0x74: scratch.append(0x09)
        case 0x75:
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard try literal("\\u") else { throw syntaxError("a lone surrogate in a \\u escape") }
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw syntaxError("a lone surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw syntaxError("a lone surrogate in a \\u escape")
            }
            UTF8.encode(Unicode.Scalar(scalar)!) { scratch.append($0) }
        default:
            input.start -= 1
            throw syntaxError("an unknown escape '\\\(TerminalText.escape(String(decoding: [e], as: UTF8.self)))'")
        }
    }

    private func hex4() throws(TMDiagError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let h = try peekByte(), let d = Self.hexValue(h) else { throw syntaxError("expected 4 hex digits after \\u") }
            v = v << 4 | d
            input.start += 1
        }
        return v
    }

    static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        default: nil
        }
    }
}
