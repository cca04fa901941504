import ArgumentParser
import Kit

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Not built yet.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {}
}
