import ArgumentParser
import Kit

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Not built yet.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {}
}
