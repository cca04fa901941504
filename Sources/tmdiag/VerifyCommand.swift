import ArgumentParser
import Foundation
import History
import Kit
import TMDiagCore

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "After a fix: compare a new report with the one a case's ticket was made from.",
        discussion: """
            Makes a new report (or takes --report FILE|ID) and compares it with the report the case's ticket \
            was made from (`tmdiag ticket --case ID`, or the draft a ticket recorded). Each error and finding \
            is resolved, still present or new; the verdict is resolved, not-resolved or changed. Unless \
            --no-save, the new report is saved and a follow-up event is recorded on the case (`history show` \
            lists it). Without --case, the newest open case of the device's account that has a report is taken.

            Examples: tmdiag verify --case CAS-88231; tmdiag verify --case DRAFT-3 --report R-7KQ2M9 --json
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("case"), help: ArgumentHelp("The case number (or DRAFT-n) to follow up.", valueName: "case-id"))
    var caseId: String?

    @Option(name: .long, help: ArgumentHelp("The new report: a JSON file or a stored report id (default: make one now).", valueName: "file|id"))
    var report: String?

    @Flag(name: .long, help: "Record nothing: neither the new report nor the follow-up event.")
    var noSave = false

    @Option(name: .long, help: "When making a report: give up on each port after this many seconds.")
    var timeout: Double = 10

    func validate() throws {
        if !(timeout > 0 && timeout <= 600) { throw ValidationError("--timeout must be between 0 and 600 seconds") }
    }

    func run() async throws {
        try await runReporting { try await execute() }
    }

    func execute() async throws -> ExitStatus {
        let path = global.context.resolvedStorePath
        guard let store = try HistoryStore.openIfPresent(path: path) else {
            throw TMDiagError("verify: no history store at \(TerminalText.escape(path)); the case's ticket is recorded there "
                              + "(give --store PATH)", status: .noInput)
        }
        let after: TicketPipeline.LoadedReport
        if let report {
            guard let loaded = try TicketPipeline.loadReport(report, store: store) else {
                throw TMDiagError("--report: nothing found", status: .noInput)
            }
            after = loaded
        } else {
            let data = DataSources()
            var made = try await ReportPipeline.run(data: data, options: .init(timeout: .milliseconds(Int(timeout * 1000))))
            if made.devices.isEmpty {
                throw TMDiagError("verify: no phone or modem found to check; plug the device in and run it again", status: .notFound)
            }
            if !noSave { made = try ReportPipeline.save(made, store: store, data: data) }
            after = VerifyPipeline.made(made)
        }
        let result = try VerifyPipeline.run(caseRef: caseId, after: after, store: store, record: !noSave)
        if global.json {
            Console.outRaw(try encodeJSON(result))
        } else {
            Console.out(VerifyPipeline.text(result))
            if result.recorded { Console.note("tmdiag: recorded as a follow-up on \(TerminalText.escape(result.case, limit: 64))") }
        }
        return .ok
    }
}
