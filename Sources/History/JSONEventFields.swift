import Foundation
import TMDiagCore

/// One event object of the history document, read as the checks ask: its values by field, in
/// a short list rather than a `[String: Any]` dictionary. A million events are most of an
/// import, and building and querying a dictionary per event (hashing every key a few times)
/// was the largest share of a JSON import's reading time.
struct JSONEventFields: FieldReader {
    let file: String
    /// The path of the `events` array holding the event, and its index there: the event's
    /// own path is only built when an error or a case needs it.
    let parent: String
    let index: Int
    let memo: NormalisationMemo?
    /// The string values by key, as they came, kept apart from the others (nulls, numbers,
    /// lists): nearly every value is a string, and a string needs no cast from `Any`.
    private var texts: [(key: String, value: String)] = []
    private var others: [(key: String, value: Any)] = []

    init(file: String, parent: String, index: Int, memo: NormalisationMemo?) {
        self.file = file
        self.parent = parent
        self.index = index
        self.memo = memo
        texts.reserveCapacity(8)
    }

    var path: String { "\(parent)[\(index)]" }

    /// A repeated key replaces the value (the last one wins, as in a dictionary).
    mutating func set(_ key: String, text: String) {
        others.removeAll { $0.key == key }
        if let i = texts.firstIndex(where: { $0.key == key }) { texts[i].value = text } else { texts.append((key, text)) }
    }

    mutating func set(_ key: String, other: Any) {
        texts.removeAll { $0.key == key }
        if let i = others.firstIndex(where: { $0.key == key }) { others[i].value = other } else { others.append((key, other)) }
    }

    func value(_ key: String) -> Any? {
        if let i = texts.firstIndex(where: { $0.key == key }) { return texts[i].value }
        return others.first { $0.key == key }?.value
    }

    /// The event's path and a value in it, as the document-wide reader names them in errors.
    func fields(_ key: String) -> JSONFields { JSONFields(file: file, path: JSONFields.join(path, key), value: value(key)) }

    func string(_ key: String) throws(TMDiagError) -> String? {
        if let i = texts.firstIndex(where: { $0.key == key }) {
            let t = texts[i].value.trimmingSpaces
            return t.isEmpty ? nil : t
        }
        guard others.contains(where: { $0.key == key }) else { return nil }
        return try fields(key).string()
    }

    func strings(_ key: String) throws(TMDiagError) -> [String] {
        // Every event is asked for its reports; most have none.
        guard texts.contains(where: { $0.key == key }) || others.contains(where: { $0.key == key }) else { return [] }
        return try fields(key).stringList()
    }

    func fail(_ key: String, _ what: String) -> TMDiagError { fields(key).failHere(what) }
}

extension JSONImporter {
    /// The event's field names, searched in order: a few string comparisons cost less than
    /// hashing the key.
    static let eventFieldNames = EventField.allCases.map(\.rawValue)

    /// Reads one event object. Keys are checked as they come (a key named like a secret stops
    /// the import at once, as anywhere in the document); an unknown field is refused once the
    /// object is read, naming the first unknown key in sorted order, so that a syntax error
    /// later in the object is the one reported, as when events were read whole.
    func readEvent(parent: String, index: Int) throws -> JSONEventFields {
        var e = JSONEventFields(file: shown, parent: parent, index: index, memo: memo)
        guard try reader.peekKind() == .object else {
            let v = try value(e.path)
            throw JSONFields(file: shown, path: e.path, value: v).failHere("must be an object, not \(JSONFields.typeName(v))")
        }
        var unknown: [String] = []
        try reader.readObject { key in
            let known = Self.eventFieldNames.contains(key)
            if !known {
                try refuseSecret(parent: e.path, key: key)
                unknown.append(key)
            }
            // Strings, nearly every value, are taken as they are; only objects and arrays
            // need a path (for the keys inside them).
            switch try reader.peekKind() {
            case .string:
                let text = try reader.readString()
                if known { e.set(key, text: text) }
            case let kind:
                let v = try value(kind == .object || kind == .array ? JSONFields.join(e.path, key) : "")
                if known { e.set(key, other: v) }
            }
        }
        if let first = unknown.min() {
            throw e.fail(first, "unknown field (expected one of \(EventField.names.sorted().joined(separator: ", ")))")
        }
        return e
    }
}
