import Foundation

// ProfileEmbedder PROFILES_DIR OUTPUT.swift
// Writes every Profiles/**/*.yaml as a string literal whose UTF-8 bytes are the file's bytes,
// plus a fingerprint of them all (what the parsed-profile cache keys on).

let args = CommandLine.arguments
guard args.count == 3 else {
    FileHandle.standardError.write(Data("usage: ProfileEmbedder PROFILES_DIR OUTPUT.swift\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: args[1]).standardizedFileURL
let output = URL(fileURLWithPath: args[2])

var relativePaths: [String] = []
if let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) {
    for case let url as URL in walk where url.pathExtension == "yaml" || url.pathExtension == "yml" {
        relativePaths.append(String(url.standardizedFileURL.path.dropFirst(root.path.count + 1)))
    }
}
relativePaths.sort()

/// A Swift string literal with exactly these characters: escapes for the quote, the backslash
/// and control characters, everything else as is.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// FNV-1a, 64 bits: a change detector for cache keys, not a security measure.
struct Fingerprint {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func mix(_ bytes: some Sequence<UInt8>) {
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    }
}
var fingerprint = Fingerprint()

var entries: [String] = []
for path in relativePaths {
    let data = try Data(contentsOf: root.appending(path: path))
    guard let text = String(data: data, encoding: .utf8), Array(text.utf8) == Array(data) else {
        FileHandle.standardError.write(Data("error: Profiles/\(path) is not UTF-8 text\n".utf8))
        exit(65)
    }
    fingerprint.mix(path.utf8)
    fingerprint.mix([0])
    fingerprint.mix(data)
    fingerprint.mix([0])
    entries.append("        (\(literal(path)), \(literal(text))),")
}

let source = """
// Generated at build time by Plugins/Tools/ProfileEmbedder from Profiles/; never edited, never committed.

enum EmbeddedProfileFiles {
    static let fingerprint = "\(String(fingerprint.hash, radix: 16))"
    static let files: [(path: String, text: StaticString)] = [
\(entries.joined(separator: "\n"))
    ]
}

"""
// Rewritten only when it changed, so that an unrelated build does not recompile the target.
if (try? Data(contentsOf: output)) != Data(source.utf8) {
    try Data(source.utf8).write(to: output, options: .atomic)
}
