import ArgumentParser
import Kit

@main
struct TMDiagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tmdiag",
        abstract: "Find a phone or cellular modem, tell what is wrong with it, and write a support ticket.",
        // One line per paragraph: ArgumentParser wraps them to the terminal's width.
        discussion: """
        For a customer: `tmdiag report` finds the plugged-in phones and modems and says what is wrong; `tmdiag ticket` turns that into a support ticket. For an agent: `tmdiag lookup`, `tmdiag show`, `tmdiag explain` and `tmdiag decode` read a customer's report, a modem log or an error code.

        tmdiag only reads: it never changes a modem's settings, enters a PIN, resets a device, or sends anything over the network.

        Examples:
          tmdiag report
          tmdiag explain "+CME ERROR: 10"

        Exit status: 0 done; 1 failed; 2 nothing found (no devices, no match); 64 bad usage; 65 malformed input; 66 input missing or unreadable; 69 port or device busy, gone or silent; 74 cannot write the store or an output file; 77 permission denied.
        """,
        version: TMDiagVersion.string,
        subcommands: [
            DevicesCommand.self,
            ProbeCommand.self,
            ReportCommand.self,
            ShowCommand.self,
            DecodeCommand.self,
            ExplainCommand.self,
            HistoryCommand.self,
            LookupCommand.self,
            TicketCommand.self,
            VerifyCommand.self,
        ]
    )

    /// `tmdiag --json explain …` works as `tmdiag explain --json …`: global options are
    /// declared on each command, so those given before the command name move behind it.
    static func main() async {
        await main(GlobalArguments.movedBehindCommand(Array(CommandLine.arguments.dropFirst())))
    }
}

/// The global options (`--json`, `--no-color`, `--store PATH`) wherever a person puts them.
enum GlobalArguments {
    static let flags: Set<String> = ["--json", "--no-color"]

    static func movedBehindCommand(_ args: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if flags.contains(a) || a.hasPrefix("--store=") { leading.append(a); i += 1; continue }
            if a == "--store", i + 1 < args.count { leading += [a, args[i + 1]]; i += 2; continue }
            break
        }
        guard !leading.isEmpty, i < args.count else { return args }
        var rest = Array(args[i...])
        // Before a `--`, so that they stay options.
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: leading, at: end)
        return rest
    }
}
