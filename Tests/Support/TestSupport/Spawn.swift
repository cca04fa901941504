import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

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
/// `NO_COLOR`, plus `environment`. Both output streams are collected at once (a chatty stderr
/// cannot block the child), up to 64 MiB each.
public func spawn(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Spawned {
    var env: [Environment.Key: String?] = [
        "UMOCKDEV_DIR": nil,
        "LD_PRELOAD": nil,
        "TMDIAG_PROFILES": packageRoot + "/Profiles",
        "XDG_CONFIG_HOME": NSTemporaryDirectory() + "tmdiag-tests-no-user-config",
        "NO_COLOR": "1",
    ]
    for (k, v) in environment { env[Environment.Key(stringLiteral: k)] = v }
    let started = ContinuousClock.now
    let r = try await Subprocess.run(.path(FilePath(executable)), arguments: Arguments(arguments),
                                     environment: .inherit.updating(env),
                                     output: .bytes(limit: 64 << 20), error: .string(limit: 64 << 20))
    let status: Int32
    switch r.terminationStatus {
    case .exited(let code): status = code
    case .signaled(let signal): status = 128 + signal
    }
    let elapsed = started.duration(to: .now).components
    return Spawned(status: status, stdout: Data(r.standardOutput), stderr: r.standardError,
                   seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
}

/// The built binaries the tests drive.
public enum Built {
    /// The folder of the test bundle being run: `.build/debug`, or `.build-tsan/debug` under
    /// ThreadSanitizer, so that the programs spawned are built the same way as the tests.
    static let products: String = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path
        return FileManager.default.isExecutableFile(atPath: exe + "/tmdiag") ? exe : packageRoot + "/.build/debug"
    }()
    public static let tmdiag = products + "/tmdiag"
    public static let bed = products + "/fakemodem-bed"
    public static let umockdevRun = ["/usr/bin/umockdev-run", "/usr/local/bin/umockdev-run"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
