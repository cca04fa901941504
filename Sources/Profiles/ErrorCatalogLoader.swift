import Modem
import TMDiagCore

extension ErrorCatalog {
    /// Loads `errors/*.yaml` (shipped, then the user's, which may add or replace tables).
    /// A broken file is an error naming it: explanations must not silently go missing.
    /// The parsed tables are cached like the device profiles (see `ParsedCache`).
    public static func load(_ locations: ProfileLocations,
                            cache: ParsedCache<[ErrorTable]>? = .standard("error-catalog")) throws(TMDiagError) -> ErrorCatalog {
        let files = locations.files("errors")
        let parse = { () throws(TMDiagError) -> [ErrorTable] in
            var tables: [String: ErrorTable] = [:]
            for file in files {
                let t = try YAMLLoading.decode(ErrorTable.self, path: file.path, displayPath: file.display)
                tables[t.kind] = t
            }
            if tables.isEmpty {
                throw TMDiagError("error catalog: no errors/*.yaml in \(locations.shippedDescription); set TMDIAG_PROFILES to the Profiles folder, or unset it to use the built-in profiles",
                                  status: .noInput)
            }
            return tables.keys.sorted().map { tables[$0]! }
        }
        guard let cache else { return ErrorCatalog(tables: try parse()) }
        return ErrorCatalog(tables: try cache.value(for: files.map(\.path), parse: parse))
    }
}
