import Foundation
import TMDiagCore

/// Facts about phones from the tools their owners already have: `adb getprop` for Android,
/// `ideviceinfo` for iPhones. Missing tools and unauthorised phones become a note, not an error.
public enum HandsetEnrichment {
    static let adbProps = ["ro.product.manufacturer", "ro.product.model", "ro.build.fingerprint",
                           "ro.build.version.release", "ro.build.version.security_patch", "gsm.version.baseband",
                           "gsm.sim.state", "gsm.operator.numeric", "gsm.operator.alpha", "gsm.network.type",
                           "gsm.operator.isroaming"]

    public static func enrich(_ d: USBDevice, host: HostInfo, timeout: Duration) async -> HandsetFacts? {
        guard d.kind == .handset else { return nil }
        let isApple = d.vendorId == "05ac"
        if isApple {
            var h = HandsetFacts(source: "ideviceinfo")
            guard let tool = host.tools["ideviceinfo"] else {
                h.note = "ideviceinfo not installed (Debian: libimobiledevice-utils); iPhone details not read"
                return h
            }
            var args: [String] = []
            if let s = d.serial { args = ["-u", s] }
            guard let o = await HelperTools.run(tool, args, timeout: timeout) else { h.note = "ideviceinfo could not start"; return h }
            if o.timedOut { h.note = "ideviceinfo timed out"; return h }
            if o.status != 0 {
                h.note = "ideviceinfo failed: " + TerminalText.escape(o.stderr.split(separator: "\n").first.map(String.init) ?? "exit \(o.status)", limit: 160)
                    + " (unlock the iPhone and tap Trust)"
                return h
            }
            return parseIdeviceinfo(o.stdout)
        }
        var h = HandsetFacts(source: "adb")
        guard d.interfaces.contains(where: { $0.triple == "ff/42/01" }) else {
            h.note = "USB debugging is off (no ADB interface); only USB identity is known"
            return h
        }
        guard let adb = host.tools["adb"] else {
            h.note = "adb not installed (Debian: adb); phone details not read"
            return h
        }
        var args: [String] = []
        if let s = d.serial { args = ["-s", s] }
        guard let o = await HelperTools.run(adb, args + ["shell", "getprop"], timeout: timeout) else { h.note = "adb could not start"; return h }
        if o.timedOut { h.note = "adb timed out"; return h }
        if o.status != 0 {
            let msg = o.stderr.lowercased()
            h.note = msg.contains("unauthorized") ? "phone has not authorised this computer for USB debugging (accept the prompt on the phone)"
                : "adb failed: " + TerminalText.escape(o.stderr.split(separator: "\n").first.map(String.init) ?? "exit \(o.status)", limit: 160)
            return h
        }
        return parseGetprop(o.stdout)
    }

    /// `[key]: [value]` lines; multi-SIM values are comma lists, one per slot.
    public static func parseGetprop(_ text: String) -> HandsetFacts {
        var props: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { continue }
            let key = String(line[line.index(after: line.startIndex)..<close])
            guard adbProps.contains(key), let open = line[close...].firstIndex(of: "["), let end = line.lastIndex(of: "]"), open < end else { continue }
            props[key] = String(line[line.index(after: open)..<end])
        }
        var h = HandsetFacts(source: "adb")
        func list(_ k: String) -> [String]? {
            guard let v = props[k], !v.isEmpty else { return nil }
            return v.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        }
        h.manufacturer = props["ro.product.manufacturer"]
        h.model = props["ro.product.model"]
        h.osVersion = props["ro.build.version.release"].map { "Android " + $0 }
        h.build = props["ro.build.fingerprint"]
        h.securityPatch = props["ro.build.version.security_patch"]
        h.baseband = props["gsm.version.baseband"]
        h.simStates = list("gsm.sim.state")
        h.networkTypes = list("gsm.network.type")
        h.roaming = list("gsm.operator.isroaming")?.map { $0 == "true" }
        let numerics = list("gsm.operator.numeric") ?? []
        let alphas = list("gsm.operator.alpha") ?? []
        if !numerics.isEmpty || !alphas.isEmpty {
            h.operators = (0..<max(numerics.count, alphas.count)).map { i in
                let n = i < numerics.count ? numerics[i] : ""
                return OperatorInfo(name: i < alphas.count && !alphas[i].isEmpty ? alphas[i] : nil,
                                    mcc: n.count >= 5 ? String(n.prefix(3)) : nil, mnc: n.count >= 5 ? String(n.dropFirst(3)) : nil)
            }
        }
        return h
    }

    /// `Key: Value` lines of `ideviceinfo`.
    public static func parseIdeviceinfo(_ text: String) -> HandsetFacts {
        var kv: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let c = line.firstIndex(of: ":") else { continue }
            kv[String(line[..<c])] = line[line.index(after: c)...].trimmingSpaces
        }
        var h = HandsetFacts(source: "ideviceinfo")
        h.manufacturer = "Apple"
        h.model = kv["ProductType"]
        h.osVersion = kv["ProductVersion"].map { "iOS " + $0 }
        h.build = kv["BuildVersion"]
        h.baseband = kv["BasebandVersion"]
        let imeis = ["InternationalMobileEquipmentIdentity", "InternationalMobileEquipmentIdentity2"].compactMap { kv[$0] }
        h.imei = imeis.isEmpty ? nil : imeis
        return h
    }
}
