import ArgumentParser
import Foundation
import History
import Kit
import TMDiagCore

struct LookupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Look up a device, line, account or case (agent side); import a TAC table.",
        discussion: "Identifiers are masked unless --reveal names them. Nothing found: exit status 2.\n\n"
            + "Examples: tmdiag lookup imei 35693803***3809; tmdiag lookup line +12065550142; tmdiag lookup case CAS-88231",
        subcommands: [IMEI.self, LineNumber.self, AccountID.self, CaseNumber.self, USB.self])

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("import-tac"), help: "Import a TAC table (CSV: tac, manufacturer, model).") var importTac: String?

    func run() async throws {
        try await runReporting {
            guard let file = importTac else {
                throw TMDiagError("lookup: name what to look up (imei, line, account, case, usb) or give --import-tac FILE",
                                  status: .usage)
            }
            let store = try HistoryStore.open(path: global.context.resolvedStorePath)
            let summary = try store.importTAC(path: file)
            try printResult(summary, global: global) { HistoryText.importSummary($0) }
            return .ok
        }
    }

    struct IMEI: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "imei", abstract: "A device by IMEI: model, lines, reports.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "15 digits, or the masked form a ticket shows (35693803***3809).") var value: String
        @Option(help: "Identifiers to show unmasked: imei, iccid, msisdn or all.") var reveal: [String] = []

        func run() async throws {
            try await runReporting {
                let reveal = try parseReveal(reveal)
                var value = self.value
                if let masked = MaskedIMEI(value) {
                    // A ticket's masked IMEI: find what it can stand for; one is looked up in full.
                    let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                    let found = try store.imeis(matching: masked)
                    guard !found.isEmpty else {
                        throw TMDiagError("IMEI \(masked.shown): no line, event or report has an IMEI with this TAC and last 4", status: .notFound)
                    }
                    if found.count > 1 {
                        try printCandidates(found, masked: masked, store: store, reveal: reveal, global: global)
                        return .ok
                    }
                    value = found[0]
                }
                _ = try HistoryStore.checkedIMEI(value)
                let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                let result = try store.lookup(imei: value)
                guard result.found else {
                    let model = result.model.map { " (\(TerminalText.escape($0.displayName)))" } ?? ""
                    throw TMDiagError("IMEI \(Mask.imei(result.imei))\(model): no line, event or report has it", status: .notFound)
                }
                try printResult(result.masked(reveal), global: global) { HistoryText.imei($0) }
                return .ok
            }
        }
    }

    /// Several IMEIs fit a masked form: list each with where it was seen (account, line,
    /// device), which tells them apart without showing more digits than the mask does.
    static func printCandidates(_ imeis: [String], masked: MaskedIMEI, store: HistoryStore, reveal: RevealSet,
                                global: GlobalOptions) throws {
        struct Candidate: Encodable { var imei: String; var accounts: [String]; var lines: [String]; var devices: [String] }
        struct Candidates: Encodable { var masked: String; var candidates: [Candidate] }
        let list = try imeis.map { imei throws -> Candidate in
            let r = try store.lookup(imei: imei, eventLimit: 1).masked(reveal)
            return Candidate(imei: reveal.reveals(.imei) ? imei : masked.shown,
                             accounts: Array(Set(r.lines.map(\.accountId))).sorted(),
                             lines: Array(Set(r.lines.map(\.msisdn))).sorted(),
                             devices: Array(Set(r.lines.compactMap(\.device))).sorted())
        }
        if global.json {
            Console.outRaw(try encodeJSON(Candidates(masked: masked.shown, candidates: list)))
            return
        }
        var out = "IMEI \(masked.shown) fits \(Plural.count(imeis.count, "IMEI")) in the store:\n"
        for c in list {
            let seen = (c.accounts.map { "account \($0)" } + c.lines.map { "line \($0)" } + c.devices).joined(separator: ", ")
            out += "  " + TerminalText.escape(c.imei) + "  " + TerminalText.escape(seen.isEmpty ? "in events or reports only" : seen) + "\n"
        }
        out += "Look one up with all 15 digits, or look up the account or line on the ticket."
        Console.out(TextWrap.wrappingEachLine(out))
    }

    struct LineNumber: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "line", abstract: "A line by phone number (MSISDN).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "E.164 (+12065550142) or 10 North American digits.") var value: String
        @Option(help: "Identifiers to show unmasked: imei, iccid, msisdn or all.") var reveal: [String] = []

        func run() async throws {
            try await runReporting {
                let reveal = try parseReveal(reveal)
                guard Identifiers.e164(value) != nil else {
                    throw TMDiagError("not a phone number: expected E.164: + and 8 to 15 digits, or 10 digits for North America",
                                      status: .dataError)
                }
                let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                let result = try store.lookup(msisdn: value)
                guard result.found else {
                    throw TMDiagError("line \(Mask.msisdn(result.msisdn)): no account, event or report has it", status: .notFound)
                }
                try printResult(result.masked(reveal), global: global) { HistoryText.line($0) }
                return .ok
            }
        }
    }

    struct AccountID: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "account", abstract: "An account: lines, cases, latest events.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account id.") var value: String
        @Option(help: "Identifiers to show unmasked: imei, iccid, msisdn or all.") var reveal: [String] = []

        func run() async throws {
            try await runReporting {
                let reveal = try parseReveal(reveal)
                let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                guard let result = try store.lookup(account: value) else {
                    throw TMDiagError("no account '\(TerminalText.escape(value, limit: 64))' in the store", status: .notFound)
                }
                try printResult(result.masked(reveal), global: global) { HistoryText.account($0) }
                return .ok
            }
        }
    }

    struct CaseNumber: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "case", abstract: "A support case by number.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The case number (e.g. CAS-88231).") var value: String
        @Option(help: "Identifiers to show unmasked: imei, iccid, msisdn or all.") var reveal: [String] = []

        func run() async throws {
            try await runReporting {
                let reveal = try parseReveal(reveal)
                let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                guard let result = try store.lookup(case: value) else {
                    throw TMDiagError("no case '\(TerminalText.escape(value, limit: 64))' in the store", status: .notFound)
                }
                try printResult(result.masked(reveal), global: global) { HistoryText.supportCase($0) }
                return .ok
            }
        }
    }

    struct USB: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "usb", abstract: "A USB device by VID:PID (profile, names, known issues).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "vendor:product in hex, e.g. 1199:9091.") var value: String

        func run() async throws {
            try await runReporting { try execute() }
        }

        func execute() throws -> ExitStatus {
            let r = try USBLookup.run(value, data: DataSources())
            if global.json {
                Console.outRaw(try encodeJSON(r))
            } else {
                Console.out(r.text())
            }
            return r.profiles.isEmpty && r.vendor == nil ? .notFound : .ok
        }
    }
}
