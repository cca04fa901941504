import Foundation
import History
import TMDiagCore

// libFuzzer target: the history JSON importer, into a temporary SQLite store (one per
// process; what an input imports stays for the next, as in a real store).

private let store: HistoryStore = {
    let dir = NSTemporaryDirectory() + "tmdiag-fuzz-history-json-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    do { return try HistoryStore.open(path: dir + "/history.sqlite") } catch { fatalError("\(error)") }
}()

func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) -> Int32 {
    _ = try? store.importHistory(json: Data(input), file: "fuzz.json")
    return 0
}
