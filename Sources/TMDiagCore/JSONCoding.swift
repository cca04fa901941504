import Foundation

/// One JSON dialect for everything tmdiag writes: sorted keys (stable diffs and digests),
/// ISO 8601 UTC dates, slashes unescaped.
public enum JSONCoding {
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                    : [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamp.format(date))
        }
        return e
    }

    public static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let c = try decoder.singleValueContainer()
            let s = try c.decode(String.self)
            guard let date = Timestamp.parse(s) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an ISO 8601 time: \(s)")
            }
            return date
        }
        return d
    }

    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        var data = try encoder(pretty: pretty).encode(value)
        if pretty { data.append(0x0A) }
        return data
    }
}

/// ISO 8601 in UTC, to the second: `2026-11-25T16:03:04Z`.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash)
            .time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    /// Accepts `2026-11-25T16:03:04Z`, with fractional seconds, with an offset, or a bare date.
    public static func parse(_ s: String) -> Date? {
        if let d = try? Date(s, strategy: .iso8601) { return d }
        if let d = try? Date(s, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return d }
        if s.count == 10, let d = try? Date(s, strategy: Date.ISO8601FormatStyle().year().month().day()) { return d }
        return nil
    }
}
