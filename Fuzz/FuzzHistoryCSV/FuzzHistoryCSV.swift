import Foundation
import History
import TMDiagCore

// libFuzzer target: the history CSV importers (service events and the TAC table), into a
// temporary SQLite store that holds the accounts of Fixtures/history/consumer.json, so that
// event rows can name an account that exists.

private let store: HistoryStore = {
    let dir = NSTemporaryDirectory() + "tmdiag-fuzz-history-csv-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    do {
        let s = try HistoryStore.open(path: dir + "/history.sqlite")
        if let accounts = ProcessInfo.processInfo.environment["TMDIAG_FUZZ_ACCOUNTS"] {
            _ = try s.importFile(accounts)
        }
        return s
    } catch {
        fatalError("\(error)")
    }
}()

func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) -> Int32 {
    let data = Data(input)
    _ = try? store.importEvents(csv: data, file: "fuzz.csv")
    _ = try? store.importTAC(csv: data, file: "fuzz.csv")
    return 0
}
