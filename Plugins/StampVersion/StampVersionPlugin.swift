import Foundation
import PackagePlugin

/// Writes the version (from the `VERSION` file, the one place it is kept) and the git commit
/// being built into a Swift source in the build directory.
@main
struct StampVersionPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildVersion.swift")
        // The generator re-runs when VERSION changes or HEAD moves (a commit, a checkout):
        // git's HEAD file and its reflog are the inputs that change then.
        var inputs = [root.appending(path: "VERSION")]
        if let gitDir = Self.gitDirectory(root) {
            inputs += ["HEAD", "logs/HEAD"].map { gitDir.appending(path: $0) }
                .filter { FileManager.default.fileExists(atPath: $0.path) }
        }
        return [.buildCommand(
            displayName: "Stamping the version and git commit",
            executable: try context.tool(named: "VersionStamper").url,
            arguments: [root.path, output.path],
            inputFiles: inputs,
            outputFiles: [output])]
    }

    /// `.git` is a folder in a clone and a file naming the folder in a worktree.
    static func gitDirectory(_ root: URL) -> URL? {
        let dotGit = root.appending(path: ".git")
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isDir) else { return nil }
        if isDir.boolValue { return dotGit }
        guard let text = try? String(contentsOf: dotGit, encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("gitdir: ") else { return nil }
        return URL(fileURLWithPath: String(line.dropFirst("gitdir: ".count)), relativeTo: root)
    }
}
