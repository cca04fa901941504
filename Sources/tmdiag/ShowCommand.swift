import ArgumentParser
import Foundation
import History
import Kit
import TMDiagCore

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a saved report (JSON file or stored id) or a ticket bundle, after checking its digest.",
        discussion: "A report or bundle whose digest does not match is refused with exit status 65.\n\n"
            + "Examples: tmdiag show report.json; tmdiag show R-7KQ2M9; tmdiag show ticket.zip; tmdiag show R-7KQ2M9 --html -o report.html")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("A report JSON file, a ticket bundle (.zip) or a stored report id.", valueName: "file|id"))
    var target: String

    @Option(name: .long, help: ArgumentHelp("Show these identifiers in full: imei,iccid,imsi,msisdn,serial or all.", valueName: "list"))
    var reveal: [String] = []

    @Flag(name: .long, help: "Write one self-contained HTML page (no script, no external resource, printable) instead.")
    var html = false

    @Option(name: .shortAndLong, help: ArgumentHelp("With --html: write the page to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        if output != nil && !html { throw ValidationError("-o/--output goes with --html") }
    }

    func run() async throws {
        try await runReporting { try execute() }
    }

    func execute() throws -> ExitStatus {
        let reveal = try parseReveal(self.reveal)
        let path = global.context.resolvedStorePath
        if html {
            let page = try ShowPipeline.html(target, reveal: reveal, store: { () throws(TMDiagError) -> HistoryStore? in
                try HistoryStore.openIfPresent(path: path)
            })
            if let output { try AtomicFile.write(Data(page.text.utf8), to: output) } else { Console.outRaw(Data(page.text.utf8)) }
            for n in page.notes { Console.note("tmdiag: " + n) }
            return .ok
        }
        let result = try ShowPipeline.run(target, reveal: reveal, store: { () throws(TMDiagError) -> HistoryStore? in
            try HistoryStore.openIfPresent(path: path)
        }, data: DataSources(), color: global.context.useColor())
        if global.json { Console.outRaw(result.json) } else { Console.out(result.text) }
        for n in result.notes { Console.note("tmdiag: " + n) }
        return .ok
    }
}
