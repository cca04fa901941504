// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
/// Rows of a bulk insert gathered as one PostgreSQL array literal per column (`{"a","b\"c",NULL}`,
/// `{1,NULL}`), written byte by byte as each row arrives: the statement binds one text
/// parameter per column whatever the number of rows, and `unnest` turns them back into rows.
/// Every text element is quoted, with `"` and `\` escaped, so no value can be read as syntax.
struct PostgresColumnArrays {
    private var literals: [[UInt8]] = []
    /// Whether each column holds text (else bigint), from the first row: a column's kind is
    /// the schema's, the same for every row.
    private var isText: [Bool] = []
    private(set) var count = 0

    mutating func append(_ row: [StoredValue]) {
        if count == 0 {
            literals = row.map { _ in [UInt8(ascii: "{")] }
            isText = row.map { if case .text = $0 { true } else { false } }
        }
        for (i, value) in row.enumerated() {
            if count > 0 { literals[i].append(UInt8(ascii: ",")) }
            switch value {
            case .text(nil), .integer(nil): literals[i].append(contentsOf: "NULL".utf8)
            case .integer(let v?): literals[i].append(contentsOf: String(v).utf8)
            case .text(let v?):
                literals[i].append(UInt8(ascii: "\""))
                for byte in v.utf8 {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { literals[i].append(UInt8(ascii: "\\")) }
                    literals[i].append(byte)
                }
                literals[i].append(UInt8(ascii: "\""))
            }
        }
        count += 1
    }

    /// The parameters and `unnest` arguments of the gathered rows; empties the arrays.
    mutating func take() -> (parameters: [PostgresParameter], unnestArguments: String) {
        var parameters: [PostgresParameter] = []
        var casts: [String] = []
        for i in literals.indices {
            literals[i].append(UInt8(ascii: "}"))
            parameters.append(.text(String(decoding: literals[i], as: UTF8.self)))
            casts.append("$\(i + 1)::\(isText[i] ? "text" : "bigint")[]")
        }
        literals = []
        count = 0
        return (parameters, casts.joined(separator: ", "))
    }
}
#endif
