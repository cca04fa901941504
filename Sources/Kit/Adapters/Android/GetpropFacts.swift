import TMDiagCore

/// Reads `adb shell getprop` (`[key]: [value]` lines). Multi-SIM values are comma lists, one per
/// slot (`gsm.sim.state` = `READY,ABSENT`), as AOSP's TelephonyManager.setTelephonyProperty writes them.
public enum GetpropFacts {
    /// The properties tmdiag keeps; everything else in the dump is dropped unread.
    static let keys: Set<String> = [
        "ro.product.manufacturer", "ro.product.model", "ro.build.fingerprint", "ro.build.version.release",
        "ro.build.version.sdk", "ro.build.version.security_patch", "gsm.version.baseband", "gsm.sim.state",
        "gsm.operator.numeric", "gsm.operator.alpha", "gsm.network.type", "gsm.operator.isroaming",
        "gsm.sim.operator.numeric", "gsm.sim.operator.alpha",
        // IMEIs where a vendor build publishes them (Xiaomi, some MediaTek and Qualcomm builds);
        // stock Android keeps them behind a permission adb's shell does not have.
        "ro.ril.oem.imei", "ro.ril.oem.imei1", "ro.ril.oem.imei2", "persist.radio.imei", "persist.radio.imei1",
        "persist.radio.imei2", "ril.imei", "ril.imei1", "ril.imei2",
    ]

    public static func properties(_ text: String) -> [String: String] {
        var props: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { continue }
            let key = String(line[line.index(after: line.startIndex)..<close])
            guard keys.contains(key), let open = line[close...].firstIndex(of: "["), let end = line.lastIndex(of: "]"),
                  open < end else { continue }
            props[key] = String(line[line.index(after: open)..<end])
        }
        return props
    }

    /// A comma list, one value per slot (empty strings kept: an empty slot still has a place).
    public static func list(_ props: [String: String], _ key: String) -> [String]? {
        guard let v = props[key], !v.isEmpty else { return nil }
        return v.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
    }

    /// The handset identity and the per-slot lists.
    public static func facts(_ props: [String: String]) -> HandsetFacts {
        var h = HandsetFacts(source: "adb")
        h.manufacturer = props["ro.product.manufacturer"]
        h.model = props["ro.product.model"]
        h.osVersion = props["ro.build.version.release"].map { "Android " + $0 }
        h.build = props["ro.build.fingerprint"]
        h.securityPatch = props["ro.build.version.security_patch"]
        h.baseband = list(props, "gsm.version.baseband")?.first { !$0.isEmpty }
        h.simStates = list(props, "gsm.sim.state")
        h.networkTypes = list(props, "gsm.network.type")
        h.roaming = list(props, "gsm.operator.isroaming")?.map { $0 == "true" }
        let numerics = list(props, "gsm.operator.numeric") ?? []
        let alphas = list(props, "gsm.operator.alpha") ?? []
        if !numerics.isEmpty || !alphas.isEmpty {
            h.operators = (0..<max(numerics.count, alphas.count)).map { i in
                operatorInfo(numeric: i < numerics.count ? numerics[i] : "", name: i < alphas.count ? alphas[i] : "")
            }
        }
        var imeis: [String] = []
        for k in ["ro.ril.oem.imei1", "persist.radio.imei1", "ril.imei1", "ro.ril.oem.imei", "persist.radio.imei", "ril.imei",
                  "ro.ril.oem.imei2", "persist.radio.imei2", "ril.imei2"] {
            if let v = props[k], v.count >= 14, v.allSatisfy(\.isASCIIDigit), !imeis.contains(v) { imeis.append(v) }
        }
        h.imei = imeis.isEmpty ? nil : imeis
        return h
    }

    public static func operatorInfo(numeric n: String, name: String) -> OperatorInfo {
        let digits = n.count >= 5 && n.count <= 6 && n.allSatisfy(\.isASCIIDigit)
        return OperatorInfo(name: name.isEmpty ? nil : name, mcc: digits ? String(n.prefix(3)) : nil,
                            mnc: digits ? String(n.dropFirst(3)) : nil)
    }

    /// `gsm.sim.state` words (IccCardConstants.INTENT_VALUE_ICC_*) as the contract's SIM states.
    public static func simState(_ word: String) -> SIMState {
        switch word.uppercased() {
        case "READY", "LOADED", "IMSI": return .ready
        case "ABSENT": return .absent
        case "PIN_REQUIRED", "NETWORK_LOCKED": return .pinRequired
        case "PUK_REQUIRED": return .pukRequired
        case "CARD_IO_ERROR", "CARD_RESTRICTED", "PERM_DISABLED": return .failure
        default: return .unknown
        }
    }
}
