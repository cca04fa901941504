import Foundation
import TMDiagCore

/// When ModemManager runs, it holds the modem's ports: tmdiag reads what it knows through
/// `mmcli -J` instead of fighting it for the port.
public enum ModemManagerReader {
    /// Facts per USB bus path (`1-2`), from `mmcli -J -L` and `mmcli -J -m N`.
    public static func read(mmcli: String, timeout: Duration) async -> [String: ModemFacts] {
        guard let list = await HelperTools.run(mmcli, ["-J", "-L"], timeout: timeout), list.status == 0,
              let obj = try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any],
              let paths = obj["modem-list"] as? [String] else { return [:] }
        var out: [String: ModemFacts] = [:]
        for path in paths.prefix(16) {
            guard let index = path.split(separator: "/").last,
                  let o = await HelperTools.run(mmcli, ["-J", "-m", String(index)], timeout: timeout), o.status == 0,
                  let m = (try? JSONSerialization.jsonObject(with: Data(o.stdout.utf8)) as? [String: Any])?["modem"] as? [String: Any]
            else { continue }
            let generic = m["generic"] as? [String: Any] ?? [:]
            let gpp = m["3gpp"] as? [String: Any] ?? [:]
            guard let sysfs = generic["device"] as? String, let busPath = sysfs.split(separator: "/").last else { continue }
            var f = ModemFacts()
            f.manufacturer = generic["manufacturer"] as? String
            f.model = generic["model"] as? String
            f.firmware = (generic["revision"] as? String).map { String($0.split(separator: " ").first ?? "") }
            f.imei = gpp["imei"] as? String ?? generic["equipment-identifier"] as? String
            var reg = RegistrationFacts()
            switch gpp["registration-state"] as? String {
            case "home": reg.state = .home
            case "roaming": reg.state = .roaming
            case "searching": reg.state = .searching
            case "denied": reg.state = .denied
            case "idle": reg.state = .notRegistered
            default: reg.state = .unknown
            }
            let code = gpp["operator-code"] as? String ?? ""
            reg.operator = OperatorInfo(name: gpp["operator-name"] as? String,
                                        mcc: code.count >= 5 ? String(code.prefix(3)) : nil,
                                        mnc: code.count >= 5 ? String(code.dropFirst(3)) : nil)
            f.registration = reg
            var sim = SIMFacts()
            switch generic["state"] as? String {
            case "locked": sim.state = (generic["unlock-required"] as? String)?.contains("puk") == true ? .pukRequired : .pinRequired
            case "failed": sim.state = (generic["state-failed-reason"] as? String) == "sim-missing" ? .absent : .failure
            case nil: sim.state = .unknown
            default: sim.state = .ready
            }
            f.sim = sim
            if let q = (generic["signal-quality"] as? [String: Any])?["value"] as? String, let v = Int(q) {
                f.signal = SignalFacts(quality: v >= 75 ? .excellent : v >= 50 ? .good : v >= 25 ? .fair : v > 0 ? .poor : .none)
            }
            out[String(busPath)] = f
        }
        return out
    }
}
