import Foundation
import History
import TMDiagCore

/// A fresh directory under the system temporary directory, removed by the caller's `defer`.
func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tmdiag-history-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let fixtures = packageRoot.appendingPathComponent("Fixtures/history")

func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

let goodFixtures = ["consumer.json", "business.json", "roaming.json", "sim-swap-no-service.json", "outage.json"]

/// A store in a temporary directory; `dir` is removed by `cleanup()`.
struct TempStore {
    let dir: URL
    let path: String
    let store: HistoryStore

    init(importing files: [String] = []) throws {
        dir = temporaryDirectory()
        path = dir.appendingPathComponent("nested/dir/tmdiag.sqlite").path
        store = try HistoryStore.open(path: path)
        for f in files { _ = try store.importFile(fixture(f)) }
    }

    func cleanup() { try? FileManager.default.removeItem(at: dir) }

    /// Everything the store holds, to compare before and after a failed import.
    func snapshot() throws -> String {
        let json = String(decoding: try store.exportJSON(), as: UTF8.self)
        let c = try store.counts()
        return "\(c)\n\(json)"
    }
}

func write(_ text: String, to dir: URL, name: String) -> String {
    let p = dir.appendingPathComponent(name).path
    _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
    return p
}

/// Runs the built binary with a store; returns (status, stdout, stderr).
func runTMDiag(_ args: [String], store: String, environment extra: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let binary = packageRoot.appendingPathComponent(".build/debug/tmdiag")
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["TMDIAG_STORE"] = store
    env["NO_COLOR"] = "1"
    for (k, v) in extra { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

var binaryExists: Bool { FileManager.default.isExecutableFile(atPath: packageRoot.appendingPathComponent(".build/debug/tmdiag").path) }
