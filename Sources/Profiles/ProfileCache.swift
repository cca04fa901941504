import Foundation
import TMDiagCore

/// Parsed device profiles kept as JSON in the user's cache folder
/// (`$XDG_CACHE_HOME/tmdiag/device-profiles.json`), keyed by every profile file's path, size
/// and modification time and by tmdiag's version: parsing the YAML costs more than a whole USB
/// scan, and the files rarely change. A cache that cannot be read or written is ignored.
public struct ProfileCache: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public static func standard(environment env: [String: String] = ProcessInfo.processInfo.environment) -> ProfileCache? {
        if env["TMDIAG_NO_CACHE"] != nil { return nil }
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? env["HOME"].map { $0 + "/.cache" }
        return base.map { ProfileCache(path: $0 + "/tmdiag/device-profiles.json") }
    }

    struct File: Codable {
        var key: String
        var profiles: DeviceProfiles
    }

    /// What the cached parse depends on: each file's path, size and mtime, and the version.
    public static func key(for paths: [String]) -> String {
        var parts = [TMDiag.version]
        for p in paths {
            var st = stat()
            guard stat(p, &st) == 0 else { parts.append(p + ":missing"); continue }
            parts.append("\(p):\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)")
        }
        return SHA256.hex(Array(parts.joined(separator: "\n").utf8))
    }

    func read(key: String) -> DeviceProfiles? {
        guard let data = FileManager.default.contents(atPath: path),
              let f = try? JSONDecoder().decode(File.self, from: data), f.key == key else { return nil }
        return f.profiles
    }

    func write(_ profiles: DeviceProfiles, key: String) {
        guard let data = try? JSONEncoder().encode(File(key: key, profiles: profiles)) else { return }
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }
}
