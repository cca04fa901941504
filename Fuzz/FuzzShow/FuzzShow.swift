import Foundation
import Kit
import History
import TMDiagCore

// libFuzzer target: what `tmdiag show FILE` reads — a saved report (JSON) or a ticket bundle
// (ZIP), told apart by their first bytes — checked and rendered.

private let data = DataSources()
private let path: String = NSTemporaryDirectory() + "tmdiag-fuzz-show-\(getpid())"

func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) -> Int32 {
    guard FileManager.default.createFile(atPath: path, contents: Data(input)) else {
        fatalError("cannot write \(path)")
    }
    _ = try? ShowPipeline.run(path, reveal: RevealSet(), store: { () throws(TMDiagError) -> HistoryStore? in nil }, data: data)
    return 0
}
