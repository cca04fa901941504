import Foundation
import TMDiagCore

/// What the report says about the machine it ran on.
public enum HostProbe {
    public static func info(environment: [String: String] = ProcessInfo.processInfo.environment) -> HostInfo {
        var u = utsname()
        uname(&u)
        func field<T>(_ v: T) -> String {
            withUnsafeBytes(of: v) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        var tools: [String: String] = [:]
        for t in HelperTools.known { if let p = HelperTools.find(t, environment: environment) { tools[t] = p } }
        return HostInfo(os: osName(), kernel: field(u.release), arch: field(u.machine), tools: tools,
                        modemManagerRunning: modemManagerRunning())
    }

    /// PRETTY_NAME from /etc/os-release.
    static func osName() -> String? {
        guard let s = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) else { return nil }
        for line in s.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return String(line.dropFirst(12)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    /// Whether a process named ModemManager runs (it may hold the modem's ports).
    public static func modemManagerRunning() -> Bool {
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for pid in pids where pid.first?.isNumber == true {
            if let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8),
               comm.trimmingCharacters(in: .whitespacesAndNewlines) == "ModemManager" { return true }
        }
        return false
    }
}
