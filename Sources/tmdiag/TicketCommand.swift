import ArgumentParser
import Foundation
import History
import Kit
import TMDiagCore
import Ticket

struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: "Write a ready-to-paste support ticket from the device report, the account history and your words.",
        discussion: """
            The report is the newest saved one unless --report names a file or a stored id; the account is \
            found through the device's IMEI, SIM or number unless --account names it. On a terminal, missing \
            parts of the issue are asked for; with --no-input (or no terminal) they read "not stated". \
            Identifiers are masked unless --reveal names them; a PIN, PUK, passcode or password typed into \
            the description is removed. The ticket is recorded in the store as a draft contact (one per \
            report and account; not with --dry-run or a JSON preview).

            Examples: tmdiag ticket; tmdiag ticket --summary "no data since Monday" --tried "restarted" --copy; \
            tmdiag ticket --report report.json --account ACC-1001 --format markdown --bundle ticket.zip
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("A report JSON file or a stored report id (default: the newest saved report).", valueName: "file|id"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("The account id (default: found through the reported device).", valueName: "id"))
    var account: String?

    @Option(name: .long, help: ArgumentHelp("The problem, in the customer's words.", valueName: "text"))
    var summary: String?

    @Option(name: .long, help: ArgumentHelp("When it started: a date, or words like \"Monday\", \"3 days ago\", \"yesterday\".", valueName: "when"))
    var started: String?

    @Option(name: .long, help: ArgumentHelp("What changed just before it started.", valueName: "text"))
    var changed: String?

    @Option(name: .long, help: ArgumentHelp("Something already tried (repeatable).", valueName: "text"))
    var tried: [String] = []

    @Option(name: .long, help: ArgumentHelp("text (72 columns, the default), markdown or json.", valueName: "format"))
    var format: TicketFormat = .text

    @Option(name: .long, help: ArgumentHelp("Where it goes: case (the full ticket, the default), chat (a first message of at most 1,500 characters), email (Subject: line and body), social (a public post of at most 280 characters without any identifier), voice (what to have ready and say first).", valueName: "channel"))
    var `for`: TicketChannelKind = .case

    @Option(name: .customLong("case"), help: ArgumentHelp("The case (CAS-…, or DRAFT-n) the ticket is for: its report is linked to the case for `tmdiag verify`.", valueName: "case-id"))
    var caseId: String?

    @Option(name: .long, help: ArgumentHelp("Show these identifiers in full: imei,iccid,imsi,msisdn,serial or all.", valueName: "list"))
    var reveal: [String] = []

    @Option(name: .long, help: ArgumentHelp("Also write a ZIP bundle (ticket, report, history excerpt, manifest).", valueName: "file.zip"))
    var bundle: String?

    @Flag(name: .long, help: "Put the ticket on the clipboard (wl-copy, xclip or xsel).")
    var copy = false

    @Flag(name: .long, help: "Never ask; leave what was not given as \"not stated\".")
    var noInput = false

    @Flag(name: .long, help: "Use --account even when none of its lines has the reported device's IMEI, SIM or number.")
    var forceAccount = false

    @Flag(name: .long, help: "Show the ticket without recording a draft contact in the store.")
    var dryRun = false

    func run() async throws {
        try await runReporting { try await execute() }
    }

    func execute() async throws -> ExitStatus {
        let reveal = try parseReveal(self.reveal)
        let fmt: TicketFormat = global.json ? .json : format
        var issue = IssueDescription(summary: summary, started: started, changed: changed, tried: tried)
        if !noInput, IssuePrompter.canPrompt(),
           issue.summary == nil || issue.started == nil || issue.changed == nil || issue.tried.isEmpty {
            issue = IssuePrompter.fill(issue)
        }
        let path = global.context.resolvedStorePath
        // A file that is not there is no store; a PostgreSQL URL is always connected to.
        let store = try HistoryStore.openIfPresent(path: path)
        // A JSON ticket without a bundle is a preview for another program: like --dry-run, it
        // records no draft contact. A draft is kept once per report and account.
        let record = !dryRun && (fmt != .json || bundle != nil)
        var options = TicketPipeline.Options(report: report, account: account, issue: issue, format: fmt, reveal: reveal,
                                             bundle: bundle, record: record, forceAccount: forceAccount)
        options.caseId = caseId
        options.channel = self.for
        let result = try TicketPipeline.run(options, store: store, data: DataSources())
        Console.out(result.output)
        for n in result.notes { Console.note("tmdiag: " + n) }
        if copy {
            let tool = try await Clipboard.copy(result.output)
            Console.note("tmdiag: copied to the clipboard with \(tool)")
        }
        return .ok
    }
}
