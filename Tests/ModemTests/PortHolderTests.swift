import Foundation
import TMDiagCore
import Glibc
import Testing
@testable import Modem
import Kit

/// tmdiag never joins a port another program is using: it names that program instead. The
/// other program here is a real process (`sleep`) holding a real pseudo-terminal that a fake
/// modem answers on.
@Suite("Ports held by other programs", .serialized)
struct PortHolderTests {
    @Test func aProgramWithThePortOpenIsNamedAndTheProbeStaysOff() throws {
        let modem = try FakeModem()
        let sleeper = try holdOpen(modem.slavePath)
        defer { stop(sleeper) }

        let holders = PortHolders.find(modem.slavePath)
        let h = try #require(holders.first { $0.pid == sleeper.processIdentifier })
        #expect(h.name == "sleep")
        #expect(h.how == .open)
        #expect(!holders.contains { $0.pid == getpid() }, "tmdiag's own descriptors are not another program's")

        do {
            _ = try Prober.probe(port: modem.slavePath, options: ProbeOptions(timeout: .seconds(2)),
                                 catalog: testCatalog, operators: testData.operators)
            Issue.record("the probe went ahead on a port another program holds")
        } catch {
            #expect(error.status == .unavailable)
            #expect(error.message.contains("sleep (pid \(sleeper.processIdentifier)) has it open"))
            #expect(error.message.contains("close sleep"))
        }
        #expect(modem.received.isEmpty, "nothing was written to the held port")
    }

    @Test func aLinkToThePortLeadsToTheSameHolder() throws {
        let modem = try FakeModem()
        let sleeper = try holdOpen(modem.slavePath)
        defer { stop(sleeper) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tmdiag-by-id-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = dir.appendingPathComponent("usb-Quectel_EG25-if02-port0").path
        // Relative, as udev makes them (../../ttyUSB2).
        let up = String(repeating: "../", count: dir.path.split(separator: "/").count)
        #expect(symlink(up + String(modem.slavePath.dropFirst()), link) == 0)
        #expect(PortHolders.resolvingLinks(link) == modem.slavePath)
        #expect(PortHolders.find(link).contains { $0.pid == sleeper.processIdentifier })
    }

    @Test func aUUCPLockFileNamesItsOwnerWhileItLives() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tmdiag-lock-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let owner = Process()
        owner.executableURL = URL(fileURLWithPath: "/bin/sleep")
        owner.arguments = ["30"]
        try owner.run()
        // minicom's form: the pid in ten columns and a newline.
        try String(format: "%10d\n", owner.processIdentifier).write(toFile: dir.path + "/LCK..ttyUSB7", atomically: true, encoding: .utf8)
        let holders = PortHolders.find("/dev/ttyUSB7", lockDirs: [dir.path])
        #expect(holders.map(\.pid) == [owner.processIdentifier])
        #expect(holders.first?.how == .lockFile)
        #expect(holders.first?.name == "sleep")
        stop(owner)
        #expect(PortHolders.find("/dev/ttyUSB7", lockDirs: [dir.path]).isEmpty, "a stale lock file names nobody")
    }

    /// The kernel's own `/proc/locks` line for a lock this process takes.
    @Test func flockHoldersAreReadFromProcLocks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tmdiag-flock-\(getpid())").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        defer { unlink(path) }
        let fd = open(path, O_RDWR)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        var st = stat()
        #expect(stat(path, &st) == 0)
        let text = try #require(PortHolders.readSmallFile("/proc/locks"))
        #expect(PortHolders.lockers(in: text, device: st.st_dev, inode: st.st_ino) == [getpid()])
        #expect(PortHolders.lockers(in: text, device: st.st_dev, inode: st.st_ino + 1).isEmpty)
    }

    @Test func theMessageTellsHowToFreeThePort() {
        let mm = PortAccess.held("/dev/ttyUSB2", by: [PortHolder(pid: 812, name: "ModemManager", how: .open)])
        #expect(mm.message.contains("ModemManager (pid 812) has it open"))
        #expect(mm.message.contains("mmcli"))
        let term = PortAccess.held("/dev/ttyUSB2", by: [PortHolder(pid: 4242, name: "minicom", how: .lockFile)])
        #expect(term.message == "/dev/ttyUSB2: in use: minicom (pid 4242) holds its lock file; tmdiag does not share a port: close minicom and try again")
        #expect(term.status == .unavailable)
    }
}
