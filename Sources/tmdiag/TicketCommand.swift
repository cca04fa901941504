import ArgumentParser
import Kit

struct TicketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ticket", abstract: "Not built yet.")
    @OptionGroup var global: GlobalOptions
    func run() async throws {}
}
