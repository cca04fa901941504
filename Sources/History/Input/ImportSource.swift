import Foundation
import TMDiagCore

/// Where an import's bytes come from: a file, read a chunk at a time and never whole (a
/// history file may be larger than memory is worth spending on it), or bytes already in
/// memory (the library API, tests, fuzzing). Sendable, so that a reader thread opens its own.
enum ImportSource: Sendable {
    case file(String)
    case bytes(Data)

    /// How many bytes the source holds (0 when the size is not known).
    var size: Int {
        switch self {
        case .bytes(let d): return d.count
        case .file(let path):
            let n = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber
            return n?.intValue ?? 0
        }
    }

    /// Opens the source for reading; errors name the file and say why, in one line.
    func open(file: String) throws(TMDiagError) -> ImportInput {
        switch self {
        case .bytes(let d): return ImportInput(reading: .memory(d), file: file)
        case .file(let path):
            let name = TerminalText.escape(path)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw TMDiagError("\(name): no such file", status: .noInput)
            }
            if isDir.boolValue { throw TMDiagError("\(name): is a directory", status: .noInput) }
            guard FileManager.default.isReadableFile(atPath: path), let handle = FileHandle(forReadingAtPath: path) else {
                throw TMDiagError("\(name): permission denied", status: .noPermission)
            }
            return ImportInput(reading: .handle(handle), file: file)
        }
    }

    /// How often `byte` occurs, read in chunks without checking anything (a quick first pass:
    /// the number of lines of a CSV file decides how its events are written).
    func count(_ byte: UInt8) throws(TMDiagError) -> Int {
        var n = 0
        func add(_ b: UnsafeRawBufferPointer) { for c in b where c == byte { n += 1 } }
        switch self {
        case .bytes(let d): d.withUnsafeBytes { add($0) }
        case .file(let path):
            try InputFile.forEachChunk(path, dashIsStandardInput: false) { chunk in add(UnsafeRawBufferPointer(chunk)) }
        }
        return n
    }
}
