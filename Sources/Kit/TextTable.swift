import TMDiagCore
/// A plain text table: columns padded to their widest cell, every cell already escaped. When
/// the table is wider than `width`, the flexible column (a device name, say) wraps inside its
/// cell, so the table stays readable at 80 columns with every column in place.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]] = []
    /// The column that wraps when the table is too wide.
    public var flexible: Int?
    public var width: Int
    public init(header: [String], flexible: Int? = nil, width: Int = TextWrap.width) {
        self.header = header
        self.flexible = flexible
        self.width = width
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    static let gap = 2

    public func render(bold: Bool = false) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        if let f = flexible, f < widths.count {
            let others = widths.enumerated().filter { $0.offset != f }.map(\.element).reduce(0, +)
            let room = width - others - Self.gap * (widths.count - 1)
            widths[f] = max(min(widths[f], room), 12)
        }
        var out = ""
        for (n, r) in all.enumerated() {
            // Each cell as lines: only the flexible column has more than one.
            let cells: [[String]] = r.enumerated().map { i, c in
                i == flexible && c.count > widths[i] ? TextWrap.wrap(c, width: widths[i]) : [c]
            }
            for k in 0..<(cells.map(\.count).max() ?? 1) {
                var line = ""
                for (i, lines) in cells.enumerated() {
                    let c = k < lines.count ? lines[k] : ""
                    line += i == cells.count - 1 ? c : c + String(repeating: " ", count: max(0, widths[i] - c.count) + Self.gap)
                }
                while line.last == " " { line.removeLast() }
                out += (n == 0 && bold ? "\u{1B}[1m" + line + "\u{1B}[0m" : line) + "\n"
            }
        }
        return out
    }
}
