/// A prefixed reply line taken apart: `+CEREG: 2,1,"1A2B","01A2D001",7` → name `+CEREG`,
/// rest `2,1,"1A2B","01A2D001",7`, and the rest's values.
public struct ReplyFields: Sendable {
    public let name: String
    public let rest: String
    public let values: [ATParams.Value]

    public init?(_ line: String) {
        guard let (name, rest) = ATParams.split(line: line) else { return nil }
        self.name = name
        self.rest = rest
        values = ATParams.values(rest)
    }
}

/// Reply lines already taken apart, by their text. Logs and polling scripts send the same few
/// replies over and over (the signal moves between a handful of values, the cell rarely
/// changes), so each distinct line is split once. Bounded: when full it starts over, and
/// while lines hardly ever repeat it stands aside, so a log of all-new lines pays nothing.
struct ReplyFieldsCache: Sendable {
    private var entries: [String: ReplyFields?] = [:]
    private var gate = PayoffGate(hitsAtLeast: 1, outOf: 4, window: 8_192)
    static let capacity = 4_096

    mutating func fields(_ line: String) -> ReplyFields? {
        if !gate.isOpen {
            gate.skip()
            return ReplyFields(line)
        }
        if let cached = entries[line] {
            gate.count(hit: true)
            return cached
        }
        gate.count(hit: false)
        let f = ReplyFields(line)
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[line] = f
        return f
    }
}
