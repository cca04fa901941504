import Modem
import TMDiagCore

extension ErrorCatalog {
    /// Loads `errors/*.yaml` (shipped, then the user's, which may add or replace tables).
    /// A broken file is an error naming it: explanations must not silently go missing.
    public static func load(_ locations: ProfileLocations) throws(TMDiagError) -> ErrorCatalog {
        var tables: [String: ErrorTable] = [:]
        for file in locations.files("errors") {
            let t = try YAMLLoading.decode(ErrorTable.self, path: file.path, displayPath: file.display)
            tables[t.kind] = t
        }
        if tables.isEmpty {
            throw TMDiagError("error catalog: no errors/*.yaml under \(locations.shipped ?? "(no Profiles folder found)"); set TMDIAG_PROFILES to the Profiles folder",
                              status: .noInput)
        }
        return ErrorCatalog(tables: tables.keys.sorted().map { tables[$0]! })
    }
}
