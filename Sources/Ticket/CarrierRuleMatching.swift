import Modem
import Profiles
import TMDiagCore

/// `when.carrier` of a diagnosis rule, for one device: the device's facts held against its
/// carrier's (`CarrierNetwork`). A condition the facts cannot decide (no diagnosis queries ran,
/// no carrier facts for the SIM) does not hold: a rule never fires on what nobody asked.
extension RuleEngine {
    struct CarrierMatch {
        var values: [String: String] = [:]
        /// Raw reply lines the finding rests on.
        var evidence: [String] = []
    }

    /// Debian's provider list, when installed: the internet APNs every provider on a code lists.
    public static let debianAPNs: @Sendable (String, String) -> [String] = { mcc, mnc in
        (debianAPNTable[mcc + mnc] ?? []).filter { $0.usage == nil || $0.usage == "internet" }.map(\.apn)
    }

    /// Read once per process, on first use (from the parsed cache when the list is unchanged).
    private static let debianAPNTable = OperatorDirectory.loadAPNs()

    /// USB interface triples of network functions a class driver binds: CDC ECM, NCM, MBIM and RNDIS.
    static let netFunctionTriples: Set<String> = ["02/06/00", "02/0d/00", "02/0e/00", "e0/01/03", "ef/04/01"]

    static func matchCarrier(_ c: CarrierConditions, _ d: ReportedDevice, _ ctx: Context) -> CarrierMatch? {
        var out = CarrierMatch()
        let m = d.modem
        let net = ctx.carrier
        /// A kept reply by its command, in the upper case the facts builder stores commands in.
        func raw(_ command: String) -> [String] {
            m?.vendor?[command.uppercased()].map { $0.split(separator: "\n").map(String.init) } ?? []
        }
        let simOp = m?.sim?.operator
        let simIsCarrier = net?.owns(mcc: simOp?.mcc, mnc: simOp?.mnc) ?? false
        if let want = c.simIsCarrier, want != simIsCarrier { return nil }

        if let want = c.deviceIds {
            let id = "\(d.device.vendorId):\(d.device.productId)".lowercased()
            guard want.contains(id) else { return nil }
            out.values["deviceId"] = id
            out.evidence.append("\(d.device.bus == .pci ? "PCI" : "USB") \(id) \(d.device.displayName)")
        }
        if let want = c.fccUnlockHelper {
            let state = ctx.fccUnlockHelpers.state(vendorId: d.device.vendorId, productId: d.device.productId)
            guard want.contains(state) else { return nil }
            out.values["fccHelper"] = state
            out.evidence.append("ModemManager FCC unlock helper for \(d.device.vendorId):\(d.device.productId): \(state)")
        }
        if c.apn != nil || c.dataActive != nil {
            guard let contexts = m?.dataContexts, !contexts.isEmpty else { return nil }
            if let want = c.dataActive {
                let active = contexts.contains { $0.active == true && !($0.addresses ?? []).isEmpty }
                    || contexts.contains { $0.active == true && $0.addresses == nil }
                guard want == active else { return nil }
            }
            if let want = c.apn {
                guard let state = apnState(contexts, m, net, ctx, &out.values) else { return nil }
                guard want.contains(state) else { return nil }
            }
            out.evidence += raw("AT+CGDCONT?") + raw("AT+CGACT?") + raw("AT+CGPADDR")
        }
        if c.firmwareConfig != nil || c.firmwareAutoSelect != nil {
            guard let config = m?.carrierConfig else { return nil }
            if let want = c.firmwareConfig {
                guard let words = net?.firmwareConfigs, let selected = config.selected else { return nil }
                let upper = selected.uppercased()
                let kind = words.carrier.contains { upper.contains($0.uppercased()) } ? "carrier"
                    : words.generic.contains { upper.contains($0.uppercased()) } ? "generic" : "other"
                guard want.contains(kind) else { return nil }
                out.values["firmwareConfig"] = selected
            }
            if let want = c.firmwareAutoSelect {
                guard let auto = config.autoSelect, auto == want else { return nil }
            }
            let source = config.source ?? ""
            out.evidence += raw(source).filter { l in config.selected.map { l.contains($0) } ?? true }
            if source.contains("QMBNCFG") { out.evidence += raw("AT+QMBNCFG=\"AutoSel\"") }
        }
        if let want = c.imsRegistered {
            guard let registered = m?.ims?.registered, registered == want else { return nil }
            out.evidence += raw("AT+CIREG?") + raw("AT+CAVIMS?") + raw("AT+QCFG=\"ims\"")
        }
        if let want = c.volteRequired {
            guard simIsCarrier, let v = net?.volteRequired?.value, v == want else { return nil }
        }
        if let want = c.keyBandsMissing {
            guard simIsCarrier, let bands = m?.bands else { return nil }
            let lte = CarrierNetwork.missingKeyBands(net?.lteBands, enabled: bands.lte)
            let nr = CarrierNetwork.missingKeyBands(net?.nrBands, enabled: bands.nr)
            guard want == !(lte.isEmpty && nr.isEmpty) else { return nil }
            let words = lte.map { $0.map { "B\($0)" }.joined(separator: "/") } + nr.map { $0.map { "n\($0)" }.joined(separator: "/") }
            out.values["missingBands"] = words.joined(separator: ", ")
            out.evidence += raw("AT+QCFG=\"band\"") + raw("AT+QNWPREFCFG=\"lte_band\"") + raw("AT+QNWPREFCFG=\"nr5g_band\"")
                + raw("AT!BAND?") + raw("AT#BND?")
        }
        if let most = c.pinAttemptsAtMost {
            guard let left = m?.sim?.pinRetries, left <= most else { return nil }
            out.evidence += raw("AT+QPINC?") + raw("AT+CPINR=\"SIM*\"")
        }
        if let most = c.pukAttemptsAtMost {
            guard let left = m?.sim?.pukRetries, left <= most else { return nil }
            if c.pinAttemptsAtMost == nil { out.evidence += raw("AT+QPINC?") + raw("AT+CPINR=\"SIM*\"") }
        }
        if let want = c.imei {
            // Missing only counts when the probe read the device through: a cut probe proves nothing.
            guard let m, d.probe?.coverage == .complete || m.imei != nil else { return nil }
            let state: String
            if let imei = m.imei, !imei.isEmpty {
                state = imei.allSatisfy { $0 == "0" } ? "zero" : Identifiers.isValidIMEI(imei) ? "valid" : "invalid"
            } else {
                state = "missing"
            }
            guard want.contains(state) else { return nil }
            out.values["imeiState"] = state
            out.evidence.append("IMEI: \(m.imei ?? "(none)")")
        }
        if let want = c.technologyRetired {
            guard simIsCarrier, let reg = m?.registration, reg.state.isRegistered, let tech = reg.technology else { return nil }
            let closed = net?.retirement(of: tech)
            guard want == (closed != nil) else { return nil }
            if let closed {
                out.values["technology"] = tech.uppercased()
                out.values["retiredNetwork"] = closed.network
                out.values["retiredSince"] = closed.since
                out.evidence.append("registered on \(tech) (\(reg.operator?.name ?? "network \(reg.operator?.mcc ?? "?")-\(reg.operator?.mnc ?? "?")"))")
            }
        }
        if let want = c.noTechnologyStillRun {
            guard simIsCarrier, let net, let m, let techs = m.technologies, !techs.isEmpty,
                  !(m.registration?.state.isRegistered ?? false) else { return nil }
            let closed = techs.compactMap { t in net.retirement(of: t).map { (t, $0) } }
            guard want == (closed.count == techs.count) else { return nil }
            if let (_, last) = closed.last {
                out.values["technologies"] = techs.map { $0.uppercased() }.joined(separator: ", ")
                out.values["retiredNetwork"] = last.network
                out.values["retiredSince"] = last.since
                out.evidence += raw("AT+WS46=?")
                out.evidence.append("registration: \(m.registration?.state.rawValue ?? "unknown")")
            }
        }
        if let want = c.roaming {
            guard let reg = m?.registration, reg.state == .roaming, let serving = reg.operator?.mcc, let home = simOp?.mcc else { return nil }
            let us = 310...316
            let sameCountry = serving == home || (us.contains(Int(serving) ?? 0) && us.contains(Int(home) ?? 0))
            guard want.contains(sameCountry ? "domestic" : "abroad") else { return nil }
            let code = "\(serving)-\(reg.operator?.mnc ?? "?")"
            out.values["servingNetwork"] = reg.operator?.name.map { "\($0) (\(code))" } ?? code
            out.evidence.append("serving network \(code), SIM home network \(home)-\(simOp?.mnc ?? "?")")
        }
        if let want = c.netDriverMissing {
            let unbound = d.device.interfaces.filter { netFunctionTriples.contains($0.triple) && $0.driver == nil }
            guard want == !unbound.isEmpty else { return nil }
            out.evidence += unbound.map { "interface \($0.number) (\($0.triple)): no driver bound" }
            if let mode = m?.usbNetMode { out.values["usbNetMode"] = mode.uppercased() }
            out.evidence += raw("AT+QCFG=\"usbnet\"") + raw("AT#USBCFG?")
        }
        return out
    }

    /// `missing`, `wrong` or `right` for the default context (cid 1, else the lowest), or nil
    /// when nothing says which APNs the SIM should use.
    static func apnState(_ contexts: [DataContext], _ m: ModemFacts?, _ net: CarrierNetwork?, _ ctx: Context,
                         _ values: inout [String: String]) -> String? {
        let context = contexts.first { $0.cid == 1 } ?? contexts.first
        let apn = context?.apn?.trimmingSpaces ?? ""
        values["apn"] = apn.isEmpty ? "(none)" : apn
        var accepted: [String] = []
        let op = m?.sim?.operator
        if let net, net.owns(mcc: op?.mcc, mnc: op?.mnc) {
            accepted = net.internetAPNs(spn: m?.sim?.spn)
            // An MVNO's SIM named by its SPN is held to the MVNO's APN alone.
            let mvno = accepted != net.internetAPNs(spn: nil)
            if !mvno, let mcc = op?.mcc, let mnc = op?.mnc { accepted += ctx.providerAPNs(mcc, mnc) }
        } else if let mcc = op?.mcc, let mnc = op?.mnc {
            accepted = ctx.providerAPNs(mcc, mnc)
        }
        guard !accepted.isEmpty else { return nil }
        values["expectedApn"] = accepted.first!
        if apn.isEmpty { return "missing" }
        return accepted.contains { $0.caseInsensitiveCompare(apn) == .orderedSame } ? "right" : "wrong"
    }
}
