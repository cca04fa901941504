import Foundation

/// The package's root folder, found from this file's path (Tests/Support/TestSupport/).
public let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
}()

/// What a spawned program did.
public struct Spawned: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String
    public var seconds: Double
    public var text: String { String(decoding: stdout, as: UTF8.self) }
    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: stdout) as? [String: Any] }
}

/// Runs a program the way the end-to-end tests need: the test process's umockdev variables
/// removed (each test brings its own emulation), the shipped profiles, no user profiles,
/// `NO_COLOR`, plus `environment`.
public func spawn(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Spawned {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "UMOCKDEV_DIR")
    env.removeValue(forKey: "LD_PRELOAD")
    env["TMDIAG_PROFILES"] = packageRoot + "/Profiles"
    env["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "tmdiag-tests-no-user-config"
    env["NO_COLOR"] = "1"
    env.merge(environment) { _, new in new }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let started = Date()
    try p.run()
    // Read both pipes at once so that a chatty stderr cannot block the child.
    let errBox = Box()
    let reader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    while errBox.data == nil { usleep(1000) }
    return Spawned(status: p.terminationStatus, stdout: o, stderr: String(decoding: errBox.data ?? Data(), as: UTF8.self),
                   seconds: Date().timeIntervalSince(started))
}

final class Box: @unchecked Sendable { var data: Data? }

/// The built binaries the tests drive.
public enum Built {
    public static let tmdiag = packageRoot + "/.build/debug/tmdiag"
    public static let bed = packageRoot + "/.build/debug/fakemodem-bed"
    public static let umockdevRun = ["/usr/bin/umockdev-run", "/usr/local/bin/umockdev-run"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
