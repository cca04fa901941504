import ArgumentParser
import History
import Ticket

// Options that take one of a few words are typed: the argument parser checks the word, lists
// the choices in --help and in its error, and completions offer them.
extension TicketFormat: ExpressibleByArgument {}
extension TicketChannelKind: ExpressibleByArgument {}
extension HistoryStore.ImportFormat: ExpressibleByArgument {}
