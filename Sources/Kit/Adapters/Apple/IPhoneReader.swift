import Foundation
import TMDiagCore

/// Reads an iPhone through libimobiledevice's `ideviceinfo`. Two reads run at once:
/// `ideviceinfo -s` ("simple": no pairing handshake) gets what lockdown tells any computer
/// (ProductType, ProductVersion, BuildVersion); the plain `ideviceinfo` gets the rest
/// (BasebandVersion, IMEIs, ICCID, carrier bundle) only when the iPhone trusts this computer.
/// Which of the two it was is said in `access` and the note.
public enum IPhoneReader {
    /// The only argument lists tmdiag passes to ideviceinfo (after an optional `-u UDID`):
    /// ideviceinfo only reads lockdown values; `-k`, `-q` and `-x` are not needed and not used.
    public static let allowed: [[String]] = [["-s"], []]

    /// Whether a whole ideviceinfo argument vector is one tmdiag may run.
    public static func isAllowedInvocation(_ argv: [String]) -> Bool {
        var rest = argv[...]
        if rest.first == "-u" {
            guard rest.count >= 2 else { return false }
            rest = rest.dropFirst(2)
        }
        return allowed.contains(Array(rest))
    }

    public static func read(udid: String?, tool: String, timeout: Duration) async -> HandsetFacts {
        let prefix = udid.map { ["-u", $0] } ?? []
        async let simple = HelperTools.run(tool, prefix + ["-s"], timeout: timeout)
        async let full = HelperTools.run(tool, prefix, timeout: timeout)
        var facts = assemble(simple: await simple, full: await full)
        facts.readAt = Date()
        return facts
    }

    static func assemble(simple: HelperTools.Output?, full: HelperTools.Output?) -> HandsetFacts {
        if let full, full.status == 0, !full.timedOut {
            var h = parse(full.stdout)
            h.access = .read
            return h
        }
        let reason = failure(full)
        if let simple, simple.status == 0, !simple.timedOut {
            var h = parse(simple.stdout)
            h.access = reason.access
            h.note = reason.note + "; only the model and iOS version were read"
            h.customerSteps = reason.steps
            return h
        }
        return CustomerSteps.facts(source: "ideviceinfo", access: reason.access, note: reason.note, steps: reason.steps)
    }

    /// Why the trusted read failed: not paired, passcode, usbmuxd missing, or another error.
    static func failure(_ o: HelperTools.Output?) -> (access: HandsetAccess, note: String, steps: [String]) {
        guard let o else { return (.failed, "ideviceinfo could not start", []) }
        if o.timedOut { return (.failed, "ideviceinfo did not answer in time", CustomerSteps.tapTrust) }
        let text = (o.stderr + "\n" + o.stdout)
        let lower = text.lowercased()
        let first = TerminalText.escape(text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit \(o.status)", limit: 160)
        if lower.contains("no device found") || lower.contains("not found") {
            return (.failed, "ideviceinfo cannot see the iPhone (is usbmuxd running?): \(first)", CustomerSteps.startUsbmuxd)
        }
        if lower.contains("lockdown") || lower.contains("pair") || lower.contains("password protected") {
            // lockdownd's errors without a trusted pairing: -17 passcode protected, -18 user
            // denied pairing, -19 pairing dialog pending, -21 invalid host id (no pair record).
            return (.notTrusted, "the iPhone has not trusted this computer (\(first))", CustomerSteps.tapTrust)
        }
        return (.failed, "ideviceinfo failed: \(first)", [])
    }

    /// `Key: Value` lines of ideviceinfo's default output; nested values (arrays, dictionaries)
    /// are indented under their key.
    static func parse(_ text: String) -> HandsetFacts {
        var kv: [String: String] = [:]
        var bundleId: String?, bundleVersion: String?
        var inCarrierBundles = false
        for line in text.split(whereSeparator: \.isNewline) {
            let indented = line.first == " " || line.first == "\t"
            guard let c = line.firstIndex(of: ":") else { continue }
            let key = line[..<c].trimmingSpaces
            let value = line[line.index(after: c)...].trimmingSpaces
            if !indented {
                inCarrierBundles = key == "CarrierBundleInfoArray"
                kv[key] = value
            } else if inCarrierBundles {
                if key == "CFBundleIdentifier", bundleId == nil { bundleId = value }
                if key == "CFBundleVersion", bundleVersion == nil { bundleVersion = value }
            }
        }
        var h = HandsetFacts(source: "ideviceinfo")
        h.manufacturer = "Apple"
        h.model = kv["ProductType"]
        h.osVersion = kv["ProductVersion"].map { "iOS " + $0 }
        h.build = kv["BuildVersion"]
        h.baseband = kv["BasebandVersion"]?.nilIfEmpty
        let imeis = ["InternationalMobileEquipmentIdentity", "InternationalMobileEquipmentIdentity2"].compactMap { kv[$0]?.nilIfEmpty }
        h.imei = imeis.isEmpty ? nil : imeis
        if let id = bundleId { h.carrierBundle = id + (bundleVersion.map { " \($0)" } ?? "") }
        if let status = kv["SIMStatus"] ?? (kv["IntegratedCircuitCardIdentity"] != nil ? "ready" : nil) {
            var sim = SIMFacts(state: simState(status), detail: status)
            sim.iccid = kv["IntegratedCircuitCardIdentity"]?.nilIfEmpty
            sim.imsi = kv["InternationalMobileSubscriberIdentity"]?.nilIfEmpty
            if let mcc = kv["MobileSubscriberCountryCode"], let mnc = kv["MobileSubscriberNetworkCode"], !mcc.isEmpty, !mnc.isEmpty {
                sim.operator = OperatorInfo(mcc: mcc, mnc: mnc)
            }
            h.slots = [HandsetSlot(slot: 0, sim: sim)]
        }
        return h
    }

    /// CoreTelephony's SIMStatus words (kCTSIMSupportSIMStatus*) as the contract's SIM states.
    static func simState(_ s: String) -> SIMState {
        let w = s.lowercased()
        if w.hasSuffix("ready") { return .ready }
        if w.contains("notinserted") { return .absent }
        if w.contains("puklocked") { return .pukRequired }
        if w.contains("pinlocked") { return .pinRequired }
        return .unknown
    }
}
