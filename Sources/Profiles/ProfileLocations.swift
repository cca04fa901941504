import Foundation

/// Where profile data lives: the shipped `Profiles/` folder and the user's own.
public struct ProfileLocations: Sendable {
    /// The shipped `Profiles/` folder (devices/, errors/, carriers/, rules/).
    public var shipped: String?
    /// `$XDG_CONFIG_HOME/tmdiag/profiles` (or `~/.config/...`): overrides shipped profiles by id.
    public var user: String?

    public init(shipped: String?, user: String?) {
        self.shipped = shipped
        self.user = user
    }

    /// `TMDIAG_PROFILES` if set; else `<prefix>/share/tmdiag/Profiles` next to the binary's
    /// `bin/`; else the first `Profiles/` found walking up from the binary (a build tree).
    public static func standard(environment env: [String: String] = ProcessInfo.processInfo.environment) -> ProfileLocations {
        let fm = FileManager.default
        var shipped: String?
        if let p = env["TMDIAG_PROFILES"], !p.isEmpty {
            shipped = p
        } else {
            let exe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
            var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
            let share = dir.deletingLastPathComponent().appendingPathComponent("share/tmdiag/Profiles").path
            if fm.fileExists(atPath: share + "/devices") {
                shipped = share
            } else {
                for _ in 0..<6 {
                    let candidate = dir.appendingPathComponent("Profiles").path
                    if fm.fileExists(atPath: candidate + "/devices") { shipped = candidate; break }
                    dir = dir.deletingLastPathComponent()
                }
            }
        }
        let configHome = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.config")
        return ProfileLocations(shipped: shipped, user: configHome + "/tmdiag/profiles")
    }

    /// YAML files of one kind (`devices`, `errors`, ...): shipped first, then the user's.
    func files(_ kind: String) -> [(path: String, display: String, user: Bool)] {
        var out: [(String, String, Bool)] = []
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
}
