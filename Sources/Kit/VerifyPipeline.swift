import Foundation
import History
import TMDiagCore

/// `tmdiag verify`: after a fix, is the problem gone? A new report is compared with the
/// report the case's ticket was made from; each error and each finding that is a warning or a
/// problem is `resolved` (gone), `still-present` or `new`.
public enum VerifyPipeline {
    public enum Verdict: String, Codable, Sendable {
        /// Everything the first report showed is gone and nothing new appeared.
        case resolved
        /// Something the first report showed is still there.
        case notResolved = "not-resolved"
        /// What the first report showed is gone, but something else is wrong now.
        case changed
    }

    /// One error or finding, named so that the same one is recognised in both reports.
    public struct Item: Codable, Sendable, Hashable {
        /// `error` or `finding`.
        public var kind: String
        /// The finding's rule id, or the error's kind and code (`cme 10`).
        public var id: String
        public var title: String
        /// The device it is about, as the report names it (`Modem 1-2`).
        public var device: String?
    }

    public struct ReportRef: Codable, Sendable, Hashable {
        public var reportId: String
        public var createdAt: Date
    }

    public struct Result: Codable, Sendable {
        public var `case`: String
        public var before: ReportRef
        public var after: ReportRef
        public var resolved: [Item]
        public var stillPresent: [Item]
        public var new: [Item]
        public var verdict: Verdict
        /// Whether a follow-up event was recorded on the case.
        public var recorded: Bool
    }

    /// Compares `after` with `before`. Pure.
    public static func compare(before: DeviceReport, after: DeviceReport) -> (resolved: [Item], stillPresent: [Item], new: [Item], verdict: Verdict) {
        let b = items(before), a = items(after)
        let bKeys = Set(b.map(\.key)), aKeys = Set(a.map(\.key))
        let resolved = b.filter { !aKeys.contains($0.key) }.map(\.item)
        let still = a.filter { bKeys.contains($0.key) }.map(\.item)
        let new = a.filter { !bKeys.contains($0.key) }.map(\.item)
        let verdict: Verdict = !still.isEmpty ? .notResolved : !new.isEmpty ? .changed : .resolved
        return (resolved, still, new, verdict)
    }

    /// Every error and every non-info finding, keyed by the device they are about (its IMEI
    /// or serial in masked form, so that a masked file and a stored report agree; else its
    /// bus place and ids) and what they are.
    static func items(_ r: DeviceReport) -> [(key: String, item: Item)] {
        var deviceKey: [String: String] = [:]
        var label: [String: String] = [:]
        for d in r.devices {
            let imei = d.modem?.imei ?? d.handset?.imei?.first
            deviceKey[d.device.id] = imei.map { "imei:" + Mask.imei($0) }
                ?? d.device.serial.map { "serial:" + Mask.serial($0) + "@" + d.device.vendorId + ":" + d.device.productId }
                ?? "at:" + d.device.busPath + "@" + d.device.vendorId + ":" + d.device.productId
            label[d.device.id] = "\(d.device.kind.rawValue.capitalized) \(d.device.id)"
        }
        var out: [(String, Item)] = []
        var seen = Set<String>()
        for d in r.devices {
            for e in d.errors.map({ $0.masked(.none) }) {
                let id = e.code.map { "\(e.kind.rawValue) \($0)" } ?? "\(e.kind.rawValue) \(e.raw)"
                let key = "\(deviceKey[d.device.id]!)|error|\(id)|\(e.command ?? "")"
                guard seen.insert(key).inserted else { continue }
                out.append((key, Item(kind: "error", id: id, title: "\(e.raw): \(e.meaning)", device: label[d.device.id])))
            }
        }
        for f in r.findings where f.severity != "info" {
            let key = "\(f.device.flatMap { deviceKey[$0] } ?? "-")|finding|\(f.id)"
            guard seen.insert(key).inserted else { continue }
            out.append((key, Item(kind: "finding", id: f.id, title: IdentifierScrubber.scrub(f.title, reveal: .none),
                                  device: f.device.flatMap { label[$0] })))
        }
        return out
    }

    /// Finds the case (`caseRef`, else the newest open case or draft of the account the new
    /// report's device belongs to), compares, and records the follow-up unless `record` is off.
    public static func run(caseRef: String?, after: TicketPipeline.LoadedReport, store: HistoryStore, record: Bool,
                           now: Date = Date()) throws(TMDiagError) -> Result {
        let c: SupportCase
        if let caseRef {
            guard let found = try store.supportCase(handle: caseRef) else {
                throw TMDiagError("--case: no case '\(TerminalText.escape(caseRef, limit: 64))' in the store", status: .notFound)
            }
            c = found
        } else {
            guard let account = try TicketPipeline.findAccount(nil, report: after, store: store),
                  let found = try store.openCaseWithReport(account: account.id) else {
                throw TMDiagError("verify: no open case with a ticket's report found for this device; give --case CASE-ID "
                                  + "(`tmdiag history show --account ID` lists the cases)", status: .usage)
            }
            c = found
        }
        guard let stored = try store.ticketReport(of: c) else {
            throw TMDiagError("verify: case \(TerminalText.escape(c.handle, limit: 64)) has no report in the store to compare with "
                              + "(make its ticket with `tmdiag ticket --case \(TerminalText.escape(c.handle, limit: 64))`)", status: .noInput)
        }
        let before = try TicketPipeline.decodeReport(stored.json, name: "report \(stored.id)")
        if before.reportId.caseInsensitiveCompare(after.report.reportId) == .orderedSame {
            throw TMDiagError("verify: report \(TerminalText.escape(before.reportId, limit: 20)) is the one case \(TerminalText.escape(c.handle, limit: 64)) "
                              + "was made from; make a new report after the fix (`tmdiag verify` without --report makes one)", status: .usage)
        }
        let (resolved, still, new, verdict) = compare(before: before, after: after.report)
        var result = Result(case: c.handle, before: ReportRef(reportId: before.reportId, createdAt: before.createdAt),
                            after: ReportRef(reportId: after.report.reportId, createdAt: after.report.createdAt),
                            resolved: resolved, stillPresent: still, new: new, verdict: verdict, recorded: false)
        if record {
            let summary = "Follow-up on \(c.handle): \(verdict.rawValue) (report \(before.reportId) -> \(after.report.reportId): "
                + "\(resolved.count) resolved, \(still.count) still present, \(new.count) new)"
            try store.recordFollowUp(on: c, summary: summary, at: now)
            result.recorded = true
        }
        return result
    }

    /// A report just made (not read from a file or the store), to verify with.
    public static func made(_ report: DeviceReport) -> TicketPipeline.LoadedReport {
        TicketPipeline.LoadedReport(report: report, sha256: "", stored: nil)
    }

    /// The result for a person.
    public static func text(_ r: Result) -> String {
        func day(_ d: Date) -> String { String(Timestamp.format(d).prefix(10)) }
        var out = "Follow-up on \(TerminalText.escape(r.case, limit: 64)): \(r.verdict.rawValue)\n"
        out += "  Before: report \(TerminalText.escape(r.before.reportId, limit: 20)) (\(day(r.before.createdAt)))\n"
        out += "  After:  report \(TerminalText.escape(r.after.reportId, limit: 20)) (\(day(r.after.createdAt)))\n"
        for (title, items) in [("Resolved", r.resolved), ("Still present", r.stillPresent), ("New", r.new)] {
            out += "\n\(title) (\(items.count))\n"
            for i in items {
                out += FactsRendering.para("  - ", TerminalText.escape(i.title, limit: 200) + (i.device.map { " (\(TerminalText.escape($0, limit: 40)))" } ?? ""),
                                           hanging: "    ")
            }
        }
        out += "\n" + (r.verdict == .resolved ? "The problem the case was about is gone."
            : r.verdict == .notResolved ? "The problem is still there: quote case \(TerminalText.escape(r.case, limit: 64)) when you contact support again."
            : "What the case was about is gone, but something else is wrong now: see \"New\".") + "\n"
        return out
    }
}
