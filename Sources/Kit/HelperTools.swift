import Foundation

/// Running the helper programs users already have (adb, ideviceinfo, mmcli): found on PATH,
/// started directly (never through a shell), each with a deadline.
public enum HelperTools {
    public static let known = ["adb", "ideviceinfo", "mmcli"]

    /// The full path of `name` on PATH, if it is there and executable.
    public static func find(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
    }

    /// Runs `path args` and collects its output; kills it at the deadline.
    public static func run(_ path: String, _ args: [String], timeout: Duration) -> Output? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in done.signal() }
        do { try p.run() } catch { return nil }
        let outBox = DataBox(), errBox = DataBox()
        let readers = DispatchGroup()
        for (pipe, box) in [(out, outBox), (err, errBox)] {
            readers.enter()
            DispatchQueue.global().async {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile().prefix(4 << 20)
                readers.leave()
            }
        }
        var timedOut = false
        if done.wait(timeout: .now() + .milliseconds(timeout.milliseconds)) == .timedOut {
            timedOut = true
            p.terminate()
            if done.wait(timeout: .now() + .milliseconds(500)) == .timedOut { kill(p.processIdentifier, SIGKILL); done.wait() }
        }
        _ = readers.wait(timeout: .now() + .seconds(1))
        return Output(status: p.terminationStatus, stdout: String(decoding: outBox.data, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self), timedOut: timedOut)
    }

    final class DataBox: @unchecked Sendable { var data = Data() }
}
