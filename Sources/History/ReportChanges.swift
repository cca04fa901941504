import Foundation
import TMDiagCore

/// "What changed", found rather than asked: each device of a new report is compared with the
/// same device in its previous saved report. The same device is the one with the same IMEI,
/// else (a modem that gives none) the same USB serial, else the same PCI address; vendor and
/// product ids must agree for the last two, so that another modem in the same slot is not
/// taken for this one.
extension HistoryStore {
    /// How many of the newest reports are searched for a PCI modem without IMEI or serial
    /// (the only match that has no index).
    static let pciSearchDepth = 50

    /// `report` with `changes` set on every device that has an earlier saved report (older
    /// than `report`, never `report` itself).
    public func withChanges(_ report: DeviceReport) throws(TMDiagError) -> DeviceReport {
        var out = report
        for i in out.devices.indices {
            let d = out.devices[i]
            guard let (prev, prevDevice) = try previous(of: d, before: report) else { continue }
            let changes = d.changes(since: prevDevice, reportId: prev.reportId, at: prev.createdAt)
            out.devices[i].changes = changes
        }
        return out
    }

    /// The newest saved report before `report` that holds `device`, and the device in it.
    func previous(of device: ReportedDevice, before report: DeviceReport) throws(TMDiagError) -> (DeviceReport, ReportedDevice)? {
        func earlier(_ s: StoredReport) -> Bool {
            s.id.caseInsensitiveCompare(report.reportId) != .orderedSame && s.createdAt <= report.createdAt
        }
        let imei = device.modem?.imei ?? device.handset?.imei?.first
        if let imei, !Mask.isMasked(imei) {
            for s in try reports(imei: imei) where earlier(s) {
                if let r = decoded(s), let d = r.devices.first(where: { ($0.modem?.imei ?? $0.handset?.imei?.first) == imei }) {
                    return (r, d)
                }
            }
            // No earlier report with this IMEI: the serial may still find the device (an IMEI
            // that changed is itself a change worth showing).
        }
        let sameIds = { (d: ReportedDevice) in
            d.device.vendorId == device.device.vendorId && d.device.productId == device.device.productId
        }
        if let serial = device.device.serial, !serial.isEmpty, !Mask.isMasked(serial) {
            for s in try reports(naming: "serial", value: serial) where earlier(s) {
                if let r = decoded(s), let d = r.devices.first(where: { $0.device.serial == serial && sameIds($0) }) {
                    return (r, d)
                }
            }
            return nil
        }
        if device.device.bus == .pci {
            for s in try newestReports(limit: Self.pciSearchDepth) where earlier(s) {
                if let r = decoded(s), let d = r.devices.first(where: {
                    $0.device.bus == .pci && $0.device.busPath == device.device.busPath && sameIds($0)
                }) {
                    return (r, d)
                }
            }
        }
        return nil
    }

    /// A stored report that no longer decodes (written by another version, or damaged) is
    /// no earlier report: it is skipped, not an error for the new one.
    private func decoded(_ s: StoredReport) -> DeviceReport? {
        try? JSONCoding.decoder().decode(DeviceReport.self, from: s.json)
    }

    /// Reports naming an identifier of `kind` (`imei`, `iccid`, `imsi`, `msisdn`, `serial`),
    /// newest first.
    public func reports(naming kind: String, value: String) throws(TMDiagError) -> [StoredReport] {
        try backend.reports(naming: kind, value: value)
    }

    /// The newest `limit` reports, newest first.
    public func newestReports(limit: Int) throws(TMDiagError) -> [StoredReport] {
        try backend.newestReports(limit: limit)
    }
}
