import Foundation

// VersionStamper PACKAGE_DIR OUTPUT.swift
// The version comes from PACKAGE_DIR/VERSION; the commit from git, or "unknown" when the
// tree is not a git checkout (a source tarball) or git is missing.

let args = CommandLine.arguments
guard args.count == 3 else {
    FileHandle.standardError.write(Data("usage: VersionStamper PACKAGE_DIR OUTPUT.swift\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: args[1])
let output = URL(fileURLWithPath: args[2])

guard let versionText = try? String(contentsOf: root.appending(path: "VERSION"), encoding: .utf8) else {
    FileHandle.standardError.write(Data("error: cannot read \(root.path)/VERSION\n".utf8))
    exit(66)
}
let version = versionText.trimmingCharacters(in: .whitespacesAndNewlines)
guard !version.isEmpty, version.allSatisfy({ $0.isLetter || $0.isNumber || ".-+~".contains($0) }) else {
    FileHandle.standardError.write(Data("error: VERSION must hold one version like 1.2.3\n".utf8))
    exit(65)
}

/// `git rev-parse --short=12 HEAD` in the package, or nil.
func gitCommit() -> String? {
    let git = Process()
    git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    git.arguments = ["git", "-C", root.path, "rev-parse", "--short=12", "HEAD"]
    let out = Pipe()
    git.standardOutput = out
    git.standardError = FileHandle.nullDevice
    guard (try? git.run()) != nil else { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    git.waitUntilExit()
    guard git.terminationStatus == 0 else { return nil }
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return text.allSatisfy(\.isHexDigit) && !text.isEmpty ? text : nil
}

let source = """
// Generated at build time by Plugins/Tools/VersionStamper from VERSION and git; never committed.

enum BuildVersion {
    static let version = "\(version)"
    static let commit = "\(gitCommit() ?? "unknown")"
}

"""
if (try? Data(contentsOf: output)) != Data(source.utf8) {
    try Data(source.utf8).write(to: output, options: .atomic)
}
