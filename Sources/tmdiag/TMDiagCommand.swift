import ArgumentParser
import Kit

@main
struct TMDiagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tmdiag",
        abstract: "Find a phone or cellular modem, tell what is wrong with it, and write a support ticket.",
        discussion: """
        Customer side: `tmdiag report`, then `tmdiag ticket`. Agent side: `tmdiag lookup`, `tmdiag show`,
        `tmdiag explain`, `tmdiag decode`. tmdiag only reads: it never changes a modem's settings,
        enters a PIN, resets a device, or sends anything over the network.

        Exit status: 0 done; 1 failed; 2 nothing found (no devices, no match); 64 bad usage;
        65 malformed input; 66 input missing or unreadable; 69 port or device busy, gone or silent;
        74 cannot write the store or an output file; 77 permission denied.
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
        ]
    )
}
