import ArgumentParser
import Kit

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The history store: an SQLite file, or postgresql://USER@HOST:PORT/DB (password from PGPASSWORD or ~/.pgpass).", discussion: "Default: $TMDIAG_STORE, else $XDG_DATA_HOME/tmdiag/tmdiag.sqlite.", valueName: "path-or-url"))
    var store: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Flag(name: .long, help: "No colour, even on a terminal (NO_COLOR does the same).")
    var noColor = false

    var context: CommandContext {
        CommandContext(storePath: store, json: json, noColor: noColor)
    }
}
