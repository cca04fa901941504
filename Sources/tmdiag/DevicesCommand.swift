import ArgumentParser
import Kit

struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "Not built yet.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {}
}
