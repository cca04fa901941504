import Foundation
import Modem
import Testing

/// The one line a user who may not open a modem's ports gets from `devices` (and, through
/// PortAccess.describe, from `probe` and `report`).
@Suite("Port permission hint")
struct PortPermissionTests {
    @Test func oneDeniedPortNamesItsGroupAndTheCommandToJoinIt() throws {
        let hint = try #require(PortPermission.hint([("/dev/ttyUSB2", "dialout")]))
        #expect(hint.contains("/dev/ttyUSB2"))
        #expect(hint.contains("'dialout'"))
        #expect(hint.contains("sudo usermod -aG dialout $USER"))
        #expect(!hint.contains("\n"), "one line")
    }

    @Test func severalPortsAndGroupsStayOneLine() throws {
        let hint = try #require(PortPermission.hint([("/dev/ttyUSB2", "dialout"), ("/dev/ttyUSB3", "dialout"),
                                                     ("/dev/cdc-wdm0", "plugdev")]))
        #expect(hint.contains("/dev/ttyUSB2 and 2 more ports"))
        #expect(hint.contains("sudo usermod -aG dialout $USER && sudo usermod -aG plugdev $USER"))
        #expect(!hint.contains("\n"))
    }

    @Test func nothingDeniedSaysNothing() {
        #expect(PortPermission.hint([]) == nil)
        // A port that is gone is not a permission problem.
        #expect(PortPermission.denied(["/dev/tmdiag-no-such-port"]).isEmpty)
    }

    @Test(.enabled(if: getuid() != 0, "running as root, who may open every file; a denied port cannot be made here"))
    func aNodeThisUserCannotOpenIsDeniedWithItsOwningGroup() throws {
        let path = NSTemporaryDirectory() + "tmdiag-denied-\(getpid())"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(), attributes: [.posixPermissions: 0]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let denied = PortPermission.denied([path])
        #expect(denied.map(\.path) == [path])
        let group = try #require(getgrgid(getgid())).pointee.gr_name.map { String(cString: $0) }
        #expect(denied.first?.group == group)
    }
}
