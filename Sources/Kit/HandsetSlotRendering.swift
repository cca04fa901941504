import Foundation
import TMDiagCore

/// A phone's SIM slots as text: each slot through the same lines a modem's facts use, plus
/// IMS and the signal of every technology the phone measured.
enum HandsetSlotRendering {
    static func slots(_ slots: [HandsetSlot], readAt: Date?) -> String {
        var out = ""
        if let readAt { out += FactsRendering.field("Read at", Timestamp.format(readAt)) }
        for slot in slots {
            out += "  SIM slot \(slot.slot + 1):\n"
            out += FactsRendering.modem(slot.asModemFacts(manufacturer: nil, model: nil), indent: "    ")
            if let others = slot.signalByTechnology, others.count > 1 {
                let words = others.keys.sorted().map { tech -> String in
                    let s = others[tech]!
                    let value = s.rsrpDbm.map { "RSRP \(FactsRendering.fmt($0)) dBm" }
                        ?? s.rscpDbm.map { "RSCP \(FactsRendering.fmt($0)) dBm" } ?? s.rssiDbm.map { "RSSI \($0) dBm" } ?? "?"
                    return "\(tech) \(value)"
                }
                out += FactsRendering.field("Measured", words.joined(separator: ", "), indent: "    ")
            }
            if let ims = slot.ims {
                var parts: [String] = []
                if let r = ims.registered { parts.append(r ? "registered" : "not registered") }
                if let v = ims.voiceAvailable { parts.append(v ? "voice over IMS available" : "no voice over IMS") }
                out += FactsRendering.field("IMS", parts.joined(separator: ", "), indent: "    ")
            }
        }
        return out
    }
}
