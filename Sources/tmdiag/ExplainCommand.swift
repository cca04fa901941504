import ArgumentParser
import Kit

struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Not built yet.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {}
}
