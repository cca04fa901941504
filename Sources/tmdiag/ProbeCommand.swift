import ArgumentParser
import Foundation
import Kit
import TMDiagCore

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Ask one modem what it is and what is wrong, over its AT port or its MBIM or QMI channel.",
        discussion: """
        Sends read-only queries only (identity, SIM, registration, signal, last failure); never a \
        command that changes the modem's settings, enters a PIN or resets it. A modem without an \
        AT port (or whose AT port gives nothing) is read over MBIM or QMI, as `tmdiag report` does.

        Examples: tmdiag probe 1-2; tmdiag probe --port /dev/ttyUSB2 --debug; tmdiag probe --port /dev/cdc-wdm0
        """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The device id from `tmdiag devices` (e.g. 1-2). Optional when only one device has an AT, MBIM or QMI port.")
    var deviceId: String?

    @Option(name: .long, help: ArgumentHelp("Talk to this port instead (e.g. /dev/ttyUSB2, /dev/cdc-wdm0, /dev/wwan0mbim0).", valueName: "path"))
    var port: String?

    @Option(name: .long, help: "Give up on the port after this many seconds.")
    var timeout: Double = 10

    @Flag(name: .long, help: "Show every line sent and received on stderr.")
    var debug = false

    func validate() throws {
        if deviceId != nil && port != nil { throw ValidationError("give a device id or --port, not both") }
        if !(timeout > 0 && timeout <= 600) { throw ValidationError("--timeout must be between 0 and 600 seconds") }
    }

    func run() async throws {
        try await runReporting { try await execute() }
    }

    @Sendable static func traceLine(_ direction: String, _ line: String) {
        // The trace is AT traffic on a terminal: a PIN in it is removed like everywhere else.
        Console.note(direction + " " + TerminalText.escape(SecretRedactor.redact(line).text))
    }

    func execute() async throws -> ExitStatus {
        do {
            let trace: (@Sendable (String, String) -> Void)? = debug ? Self.traceLine : nil
            let doc = try await ProbePipeline.run(deviceId: deviceId, port: port, timeout: .milliseconds(Int(timeout * 1000)),
                                            data: DataSources(), trace: trace)
            let masked = doc.masked(.none)
            if global.json {
                Console.outRaw(try encodeJSON(masked))
            } else {
                Console.out(masked.text())
            }
            return doc.modem.isEmpty && !doc.errors.isEmpty && doc.note != nil ? .unavailable : .ok
        }
    }
}
