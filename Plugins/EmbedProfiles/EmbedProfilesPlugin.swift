import Foundation
import PackagePlugin

/// Turns `Profiles/**/*.yaml` into a Swift source in the build directory, so that the binary
/// carries its data and works wherever it is copied. `Profiles/` stays the only copy in the
/// repository: the generated file is never committed.
@main
struct EmbedProfilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let profiles = context.package.directoryURL.appending(path: "Profiles")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedProfileFiles.swift")
        // Listed here (the plugin runs on every build) so that an added or removed file
        // re-runs the generator as well as an edited one.
        var inputs: [URL] = []
        if let walk = FileManager.default.enumerator(at: profiles, includingPropertiesForKeys: nil) {
            for case let url as URL in walk where url.pathExtension == "yaml" || url.pathExtension == "yml" {
                inputs.append(url)
            }
        }
        return [.buildCommand(
            displayName: "Embedding Profiles/ (\(inputs.count) files)",
            executable: try context.tool(named: "ProfileEmbedder").url,
            arguments: [profiles.path, output.path],
            inputFiles: inputs.sorted { $0.path < $1.path },
            outputFiles: [output])]
    }
}
