import Foundation
import TMDiagCore

/// Whether this user may open a modem's ports, and if not, the one line that says which
/// group to join: a denied port is the commonest first-run failure on a desktop, and the fix
/// (group membership) is not something tmdiag may do itself.
public enum PortPermission {
    /// The ports among `paths` this user cannot open for reading and writing, with the group
    /// owning each (`dialout` on Debian for serial ttys; whatever group owns the node otherwise).
    public static func denied(_ paths: [String]) -> [(path: String, group: String)] {
        paths.compactMap { path in
            guard access(path, R_OK | W_OK) != 0, errno == EACCES || errno == EPERM else { return nil }
            return (path, PortAccess.ownerGroup(path) ?? "dialout")
        }
    }

    /// One line naming the group and the command that joins it, or nil when nothing is denied.
    public static func hint(_ denied: [(path: String, group: String)]) -> String? {
        guard !denied.isEmpty else { return nil }
        let groups = denied.map(\.group).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let ports = denied.map { TerminalText.escape($0.path) }
        let what = ports.count == 1 ? ports[0] : "\(ports[0]) and \(ports.count - 1) more port\(ports.count == 2 ? "" : "s")"
        let join = groups.map { "sudo usermod -aG \(TerminalText.escape($0)) $USER" }.joined(separator: " && ")
        return "you cannot open \(what) (group \(groups.map { "'\(TerminalText.escape($0))'" }.joined(separator: ", "))): run `\(join)`, then log out and in again (or run tmdiag once with sudo)"
    }
}
