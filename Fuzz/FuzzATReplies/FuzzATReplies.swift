import Kit
import Modem

// libFuzzer target: the AT reply parsers. The input is one exchange as lines: the command,
// then its reply lines; the last line, when it is a final result code, ends it. Every line
// also goes through the unsolicited-line and final-result parsers on its own.

private let data = DataSources()
private let catalog = data.lazyCatalog()

func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) -> Int32 {
    let text = String(decoding: input, as: UTF8.self)
    var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    guard !lines.isEmpty else { return 0 }
    let command = lines.removeFirst()
    var final = FinalResult.ok
    if let last = lines.last, let f = FinalResult.parse(last) {
        final = f
        lines.removeLast()
    }
    var builder = FactsBuilder(catalog: catalog, operators: data.operators)
    builder.add(ATExchange(command: command, lines: lines, final: final))
    builder.add(ATExchange(command: command, lines: lines, final: .timeout), optional: true)
    for line in lines {
        builder.addURC(line)
        _ = FinalResult.parse(line, numericMode: true)
        _ = ATParams.values(line)
    }
    return 0
}
