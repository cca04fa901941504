import Modem
import TMDiagCore

/// Where a modem's AT port is, when neither a profile nor a udev hint says: its serial ports
/// of unknown purpose are asked a bare `AT` (see `ATPortFinder`). Only modems and hotspots are
/// asked; a board's or an adapter's serial port is never written to.
public enum ATPortSearch {
    /// The serial ports worth asking, in interface order (at most eight).
    public static func candidates(_ d: USBDevice) -> [String] {
        guard d.kind == .modem || d.kind == .hotspot, d.atPort == nil else { return [] }
        return Array(d.ports.filter { $0.kind == .unknown && $0.path.hasPrefix("/dev/tty") }
            .sorted { ($0.interface, $0.path) < ($1.interface, $1.path) }
            .map(\.path).prefix(8))
    }

    /// The port that answered, and a note that says how it was found (or why none was).
    public static func find(_ d: USBDevice, timeout: Duration) async -> (port: String?, note: String) {
        let asked = candidates(d)
        guard !asked.isEmpty else { return (nil, "no AT port known for this device") }
        let r = await ATPortFinder.find(asked, timeout: timeout)
        if let p = r.port {
            return (p, "no profile or udev hint names the AT port; \(p) answered a bare AT")
        }
        return (nil, "no AT port known for this device, and none of its serial ports answered a bare AT ("
                     + r.tried.map { "\($0.path): \($0.outcome)" }.joined(separator: "; ") + ")")
    }
}
