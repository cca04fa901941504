import Foundation
import Kit
import Modem
import TMDiagCore

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

    // As JSON with sorted keys: a dictionary's description lists its keys in an order that
    // differs from one instance to the next.
    func summary(_ d: LogDecoder) -> String {
        let json = (try? JSONCoding.encode(d.builder.facts, pretty: false)) ?? Data()
        let errors = (try? JSONCoding.encode(d.builder.errors, pretty: false)) ?? Data()
        return "\(String(decoding: json, as: UTF8.self))|\(String(decoding: errors, as: UTF8.self))|\(d.builder.urcCount)|\(d.lines)|\(d.exchanges)"
    }
    if summary(whole) != summary(pieces) {
        fatalError("a log cut at byte \(cut) decodes differently from the whole")
    }
    return 0
}
