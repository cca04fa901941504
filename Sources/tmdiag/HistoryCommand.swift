import ArgumentParser
import Foundation
import History
import Kit
import TMDiagCore

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Import, show and add to the account and service history store.",
        discussion: "Examples: tmdiag history import accounts.json; tmdiag history show --account ACC-1001; "
            + "tmdiag history add-case --account ACC-1001 --case CAS-88231 --channel chat",
        subcommands: [Import.self, Show.self, AddCase.self, AddEvent.self, Export.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a history document (JSON) or events (CSV); all or nothing.",
            discussion: "Re-importing the same file changes nothing. Fields that look like secrets (PINs, passwords, security answers) are refused.\n\n"
                + "Examples: tmdiag history import accounts.json; tmdiag history import events.csv")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The file to import.") var file: String
        @Option(help: "json or csv (default: from the name, else the content).") var format: HistoryStore.ImportFormat?

        func run() async throws {
            try await runReporting {
                let store = try HistoryStore.open(path: global.context.resolvedStorePath)
                let summary = try store.importFile(file, format: format)
                try printResult(summary, global: global) { HistoryText.importSummary($0) }
                return .ok
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an account's lines, timeline and support contacts.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The account id.") var account: String
        @Option(help: "Only events from this date (2026-11-01, an ISO 8601 time, or 90d for 90 days ago).") var since: String?
        @Option(help: "Show at most the latest N events of the window (0: all).") var limit = 200
        @Option(help: "Identifiers to show unmasked: imei, iccid, msisdn or all.") var reveal: [String] = []

        func run() async throws {
            try await runReporting {
                let reveal = try parseReveal(reveal)
                let from = try since.map { s throws(TMDiagError) in try parseSince(s) }
                guard limit >= 0 else { throw TMDiagError("--limit: must be 0 or more", status: .usage) }
                let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                guard let history = try store.history(account: account, since: from, limit: limit) else {
                    throw TMDiagError("no account '\(TerminalText.escape(account, limit: 64))' in the store", status: .notFound)
                }
                try printResult(history.masked(reveal), global: global) { HistoryText.timeline($0) }
                return .ok
            }
        }
    }

    struct AddCase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-case",
            abstract: "Record a support case number (goes onto the account's newest draft contact, if any).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The account id.") var account: String
        @Option(name: .customLong("case"), help: "The case number support gave (e.g. CAS-88231).") var caseNumber: String
        @Option(help: "voice, chat, email, social, app or store.") var channel: String?
        @Option(help: "The rep's name or id.") var rep: String?
        @Option(help: "open, closed or escalated.") var status: String = "open"
        @Option(help: "What the contact was about.") var summary: String?
        @Option(help: "What was done or agreed (resolution steps).") var resolution: String?
        @Option(help: "A report id to link.") var report: String?
        @Option(help: "When (ISO 8601; default now).") var at: String?

        func run() async throws {
            try await runReporting {
                let fields = try HistoryStore.checkEvent(fields: ["at": at ?? Timestamp.format(Date()), "kind": "support_case",
                                                                  "case": caseNumber, "channel": channel ?? "voice",
                                                                  "status": status].compactMapValues { $0 })
                let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                let channelValue = channel == nil ? nil : fields.channel
                let result = try store.addCase(account: account, number: caseNumber, channel: channelValue, rep: rep,
                                               status: fields.status ?? .open, summary: summary, resolution: resolution,
                                               at: Date(timeIntervalSince1970: TimeInterval(fields.at)), reportId: report)
                if global.json {
                    struct Out: Encodable { var outcome: HistoryStore.CaseOutcome; var supportCase: SupportCase }
                    Console.outRaw(try encodeJSON(Out(outcome: result.outcome, supportCase: result.supportCase)))
                } else {
                    let how = switch result.outcome {
                    case .created: "recorded"
                    case .attachedToDraft: "attached to the newest draft contact"
                    case .updated: "updated"
                    }
                    Console.out("Case \(TerminalText.escape(result.supportCase.handle)) \(how) (\(result.supportCase.status.rawValue)).")
                }
                return .ok
            }
        }
    }

    struct AddEvent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-event",
            abstract: "Record an event on an account: a SIM swap, a plan change, a note after a support contact...")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The account id.") var account: String
        @Option(help: "plan_change, sim_swap, device_change, port_in, port_out, outage, roaming, billing, support_case or note.")
        var kind: String
        @Option(help: "What happened.") var summary: String?
        @Option(help: "When (ISO 8601; default now).") var at: String?
        @Option(help: "When it ended (outages, roaming).") var end: String?
        @Option var msisdn: String?
        @Option var imei: String?
        @Option var iccid: String?
        @Option var device: String?
        @Option var plan: String?
        @Option var country: String?
        @Option var area: String?
        @Option(name: .customLong("case"), help: "A case number.") var caseNumber: String?
        @Option var channel: String?
        @Option var rep: String?
        @Option var status: String?
        @Option var resolution: String?

        func run() async throws {
            try await runReporting {
                let fields: [String: String?] = [
                    "at": at ?? Timestamp.format(Date()), "end": end, "kind": kind, "summary": summary, "msisdn": msisdn,
                    "imei": imei, "iccid": iccid, "device": device, "plan": plan, "country": country, "area": area,
                    "case": caseNumber, "channel": channel, "rep": rep, "status": status, "resolution": resolution,
                ]
                let event = try HistoryStore.checkEvent(fields: fields.compactMapValues { $0 })
                let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                let added = try store.addEvent(account: account, event)
                if global.json {
                    Console.outRaw(try encodeJSON(["added": added]))
                } else {
                    Console.out(added ? "Event recorded." : "That event is already recorded; nothing changed.")
                }
                return .ok
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the store as a history document (JSON, re-importable) or its events as CSV.",
            discussion: "Identifiers are written in full: an export is for moving a store, not for sharing.\n\n"
                + "Examples: tmdiag history export -o backup.json; tmdiag history export --account ACC-1001 --csv")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this account.") var account: String?
        @Flag(help: "The events table as CSV instead of JSON.") var csv = false
        @Option(name: [.short, .customLong("output")], help: "Write to this file instead of standard output.") var output: String?

        func run() async throws {
            try await runReporting {
                let store = try HistoryStore.open(path: global.context.resolvedStorePath, create: false)
                let data = csv ? try store.exportEventsCSV(account: account) : try store.exportJSON(account: account)
                if let output {
                    do { try data.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                        throw TMDiagError("\(TerminalText.escape(output)): cannot write", status: .ioError)
                    }
                } else {
                    Console.outRaw(data)
                }
                return .ok
            }
        }
    }
}

/// `--since`: an ISO 8601 date or time, or `N` days ago as `Nd`.
func parseSince(_ s: String) throws(TMDiagError) -> Date {
    let t = s.trimmingSpaces
    if t.hasSuffix("d"), let n = Int(t.dropLast()), n >= 0, n < 100_000 {
        return Date(timeIntervalSinceNow: -Double(n) * 86_400)
    }
    guard let secs = HistoryDate.parse(t) else {
        throw TMDiagError("--since: not a date: expected 2026-11-01, an ISO 8601 time, or 90d", status: .usage)
    }
    return Date(timeIntervalSince1970: TimeInterval(secs))
}

func encodeJSON<T: Encodable>(_ value: T) throws(TMDiagError) -> Data {
    do { return try JSONCoding.encode(value) } catch {
        throw TMDiagError("cannot encode JSON: \(error)", status: .software)
    }
}

/// JSON with `--json`, else the text form.
func printResult<T: Encodable>(_ value: T, global: GlobalOptions, text: (T) -> String) throws(TMDiagError) {
    if global.json { Console.outRaw(try encodeJSON(value)) } else { Console.out(text(value)) }
}
