import Foundation
import Kit
import TMDiagCore

/// Writing a file whole or not at all: a temporary file in the same folder, then rename.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws(TMDiagError) {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try data.write(to: tmp)
            if rename(tmp.path, url.path) != 0 {
                let e = errno
                try? FileManager.default.removeItem(at: tmp)
                throw TMDiagError("\(TerminalText.escape(path)): cannot write: \(String(cString: strerror(e)))", status: .ioError)
            }
        } catch let e as TMDiagError {
            throw e
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw TMDiagError("\(TerminalText.escape(path)): cannot write: \(error.localizedDescription)", status: .ioError)
        }
    }
}
