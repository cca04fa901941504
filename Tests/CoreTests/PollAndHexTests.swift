import Glibc
import Testing
import TMDiagCore

@Suite("Waiting on a descriptor, and bytes as hex")
struct PollAndHexTests {
    @Test func hexIsTwoLowerCaseDigits() {
        #expect(Hex.byte(0) == "00")
        #expect(Hex.byte(0x0A) == "0a")
        #expect(Hex.byte(0xFF) == "ff")
    }

    /// A real pipe: nothing to read times out at the deadline, bytes make it ready, and the
    /// writer gone with nothing left makes the reader's end hang up.
    @Test func aPipeTimesOutThenIsReadyThenIsGone() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let start = ContinuousClock.now
        #expect(Poll.wait(fd: fds[0], events: Int16(POLLIN), deadline: start + .milliseconds(50)) == .timedOut)
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        // A slice ends the wait early, for a caller that checks a stop flag.
        let sliced = ContinuousClock.now
        #expect(Poll.wait(fd: fds[0], events: Int16(POLLIN), deadline: sliced + .seconds(5), slice: .milliseconds(20)) == .timedOut)
        #expect(ContinuousClock.now - sliced < .seconds(2))
        var byte: UInt8 = 0x41
        #expect(write(fds[1], &byte, 1) == 1)
        #expect(Poll.wait(fd: fds[0], events: Int16(POLLIN), deadline: .now + .seconds(1)) == .ready)
        #expect(read(fds[0], &byte, 1) == 1)
        close(fds[1])
        #expect(Poll.wait(fd: fds[0], events: Int16(POLLIN), deadline: .now + .seconds(1)) == .gone(errno: EIO))
    }

    @Test func aClosedDescriptorIsGone() {
        #expect(Poll.wait(fd: 1_000_000, events: Int16(POLLIN), deadline: .now + .seconds(1)) == .gone(errno: EBADF))
    }
}
