import ArgumentParser
import Foundation
import Kit

struct DecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Read a pasted AT session log and explain what it shows.",
        discussion: "Accepts logs with or without echo, CR/LF/CRLF line ends, terminal timestamps and unsolicited lines.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The log file, or - (the default) for standard input.")
    var file: String = "-"

    @Option(name: .long, help: ArgumentHelp("Show these identifiers in full: imei,iccid,imsi,msisdn,serial or all.", valueName: "list"))
    var reveal: [String] = []

    func run() async throws {
        try await runReporting { try execute() }
    }

    func execute() throws -> ExitStatus {
        do {
            let reveal: RevealSet
            reveal = try parseReveal(self.reveal)
            let bytes = try InputFile.read(file, limit: DecodePipeline.maxBytes)
            var doc = try DecodePipeline.run(bytes: bytes, data: DataSources())
            doc = doc.masked(reveal)
            if global.json {
                Console.outRaw(try encodeJSON(doc))
            } else {
                Console.out(doc.text())
            }
            return .ok
        }
    }
}

/// Reading an input file (or stdin) whole, with a size limit and one-line errors.
enum InputFile {
    static func read(_ path: String, limit: Int) throws(TMDiagError) -> [UInt8] {
        let handle: FileHandle
        if path == "-" {
            handle = .standardInput
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw TMDiagError("\(TerminalText.escape(path)): no such file", status: .noInput)
            }
            if isDir.boolValue { throw TMDiagError("\(TerminalText.escape(path)): is a directory", status: .noInput) }
            guard let h = FileHandle(forReadingAtPath: path) else {
                throw TMDiagError("\(TerminalText.escape(path)): cannot read (permission denied?)", status: .noInput)
            }
            handle = h
        }
        do {
            if path != "-", let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > limit {
                throw TMDiagError("\(TerminalText.escape(path)): larger than \(limit >> 20) MiB", status: .dataError)
            }
            var out = Data()
            while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
                out.append(chunk)
                if out.count > limit {
                    throw TMDiagError("\(path == "-" ? "standard input" : TerminalText.escape(path)): larger than \(limit >> 20) MiB", status: .dataError)
                }
            }
            return [UInt8](out)
        } catch let e as TMDiagError {
            throw e
        } catch {
            throw TMDiagError("\(TerminalText.escape(path)): read failed: \(error.localizedDescription)", status: .noInput)
        }
    }
}
