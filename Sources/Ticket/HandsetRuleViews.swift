import TMDiagCore

extension RuleEngine {
    /// The devices as the rules see them. A phone with per-slot facts stands in once per SIM
    /// slot that holds a SIM (or once, for its first slot, when none does), each slot's facts
    /// filled into the same `ModemFacts` a modem has: one rule set serves both, and an empty
    /// second slot on a dual-SIM phone is not a "no SIM" problem.
    static func ruleDevices(_ devices: [ReportedDevice]) -> [ReportedDevice] {
        devices.flatMap { d -> [ReportedDevice] in
            guard let h = d.handset, let slots = h.slots, !slots.isEmpty else { return [d] }
            let withSIM = slots.filter { $0.sim?.state != .absent }
            let counted = withSIM.isEmpty ? [slots[0]] : withSIM
            let model = h.model ?? d.device.displayName
            return counted.map { slot in
                var copy = d
                let name = slots.count > 1 ? "\(model) (SIM \(slot.slot + 1))" : model
                copy.modem = slot.asModemFacts(manufacturer: h.manufacturer, model: name)
                return copy
            }
        }
    }
}
