import FakeModemKit
import Foundation
import Glibc
import Testing
import TMDiagCore

@Suite("The message port MBIM and QMI share")
struct MessagePortTests {
    /// Four-byte length-prefixed frames, for the transport alone.
    static let framing = MessageFraming(name: "TEST", headerBytes: 4, minLength: 4, maxLength: 64) { h in
        Int(h[h.startIndex]) | Int(h[h.startIndex + 1]) << 8
    }

    @Test func messagesAreReassembledWhateverTheWriteBoundaries() throws {
        let pty = try FakePTY()
        let port = try MessagePort(device: pty.slavePath)
        // Two messages and the start of a third in one write, the rest later.
        let a: [UInt8] = [6, 0, 0, 0, 0xAA, 0xBB], b: [UInt8] = [4, 0, 9, 9], c: [UInt8] = [8, 0, 0, 0, 1, 2, 3, 4]
        let first = a + b + c.prefix(3)
        _ = first.withUnsafeBytes { write(pty.master, $0.baseAddress!, $0.count) }
        let deadline = ContinuousClock.now.advanced(by: .seconds(1))
        #expect(try port.readMessage(Self.framing, deadline: deadline) == a)
        #expect(try port.readMessage(Self.framing, deadline: deadline) == b)
        // Only part of c so far: a short deadline ends with what is known.
        #expect(throws: MessagePortError.timeout(path: pty.slavePath, partial: 3)) {
            try port.readMessage(Self.framing, deadline: .now.advanced(by: .milliseconds(50)))
        }
        let rest = Array(c.dropFirst(3))
        _ = rest.withUnsafeBytes { write(pty.master, $0.baseAddress!, $0.count) }
        #expect(try port.readMessage(Self.framing, deadline: deadline) == c, "the late rest completes the message")
    }

    @Test func lyingLengthsAndGarbageAreTypedErrors() throws {
        let pty = try FakePTY()
        let port = try MessagePort(device: pty.slavePath)
        let lie: [UInt8] = [0xFF, 0x7F, 0, 0]
        _ = lie.withUnsafeBytes { write(pty.master, $0.baseAddress!, $0.count) }
        #expect(throws: MessagePortError.badLength(path: pty.slavePath, length: 0x7FFF, limit: 64)) {
            try port.readMessage(Self.framing, deadline: .now.advanced(by: .seconds(1)))
        }
        let strict = MessageFraming(name: "TEST", headerBytes: 4, minLength: 4, maxLength: 64) { h in
            h[h.startIndex + 2] == 0 ? Int(h[h.startIndex]) : nil
        }
        let garbage = Array("hello world".utf8)
        _ = garbage.withUnsafeBytes { write(pty.master, $0.baseAddress!, $0.count) }
        #expect(throws: MessagePortError.self) { try port.readMessage(strict, deadline: .now.advanced(by: .seconds(1))) }
    }

    @Test func aHungUpPtyIsGone() throws {
        let pty = try FakePTY()
        let port = try MessagePort(device: pty.slavePath)
        pty.hangUp()
        #expect(throws: MessagePortError.self) { try port.readMessage(Self.framing, deadline: .now.advanced(by: .seconds(1))) }
        #expect(port.isGone)
    }

    @Test func aSocketPeerThatHungUpIsAnErrorNotSIGPIPE() throws {
        let listener = try AbstractListener("tmdiag-test-port", dropCallers: true)
        #expect(MessagePort.abstractSocketListening(listener.name))
        let port = try MessagePort(abstractSocket: listener.name, label: "@test")
        usleep(50_000)
        var failed = false
        for _ in 0..<20 where !failed {
            do { try port.write([4, 0, 0, 0], deadline: .now.advanced(by: .milliseconds(200))) } catch { failed = true }
        }
        #expect(failed, "writing to a closed peer fails")
        #expect(port.isGone)
    }

    @Test func abstractSocketsAreFoundInProcNetUnix() throws {
        let dir = NSTemporaryDirectory() + "tmdiag-unix-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = """
        Num       RefCount Protocol Flags    Type St Inode Path
        0000000000000000: 00000002 00000000 00010000 0001 01 22141 @mbim-proxy
        0000000000000000: 00000002 00000000 00010000 0001 01 22142 /run/dbus/system_bus_socket
        """
        _ = FileManager.default.createFile(atPath: dir + "/unix", contents: Data(text.utf8))
        #expect(MessagePort.abstractSocketListening("mbim-proxy", procNetUnix: dir + "/unix"))
        #expect(!MessagePort.abstractSocketListening("qmi-proxy", procNetUnix: dir + "/unix"))
        #expect(!MessagePort.abstractSocketListening("mbim-proxy", procNetUnix: dir + "/none"))
    }
}
