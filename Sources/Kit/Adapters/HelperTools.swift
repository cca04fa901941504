import Foundation
import Subprocess
import TMDiagCore

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Running the helper programs users already have (adb, ideviceinfo, mmcli, the clipboard
/// tools): found on PATH, started directly (never through a shell), each with a deadline.
///
/// Children run through swift-subprocess: the child lives inside one `run` call, its output
/// is collected with a limit (more is a failure, not a silent cut), and a child past its
/// deadline is asked to stop (SIGTERM), then killed half a second later if it has not.
public enum HelperTools {
    public static let known = ["adb", "ideviceinfo", "mmcli"]

    /// More output than this from one stream is an error: no tool tmdiag asks writes as much.
    public static let outputLimit = 4 << 20
    /// How long a child has between SIGTERM and SIGKILL.
    static let graceAfterTerm: Duration = .milliseconds(500)

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

    /// Runs `path args` with `input` on its standard input (none: empty) and collects its
    /// output. Nil when it cannot start or writes more than `outputLimit`; `timedOut` (and no
    /// output) when it was still running at the deadline and was stopped.
    public static func run(_ path: String, _ args: [String], input: String? = nil, timeout: Duration) async -> Output? {
        let finished = await beforeDeadline(timeout) { () async -> Output? in
            do {
                let r = try await Subprocess.run(.path(FilePath(path)), arguments: Arguments(args),
                                                 platformOptions: teardown, input: .string(input ?? ""),
                                                 output: .string(limit: outputLimit), error: .string(limit: outputLimit))
                return Output(status: r.terminationStatus.code, stdout: r.standardOutput, stderr: r.standardError,
                              timedOut: false)
            } catch {
                // Could not start, wrote too much, or was stopped at the deadline.
                return nil
            }
        }
        guard let finished else { return Output(status: -1, stdout: "", stderr: "", timedOut: true) }
        return finished
    }

    /// Runs `path args` with `input` on its standard input and its output thrown away (for
    /// tools that leave a child behind holding their output, as the clipboard tools do):
    /// its exit status, or nil when it could not start or was stopped at the deadline.
    public static func status(_ path: String, _ args: [String], input: String, timeout: Duration) async -> Int32? {
        let finished = await beforeDeadline(timeout) { () async -> Int32? in
            do {
                return try await Subprocess.run(.path(FilePath(path)), arguments: Arguments(args), platformOptions: teardown,
                                                input: .string(input), output: .discarded, error: .discarded)
                    .terminationStatus.code
            } catch {
                return nil
            }
        }
        return finished ?? nil
    }

    /// Asked of a child still running when its task is cancelled: SIGTERM, then (always) SIGKILL.
    static var teardown: PlatformOptions {
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: graceAfterTerm)]
        return options
    }

    /// What `work` returned, or nil when `timeout` passed first; `work` is then cancelled
    /// (which tears its child down) and waited for.
    static func beforeDeadline<T: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: DeadlineStep<T>.self) { group in
            group.addTask { .finished(await work()) }
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return .sleepCancelled }
                return .deadline
            }
            defer { group.cancelAll() }
            while let step = await group.next() {
                switch step {
                case .finished(let value): return value
                case .deadline: return nil
                case .sleepCancelled: continue
                }
            }
            return nil
        }
    }
}

/// What ends first in `beforeDeadline`: the work, the deadline, or (when the work won) the sleep.
private enum DeadlineStep<T: Sendable>: Sendable { case finished(T), deadline, sleepCancelled }

extension TerminationStatus {
    /// The exit code, or 128 + the signal as a shell shows it.
    var code: Int32 {
        switch self {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }
}
