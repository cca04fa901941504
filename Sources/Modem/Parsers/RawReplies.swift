import TMDiagCore

extension FactsBuilder {
    /// The reply as the modem sent it, by command, for the agent and for findings' evidence:
    /// vendor commands and the 3GPP diagnosis queries keep theirs alike, in `facts.vendor`.
    mutating func keepRaw(command cmd: String, lines: [String]) {
        guard !lines.isEmpty else { return }
        var vendor = facts.vendor ?? [:]
        facts.vendor = nil   // taken out while it changes, so that it is not copied
        vendor[cmd] = lines.count == 1 ? lines[0] : lines.prefix(40).joined(separator: "\n")
        facts.vendor = vendor
    }
}
