import ArgumentParser
import Foundation
import History
import Kit
import TMDiagCore

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Find every phone and modem, ask each what is wrong, and write a device report.",
        discussion: """
        Probes all modems at once (read-only AT queries, or MBIM/QMI queries for modems without \
        an AT port), reads phones through adb or ideviceinfo when installed, and asks ModemManager \
        (mmcli) instead when it manages a modem. The report is saved in the store (unless \
        --no-save) for `tmdiag ticket` and `tmdiag show`. Identifiers are masked in what is \
        printed or written unless --reveal names them. "Nothing wrong found" needs every device \
        read in full; otherwise the report says what could not be read.

        Exit status: 0 report made (even when devices have errors); 2 no phones, modems or \
        hotspots found; 64 bad usage; 74 the store or the output file could not be written; \
        77 no permission (the message names the group or udev rule that fixes it).

        Examples: tmdiag report; tmdiag report -o report.json --no-save; tmdiag report --json --reveal imei
        """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Also write the report (JSON) to this file.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "Do not save the report in the store.")
    var noSave = false

    @Option(name: .long, help: ArgumentHelp("Show these identifiers in full: imei,iccid,imsi,msisdn,serial or all.", valueName: "list"))
    var reveal: [String] = []

    @Option(name: .long, help: "Give up on each port after this many seconds (ports are probed at once).")
    var timeout: Double = 10

    func validate() throws {
        if !(timeout > 0 && timeout <= 600) { throw ValidationError("--timeout must be between 0 and 600 seconds") }
        do { _ = try parseReveal(reveal) } catch { throw ValidationError(error.message) }
    }

    func run() async throws {
        try await runReporting { try await execute() }
    }

    func execute() async throws -> ExitStatus {
        let reveal = try parseReveal(self.reveal)
        // A progress line redraws itself with escape codes: only on a terminal that has them.
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        let showProgress = isatty(2) == 1 && term != "dumb" && !term.isEmpty
        let progress: (@Sendable (Int, Int) -> Void)? = showProgress ? Self.progressLine : nil
        if showProgress { Console.progress("tmdiag: looking for devices…") }
        let data = DataSources()
        var report = try await ReportPipeline.run(data: data, options: .init(timeout: .milliseconds(Int(timeout * 1000)), progress: progress))
        if showProgress { Console.progress("") }
        var status = ExitStatus.ok
        if !noSave {
            do {
                let store = try HistoryStore.open(path: global.context.resolvedStorePath)
                // Saved with what changed since the device's previous report.
                report = try ReportPipeline.save(report, store: store, data: data)
            } catch {
                Console.error("report not saved: \(error.message)")
                status = .ioError
            }
        }
        let out = try report.masked(reveal).sealedOrFail()
        let json = try encodeJSON(out)
        if let path = output { try AtomicFile.write(json, to: path) }
        if global.json {
            Console.outRaw(json)
        } else {
            Console.out(ReportRendering.text(out, color: global.context.useColor()))
            if !noSave, status == .ok {
                Console.out("Saved as \(report.reportId). Next: tmdiag ticket --report \(report.reportId)")
            }
        }
        if report.devices.isEmpty && status == .ok { return .notFound }
        return status
    }

    @Sendable static func progressLine(_ done: Int, _ total: Int) {
        Console.progress("tmdiag: probed \(done) of \(Plural.count(total, "device"))…")
    }
}

extension DeviceReport {
    func sealedOrFail() throws(TMDiagError) -> DeviceReport {
        do { return try sealed() } catch { throw TMDiagError("report: cannot encode: \(error)", status: .software) }
    }
}
