// The PostgreSQL backend is built with the PostgreSQL trait (on by default; Package.swift).
#if PostgreSQL
import PostgresNIO

/// Rows of a bulk insert gathered as one array per column, in PostgreSQL's binary array form,
/// written as each row arrives: the statement binds one parameter per column whatever the
/// number of rows, and `unnest` turns them back into rows. Binary, not an array literal: no
/// value is quoted or escaped, so none can be read as syntax, and the server copies elements
/// instead of parsing them.
struct PostgresColumnArrays {
    private var columns: [PostgresColumnArray] = []
    private(set) var count = 0

    mutating func append(_ row: [StoredValue]) {
        if count == 0 { columns = row.map(PostgresColumnArray.init(holding:)) }
        for (i, value) in row.enumerated() { columns[i].append(value) }
        count += 1
    }

    /// The parameters and `unnest` arguments of the gathered rows; empties the arrays.
    mutating func take() -> (parameters: [PostgresParameter], unnestArguments: String) {
        defer { columns = []; count = 0 }
        let arguments = columns.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
        return (columns.map(PostgresParameter.array), arguments)
    }
}

/// One column: a one-dimensional array of text or bigint elements, NULLs allowed.
struct PostgresColumnArray: PostgresDynamicTypeEncodable, Sendable {
    private let element: PostgresDataType
    private var count: Int32 = 0
    private var hasNull = false
    /// Each element as its length (-1 for NULL) and bytes, as the binary form lays them out.
    private var elements = ByteBufferAllocator().buffer(capacity: 16 * 1024)

    /// An empty column of the kind of `value` (a column's kind is the schema's, one per column).
    init(holding value: StoredValue) {
        if case .text = value { element = .text } else { element = .int8 }
    }

    var psqlType: PostgresDataType { element == .text ? .textArray : .int8Array }
    var psqlFormat: PostgresFormat { .binary }

    mutating func append(_ value: StoredValue) {
        count += 1
        switch value {
        case .text(nil), .integer(nil):
            hasNull = true
            elements.writeInteger(Int32(-1))
        case .integer(let v?):
            elements.writeInteger(Int32(8))
            elements.writeInteger(v)
        case .text(let v?):
            elements.writeInteger(Int32(v.utf8.count))
            elements.writeString(v)
        }
    }

    /// The header (one dimension, the NULL flag, the element type, the length, lower bound 1),
    /// then the elements.
    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        buffer.writeInteger(Int32(1))
        buffer.writeInteger(Int32(hasNull ? 1 : 0))
        buffer.writeInteger(element.rawValue)
        buffer.writeInteger(count)
        buffer.writeInteger(Int32(1))
        buffer.writeImmutableBuffer(elements)
    }
}
#endif
