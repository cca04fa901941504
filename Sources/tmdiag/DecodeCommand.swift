import ArgumentParser
import Foundation
import Kit
import TMDiagCore

struct DecodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Read a pasted AT session log and explain what it shows.",
        discussion: "Accepts logs with or without echo, CR/LF/CRLF line ends, terminal timestamps and unsolicited lines. "
            + "A PIN or password in the log is never repeated.\n\nExamples: tmdiag decode minicom.log; xclip -o | tmdiag decode -")

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
            if file == "-", isatty(0) == 1 {
                Console.note("tmdiag: reading an AT log from the terminal; paste it, then press Ctrl-D (or give a FILE)")
            }
            var doc = try DecodePipeline.run(input: file, data: DataSources())
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
