import TMDiagCore

extension RuleEngine {
    /// A device as the rules see it, and for a phone's SIM slot the line that says which slot
    /// (it becomes the finding's first evidence line).
    struct RuleDevice {
        var device: ReportedDevice
        var slotEvidence: String?
    }

    /// The devices as the rules see them. A phone with per-slot facts stands in once per SIM
    /// slot that holds a SIM (or once, for its first slot, when none does), each slot's facts
    /// filled into the same `ModemFacts` a modem has: one rule set serves both, and an empty
    /// second slot on a dual-SIM phone is not a "no SIM" problem.
    static func ruleDevices(_ devices: [ReportedDevice]) -> [RuleDevice] {
        devices.flatMap { d -> [RuleDevice] in
            guard let h = d.handset, let slots = h.slots, !slots.isEmpty else { return [RuleDevice(device: d)] }
            let withSIM = slots.filter { $0.sim?.state != .absent }
            let counted = withSIM.isEmpty ? [slots[0]] : withSIM
            let model = h.model ?? d.device.displayName
            return counted.map { slot in
                var copy = d
                let name = slots.count > 1 ? "\(model) (SIM \(slot.slot + 1))" : model
                copy.modem = slot.asModemFacts(manufacturer: h.manufacturer, model: name)
                return RuleDevice(device: copy, slotEvidence: evidence(slot, source: h.source))
            }
        }
    }

    /// "SIM slot 2 (adb): sim ready, registration home on lte, operator 311-480, RSRP -121 dBm, IMS registered".
    static func evidence(_ slot: HandsetSlot, source: String) -> String {
        var parts: [String] = []
        if let s = slot.sim { parts.append("sim \(s.state.rawValue)") }
        if let r = slot.registration {
            parts.append("registration \(r.state.rawValue)" + (r.technology.map { " on \($0)" } ?? ""))
            if let o = r.operator, let mcc = o.mcc, let mnc = o.mnc { parts.append("operator \(mcc)-\(mnc)") }
            if let c = r.rejectCause { parts.append("reject cause \(c.kind.uppercased()) \(c.code)") }
        }
        if let s = slot.signal {
            if let v = s.rsrpDbm { parts.append("RSRP \(Int(v)) dBm") } else if let v = s.rscpDbm { parts.append("RSCP \(Int(v)) dBm") }
            else if let v = s.rssiDbm { parts.append("RSSI \(v) dBm") }
        }
        if let i = slot.ims?.registered { parts.append(i ? "IMS registered" : "IMS not registered") }
        return "SIM slot \(slot.slot + 1) (\(source)): " + parts.joined(separator: ", ")
    }
}
