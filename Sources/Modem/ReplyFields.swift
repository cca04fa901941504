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
