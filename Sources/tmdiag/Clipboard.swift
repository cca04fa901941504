import Foundation
import Kit
import TMDiagCore

/// Putting text on the clipboard through wl-copy, xclip or xsel, whichever is present and
/// works. Each tool gets a deadline: xclip, for one, stays running to serve the selection
/// when it cannot reach a display, and must not hold the ticket command forever.
enum Clipboard {
    static let timeout: Duration = .seconds(5)

    /// The tool used, or an error saying none was found.
    static func copy(_ text: String, environment env: [String: String] = ProcessInfo.processInfo.environment)
        async throws(TMDiagError) -> String {
        var candidates: [(String, [String])] = []
        if env["WAYLAND_DISPLAY"] != nil { candidates.append(("wl-copy", [])) }
        candidates += [("xclip", ["-selection", "clipboard"]), ("xsel", ["--clipboard", "--input"])]
        if env["WAYLAND_DISPLAY"] == nil { candidates.append(("wl-copy", [])) }
        for (tool, args) in candidates {
            guard let exe = HelperTools.find(tool, environment: ["PATH": env["PATH"] ?? "/usr/bin:/bin"]) else { continue }
            if await HelperTools.status(exe, args, input: text, timeout: timeout) == 0 { return tool }
        }
        throw TMDiagError("--copy: no clipboard tool worked (install wl-clipboard, xclip or xsel, and run inside a desktop session); the ticket is printed above",
                          status: .unavailable)
    }
}
