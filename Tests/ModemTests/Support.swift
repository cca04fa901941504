import Foundation
import Kit

/// The repository's root, found from this file's path.
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let testData = DataSources(locations: ProfileLocations(shipped: repoRoot + "/Profiles", user: nil))
let testCatalog: ErrorCatalog = try! testData.catalog()
