/// The shipped `Profiles/` folder as it was when the binary was built (see
/// Plugins/EmbedProfiles): what tmdiag reads when neither `TMDIAG_PROFILES` nor a folder on
/// disk is given, so that a binary copied alone still explains, decodes and classifies.
public enum EmbeddedProfiles {
    /// Paths relative to `Profiles/`, sorted: `carriers/operators.yaml`, `errors/cme.yaml`, ...
    public static var paths: [String] { EmbeddedProfileFiles.files.map(\.path) }

    /// Changes whenever any embedded file does; the parsed-profile cache keys on it instead of
    /// on file sizes and modification times.
    public static var fingerprint: String { EmbeddedProfileFiles.fingerprint }

    /// The bytes of one file, or nil when there is no such file.
    public static func contents(_ path: String) -> [UInt8]? {
        guard let file = EmbeddedProfileFiles.files.first(where: { $0.path == path }) else { return nil }
        return file.text.withUTF8Buffer { Array($0) }
    }
}
