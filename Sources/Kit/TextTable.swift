/// A plain text table: columns padded to their widest cell, every cell already escaped.
public struct TextTable {
    public var header: [String]
    public var rows: [[String]] = []
    public init(header: [String]) { self.header = header }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render(bold: Bool = false) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for (n, r) in all.enumerated() {
            var line = ""
            for (i, c) in r.enumerated() {
                let padded = i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count + 2)
                line += padded
            }
            while line.last == " " { line.removeLast() }
            out += (n == 0 && bold ? "\u{1B}[1m" + line + "\u{1B}[0m" : line) + "\n"
        }
        return out
    }
}
