import Foundation
import Glibc
import Kit
import Profiles
import TMDiagCore

@testable import Modem

/// The repository's root, found from this file's path.
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let testData = DataSources(locations: ProfileLocations(shipped: repoRoot + "/Profiles", user: nil))
let testCatalog: ErrorCatalog = try! testData.catalog()

/// Another program holding a port: `sleep` started with the port as its standard input;
/// returns once the kernel shows the descriptor.
func holdOpen(_ path: String) throws -> Process {
    let fd = open(path, O_RDWR | O_NOCTTY)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sleep")
    p.arguments = ["30"]
    p.standardInput = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
    try p.run()
    for _ in 0..<200 where PosixFile.linkTarget("/proc/\(p.processIdentifier)/fd/0") != path { usleep(10_000) }
    return p
}

/// SIGKILL: a test runner may ignore SIGTERM, and its children inherit that.
func stop(_ p: Process) {
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
}
