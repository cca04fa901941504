import Discovery
import Foundation
import MBIM
import Modem
import QMI
import TMDiagCore

/// Reading a modem over its MBIM or QMI control channel (cdc-wdm, or a PCI modem's wwan
/// port): the path for modems that speak no AT, or whose AT port gave nothing. The answers fill
/// the same `ModemFacts` and `ReportedError`s as AT, explained by the same catalog.
enum ControlChannelProbe {
    /// The device's MBIM or QMI channel, MBIM first (it is the richer of the two here).
    static func channel(of d: USBDevice) -> DevicePort? {
        d.ports.first { $0.kind == .mbim } ?? d.ports.first { $0.kind == .qmi }
    }

    /// Reads the channel within `timeout`; never throws: what went wrong is in the result.
    static func read(_ port: DevicePort, of device: USBDevice?, timeout: Duration, holders: [PortHolder],
                     trace: (@Sendable (String, String) -> Void)? = nil) async -> WWANProbeResult {
        var wanted = WWANOptions(timeout: timeout, heldBy: holders.map(\.description), trace: trace)
        wanted.maxOutstanding = maxOutstanding(port, of: device)
        let options = wanted
        let path = port.path
        let isMBIM = port.kind == .mbim
        // The clients block in poll() until their deadline at worst: on a thread of their own.
        return await BlockingIO.run { _ in
            isMBIM ? MBIMClient.read(path: path, options: options) : QMIClient.read(path: path, options: options)
        }
    }

    /// How many MBIM commands the function takes at once, as its USB descriptors say; 1 when
    /// they do not (a PCI modem's wwan port has none) and for QMI, whose client reads one
    /// request at a time.
    static func maxOutstanding(_ port: DevicePort, of device: USBDevice?) -> Int {
        guard port.kind == .mbim, let d = device, d.bus == .usb, port.interface >= 0 else { return 1 }
        return MBIMFunctionDescriptors.maxOutstandingCommands(busPath: d.busPath, interface: port.interface) ?? 1
    }

    /// The result's errors in the report's shape, network causes explained by the catalog
    /// like a `+CEER` or `+CEREG` cause.
    static func errors(_ r: WWANProbeResult, catalog: ErrorCatalog) -> [ReportedError] {
        r.errors.map { e in
            var x = e.reported
            if e.kind == .network, let code = e.code, let ex = catalog.explain(table: x.kind.rawValue, code: code) {
                x.meaning = ex.meaning
                x.advice = ex.advice
                x.actor = ex.actor
            }
            return x
        }
    }

    /// How much was read: every fact group answered, some, or none.
    static func coverage(_ r: WWANProbeResult) -> ProbeCoverage {
        if r.facts.isEmpty { return .none }
        let missing = r.errors.contains { $0.kind == .timeout || $0.kind == .port || $0.kind == .framing }
        return missing ? .partial : .complete
    }
}
