import EmbeddedProfiles
import Foundation

/// Where profile data lives: the shipped profiles (a `Profiles/` folder on disk, or the copy
/// built into the binary) and the user's own folder.
public struct ProfileLocations: Sendable {
    /// A `Profiles/` folder (devices/, errors/, carriers/, rules/) to read instead of the copy
    /// built into the binary; nil means the built-in copy.
    public var shipped: String?
    /// `$XDG_CONFIG_HOME/tmdiag/profiles` (or `~/.config/...`): overrides shipped profiles by id.
    public var user: String?

    /// Paths of built-in files start with this: no file on disk has such a path, so the
    /// loaders (and their error messages) can treat both kinds alike.
    static let builtInPrefix = "(built in)/"

    public init(shipped: String?, user: String?) {
        self.shipped = shipped
        self.user = user
    }

    /// `TMDIAG_PROFILES` if set, else the profiles built into the binary; the user's folder
    /// on top of either. A binary copied anywhere therefore finds its data.
    public static func standard(environment env: [String: String] = ProcessInfo.processInfo.environment) -> ProfileLocations {
        let shipped = env["TMDIAG_PROFILES"].flatMap { $0.isEmpty ? nil : $0 }
        let configHome = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
        return ProfileLocations(shipped: shipped, user: configHome + "/tmdiag/profiles")
    }

    /// Where the shipped profiles come from, for messages.
    public var shippedDescription: String { shipped ?? "the profiles built into tmdiag" }

    /// YAML files of one kind (`devices`, `errors`, ...): shipped first, then the user's.
    func files(_ kind: String) -> [(path: String, display: String, user: Bool)] {
        var out: [(String, String, Bool)] = []
        if shipped == nil {
            for p in EmbeddedProfiles.paths where p.hasPrefix(kind + "/") && !p.dropFirst(kind.count + 1).contains("/") {
                out.append((Self.builtInPrefix + p, p, false))
            }
        }
        for (base, isUser) in [(shipped, false), (user, true)] {
            guard let base else { continue }
            let dir = base + "/" + kind
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for n in names.sorted() where n.hasSuffix(".yaml") || n.hasSuffix(".yml") {
                out.append((dir + "/" + n, (isUser ? dir : kind) + "/" + n, isUser))
            }
        }
        return out
    }

    /// One shipped file by its path under `Profiles/` (`carriers/operators.yaml`), or nil.
    func shippedFile(_ relativePath: String) -> String? {
        guard let shipped else {
            return EmbeddedProfiles.paths.contains(relativePath) ? Self.builtInPrefix + relativePath : nil
        }
        return shipped + "/" + relativePath
    }

    /// The bytes of a path from `files` or `shippedFile`, built in or on disk.
    static func contents(_ path: String) -> Data? {
        if path.hasPrefix(builtInPrefix) {
            return EmbeddedProfiles.contents(String(path.dropFirst(builtInPrefix.count))).map { Data($0) }
        }
        return FileManager.default.contents(atPath: path)
    }

    /// What a cached parse of `path` depends on: its size and modification time on disk, the
    /// build's fingerprint for a built-in file (which cannot change under a running binary).
    static func signature(_ path: String) -> String {
        if path.hasPrefix(builtInPrefix) { return path + ":" + EmbeddedProfiles.fingerprint }
        var st = stat()
        guard stat(path, &st) == 0 else { return path + ":missing" }
        return "\(path):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }
}
