import Foundation
import TMDiagCore

/// Parsed data files (device profiles, the error catalog, the operator names, the diagnosis
/// rules) kept as JSON in the user's cache
/// folder (`$XDG_CACHE_HOME/tmdiag/<name>.json`), keyed by every source file's path, size and
/// modification time and by tmdiag's version: parsing the YAML costs more than a whole USB scan
/// or a 20 MB log, and the files rarely change. A cache that cannot be read or written is
/// ignored; `TMDIAG_NO_CACHE=1` turns it off.
public struct ParsedCache<Value: Codable>: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public static func standard(_ name: String, environment env: [String: String] = ProcessInfo.processInfo.environment) -> ParsedCache? {
        if env["TMDIAG_NO_CACHE"] != nil { return nil }
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? env["HOME"].map { $0 + "/.cache" }
        return base.map { ParsedCache(path: $0 + "/tmdiag/\(name).json") }
    }

    struct File: Codable {
        var key: String
        var value: Value
    }

    /// What the cached parse depends on: each file's path, size and mtime (or the build's
    /// fingerprint for built-in files), and the version.
    public static func key(for paths: [String]) -> String {
        var parts = [TMDiag.version]
        for p in paths { parts.append(ProfileLocations.signature(p)) }
        return SHA256.hex(Array(parts.joined(separator: "\n").utf8))
    }

    func read(key: String) -> Value? {
        guard let data = FileManager.default.contents(atPath: path),
              let f = try? JSONDecoder().decode(File.self, from: data), f.key == key else { return nil }
        return f.value
    }

    func write(_ value: Value, key: String) {
        guard let data = try? JSONEncoder().encode(File(key: key, value: value)) else { return }
        let url = URL(fileURLWithPath: path)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }

    /// The cached value for `paths`, or `parse()`'s, which is then cached (a parse that
    /// throws caches nothing).
    func value<E: Error>(for paths: [String], parse: () throws(E) -> Value) throws(E) -> Value {
        let key = Self.key(for: paths)
        if let hit = read(key: key) { return hit }
        let parsed = try parse()
        write(parsed, key: key)
        return parsed
    }
}
