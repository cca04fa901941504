import Foundation
import Kit
import Ticket

/// Asking for the parts of the issue the customer did not give, on a terminal. Never asks for
/// a PIN or password; whatever is typed is cleaned like the options.
enum IssuePrompter {
    static func canPrompt() -> Bool { isatty(0) == 1 && isatty(2) == 1 }

    static func fill(_ issue: IssueDescription) -> IssueDescription {
        var i = issue
        func ask(_ q: String) -> String? {
            Console.note(q)
            guard let line = readLine(strippingNewline: true) else { return nil }
            let t = line.trimmingSpaces
            return t.isEmpty ? nil : t
        }
        Console.note("A few questions for the ticket (Enter skips one). Never type a PIN, passcode or password.")
        if i.summary == nil { i.summary = ask("What is the problem, in a sentence?") }
        if i.started == nil { i.started = ask("When did it start? (a date, or e.g. \"Monday\", \"3 days ago\")") }
        if i.changed == nil { i.changed = ask("Did anything change just before (new phone, SIM, plan, travel)?") }
        if i.tried.isEmpty, let t = ask("What have you tried already? (separate items with ';')") {
            i.tried = t.split(separator: ";").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        }
        return i
    }
}
