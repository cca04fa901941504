import Foundation
import History
import TMDiagCore

extension ReportPipeline {
    /// Saves a report in the store after comparing each device with its previous saved report:
    /// the saved (and returned) report carries `changes`, and its findings are weighed again
    /// with them (a SIM swapped since the last report and no service now).
    public static func save(_ report: DeviceReport, store: HistoryStore, data: DataSources) throws(TMDiagError) -> DeviceReport {
        var r = try store.withChanges(report)
        if r.devices.contains(where: { !($0.changes ?? []).isEmpty }) {
            r.findings = findings(r, rules: try data.rules(), profiles: data.profiles, now: r.createdAt)
            r.verdict = ReportVerdict.of(devices: r.devices, findings: r.findings)
        }
        try store.saveReport(try stored(r))
        return r
    }
}
