import Foundation
import Profiles

// libFuzzer target: device profile YAML loading. The input is written as the one file of a
// profiles folder and loaded as a user's profiles are (problems reported, never fatal).

private let folder: String = {
    let dir = NSTemporaryDirectory() + "tmdiag-fuzz-profiles-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir + "/devices", withIntermediateDirectories: true)
    return dir
}()

func fuzzOne(_ input: UnsafeBufferPointer<UInt8>) -> Int32 {
    let path = folder + "/devices/fuzz.yaml"
    guard FileManager.default.createFile(atPath: path, contents: Data(input)) else {
        fatalError("cannot write \(path)")
    }
    let loaded = DeviceProfiles.load(ProfileLocations(shipped: nil, user: folder), cache: nil)
    for p in loaded.profiles { _ = loaded.profiles(vendorId: p.match.vendorId, productId: p.match.productIds.first ?? "") }
    return 0
}
