/// The report's own findings: what one look at a device's state says. Account history is
/// weighed later, by the ticket's rules.
public enum ReportFindings {
    public static func findings(for r: ReportedDevice, profile: DeviceProfile?) -> [Finding] {
        var out: [Finding] = []
        let id = r.device.id
        func add(_ fid: String, _ cat: String, _ sev: String, _ conf: Double, _ title: String, _ why: String, _ next: String?) {
            out.append(Finding(id: fid, category: cat, severity: sev, confidence: conf, title: title, reasoning: why, nextStep: next, device: id))
        }
        guard let m = r.modem else { return out }
        switch m.sim?.state {
        case .absent?:
            add("sim-absent", "sim", "problem", 0.9, "No SIM card detected",
                "The modem reports no SIM inserted.", "Power off, reseat the SIM, power on; if it persists ask for a replacement SIM.")
        case .pinRequired?:
            add("sim-pin-locked", "sim", "problem", 0.9, "SIM is locked with a PIN",
                "The SIM waits for its PIN (\(m.sim?.detail ?? "SIM PIN")) before it can register.",
                "Enter the SIM PIN on the device itself; support never needs it. After 3 wrong tries the SIM asks for a PUK from the carrier.")
        case .pukRequired?:
            add("sim-puk-locked", "sim", "problem", 0.95, "SIM is blocked (PUK required)",
                "Too many wrong PIN entries blocked the SIM.", "Ask the carrier for the PUK through a verified channel; enter it on the device only.")
        case .failure?:
            add("sim-failure", "sim", "problem", 0.8, "SIM card failure", "The modem cannot read the SIM.", "Try the SIM in another device; ask the carrier for a replacement SIM.")
        default: break
        }
        if let reg = m.registration {
            switch reg.state {
            case .denied:
                let cause = reg.rejectCause.map { " (\($0.kind.uppercased()) cause \($0.code)\($0.meaning.map { ": " + $0 } ?? ""))" } ?? ""
                let provisioning = reg.rejectCause.map { [7, 8, 14, 3, 6, 2].contains($0.code) } ?? false
                add("registration-denied", provisioning ? "provisioning" : "coverage", "problem", provisioning ? 0.85 : 0.6,
                    "The network refuses registration" + cause,
                    provisioning ? "The reject cause points at the line's provisioning on the account, not at the device."
                                 : "The network rejected the device.",
                    provisioning ? "Ask the carrier to check the line is active and provisioned for data/LTE, and that the SIM on the account matches."
                                 : "Note the cause and contact the carrier.")
            case .notRegistered, .searching:
                if m.sim?.state == .ready {
                    add("not-registered", "coverage", "warning", 0.5, "Not registered on a network",
                        "The SIM is ready but the modem is \(reg.state == .searching ? "still searching" : "not registered").",
                        "Check coverage at this location and that the radio is on; then contact the carrier if it stays unregistered.")
                }
            case .roaming:
                add("roaming", "roaming", "info", 0.7, "Roaming on \(reg.operator?.name ?? [reg.operator?.mcc, reg.operator?.mnc].compactMap { $0 }.joined())",
                    "The modem is registered on a partner network.", "Check that roaming is enabled on the plan and the device.")
            default: break
            }
        }
        if let f = m.functionality, f == 0 || f == 4 {
            add("radio-off", "device", "problem", 0.8, "The radio is off (CFUN \(f))", "The modem's radio is switched off (airplane or minimum mode).",
                "Turn airplane mode off in the connection manager, or restart the modem.")
        }
        if let q = m.signal?.quality, q == .poor || q == .none, m.registration?.state.isRegistered == true || q == .none {
            add("weak-signal", "coverage", "warning", 0.6, "Weak signal (\(q.rawValue))", "Signal measurements are in the \(q.rawValue) band.",
                "Move the device near a window or use an external antenna; report the location if coverage should be good there.")
        }
        if let current = profile?.currentFirmware, let fw = m.firmware, !fw.isEmpty, fw != current, fw < current {
            add("firmware-old", "device", "info", 0.5, "Firmware \(fw) is older than \(current)",
                "The profile lists \(current) as the current release.", "Update the modem firmware from the vendor.")
        }
        return out
    }
}
