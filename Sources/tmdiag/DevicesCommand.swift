import ArgumentParser
import Foundation
import Kit
import TMDiagCore

struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List attached phones, cellular modems and hotspots.",
        discussion: "Reads udev (and libusb where udev has nothing); PCI modems through the kernel's wwan class. "
            + "Exit status 2 when nothing is found.\n\nExamples: tmdiag devices; tmdiag devices --all --json")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "List every USB device (and every PCI modem), not only phones, modems and hotspots.")
    var all = false

    func run() async throws {
        try await runReporting { try execute() }
    }

    func execute() throws -> ExitStatus {
        do {
            let data = DataSources()
            let r = try DevicesPipeline.run(data: data, all: all)
            for p in r.profileProblems { Console.error("profile skipped: \(p)") }
            if global.json {
                Console.outRaw(try encodeJSON(DevicesPipeline.Document(devices: r.devices)))
            } else if r.devices.isEmpty {
                Console.note(DevicesRendering.nothingFound(r, all: all))
            } else {
                Console.out(DevicesRendering.text(r, color: global.context.useColor()))
            }
            return r.devices.isEmpty ? .notFound : .ok
        }
    }
}

