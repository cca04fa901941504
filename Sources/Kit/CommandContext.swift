import Foundation
import TMDiagCore

/// What every command knows about how it was asked to run.
public struct CommandContext: Sendable {
    public var storePath: String?
    public var json: Bool
    public var noColor: Bool
    public var environment: [String: String]

    public init(storePath: String?, json: Bool, noColor: Bool,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.storePath = storePath
        self.json = json
        self.noColor = noColor
        self.environment = environment
    }

    /// `--store`, else `TMDIAG_STORE`, else `$XDG_DATA_HOME/tmdiag/tmdiag.sqlite`
    /// (`~/.local/share/tmdiag/tmdiag.sqlite` when XDG_DATA_HOME is unset).
    public var resolvedStorePath: String {
        if let s = storePath, !s.isEmpty { return s }
        if let s = environment["TMDIAG_STORE"], !s.isEmpty { return s }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
        return base + "/tmdiag/tmdiag.sqlite"
    }

    /// Colour only on a terminal, and never with `--no-color` or a non-empty `NO_COLOR`
    /// (no-color.org: an empty value does not count).
    public func useColor(fd: Int32 = 1) -> Bool { wantsColor(onTerminal: isatty(fd) == 1) }

    /// The decision itself, apart from asking the file descriptor.
    public func wantsColor(onTerminal: Bool) -> Bool {
        !noColor && (environment["NO_COLOR"] ?? "").isEmpty && onTerminal && environment["TERM"] != "dumb"
    }
}

public enum TMDiagVersion {
    /// What `tmdiag --version` prints: `0.1.0 (commit 1a2b3c4d5e6f)`.
    public static var string: String { "\(TMDiag.version) (commit \(TMDiag.commit))" }
}
