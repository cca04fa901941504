import Foundation
import Testing
import TestSupport

/// A user who may not open the modem's port: `tmdiag devices` says which group to join.
/// Run as `nobody` (root may open everything) inside umockdev, with the emulated port's mode
/// taken away.
@Suite("tmdiag devices for a user who may not open the port")
struct PortPermissionEndToEndTests {
    static let runuser = ["/usr/sbin/runuser", "/sbin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let canRun = getuid() == 0 && runuser != nil && Built.umockdevRun != nil

    @Test(.enabled(if: canRun, "needs root (to become nobody), runuser and umockdev-run; skipped"))
    func devicesNamesTheGroupAndTheCommandToJoinIt() async throws {
        let fixture = packageRoot + "/Fixtures/devices/quectel-ec25.umockdev"
        let r = try await spawn(Self.runuser!, ["-u", "nobody", "--", "env", "HOME=/tmp", Built.umockdevRun!, "--device", fixture, "--",
                                          "sh", "-c", "chmod 000 \"$UMOCKDEV_DIR/dev/ttyUSB2\" && exec \"$0\" devices", Built.tmdiag])
        #expect(r.status == 0, "\(r.stderr)")
        let note = try #require(r.text.split(separator: "\n").first { $0.hasPrefix("note: ") }, "\(r.text)\(r.stderr)")
        #expect(note.contains("/dev/ttyUSB2"))
        #expect(note.contains("sudo usermod -aG "))
        #expect(r.text.contains("Quectel EC25"))
    }
}
