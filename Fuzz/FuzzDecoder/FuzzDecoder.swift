import Kit
import Modem

// libFuzzer target: the log decoder. Besides not crashing, a log read in two pieces cut at
// any byte must decode exactly as the whole (`decode` reads files in chunks).

private let data = DataSources()
private let catalog = data.lazyCatalog()

func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) -> Int32 {
    let builder = FactsBuilder(catalog: catalog, operators: data.operators)
    var whole = LogDecoder(builder: builder)
    whole.read(input)
    whole.finish()

    let cut = input.isEmpty ? 0 : Int(input[0]) * 31 % (input.count + 1)
    var pieces = LogDecoder(builder: builder)
    pieces.read(UnsafeBufferPointer(rebasing: input[..<cut]))
    pieces.read(UnsafeBufferPointer(rebasing: input[cut...]))
    pieces.finish()

    if whole.builder.facts != pieces.builder.facts || whole.builder.errors != pieces.builder.errors
        || whole.builder.urcCount != pieces.builder.urcCount || whole.lines != pieces.lines || whole.exchanges != pieces.exchanges {
        fatalError("a log cut at byte \(cut) decodes differently from the whole")
    }
    return 0
}
