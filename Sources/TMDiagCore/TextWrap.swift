/// Words wrapped to a terminal's width. Every command's text output is readable at 80
/// columns; the ticket uses 72 so that it survives being quoted in an email.
public enum TextWrap {
    public static let width = 80

    /// Greedy word wrap; words longer than the width are cut.
    public static func wrap(_ line: String, width: Int = TextWrap.width, hanging: String = "") -> [String] {
        var out: [String] = []
        var current = ""
        var currentCount = 0
        // The leading indentation of the line is kept as is.
        let leading = line.prefix { $0 == " " }
        let words = line.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: true)
        current = String(leading)
        currentCount = leading.count
        var lineHasWord = false
        for wordSub in words {
            var word = Substring(wordSub)
            while !word.isEmpty {
                let need = (lineHasWord ? 1 : 0) + word.count
                if currentCount + need <= width {
                    if lineHasWord { current += " "; currentCount += 1 }
                    current += word
                    currentCount += word.count
                    lineHasWord = true
                    word = ""
                } else if !lineHasWord || word.count > width - hanging.count {
                    // Cut the word to fill this line.
                    let room = max(1, width - currentCount - (lineHasWord ? 1 : 0))
                    if lineHasWord { current += " "; currentCount += 1 }
                    current += word.prefix(room)
                    word = word.dropFirst(room)
                    out.append(current)
                    current = hanging
                    currentCount = hanging.count
                    lineHasWord = false
                } else {
                    out.append(current)
                    current = hanging
                    currentCount = hanging.count
                    lineHasWord = false
                }
            }
        }
        if lineHasWord || out.isEmpty { out.append(current) }
        return out.map(\.trimmingSpacesRight)
    }

    /// Several lines, each wrapped under its own indentation plus `extra` columns: a list whose
    /// items are `  date  kind  text` keeps its continuation lines inside the item.
    public static func wrappingEachLine(_ text: String, width: Int = TextWrap.width, extra: Int = 4) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
            let indent = line.prefix { $0 == " " }.count
            return wrap(String(line), width: width, hanging: String(repeating: " ", count: indent + extra))
        }.joined(separator: "\n")
    }

    /// Several lines, each wrapped with the same hanging indent.
    public static func wrapping(_ text: String, width: Int = TextWrap.width, hanging: String = "") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { wrap(String($0), width: width, hanging: hanging) }.joined(separator: "\n")
    }
}

extension String {
    public var trimmingSpacesRight: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
