import ArgumentParser
import Kit

struct LookupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lookup", abstract: "Not built yet.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {}
}
