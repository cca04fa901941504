import Foundation
import Modem
import TMDiagCore

/// Reads an Android phone through adb: `getprop` for identity and SIM states, and the
/// telephony dumps for registration, signal and IMS per SIM slot. The three reads run at once
/// (each is a separate adb round trip through the adb server), so the phone costs the time of
/// the slowest, not the sum. Only commands on `ADBCommandPolicy` are ever sent.
public enum AndroidReader {
    /// What one adb invocation returned, by the shell command it ran.
    struct Replies {
        var getprop: HelperTools.Output?
        var registry: HelperTools.Output?
        var phone: HelperTools.Output?
    }

    public static func read(serial: String?, adb: String, timeout: Duration, catalog: ErrorCatalog?) async -> HandsetFacts {
        let prefix = serial.map { ["-s", $0] } ?? []
        let commands = [ADBCommandPolicy.getprop, ADBCommandPolicy.telephonyRegistry, ADBCommandPolicy.phoneDump]
        let replies = await withTaskGroup(of: ([String], HelperTools.Output?).self) { group in
            for command in commands {
                group.addTask { (command, await run(adb, prefix: prefix, command, timeout: timeout)) }
            }
            var r = Replies()
            for await (command, out) in group {
                switch command {
                case ADBCommandPolicy.getprop: r.getprop = out
                case ADBCommandPolicy.telephonyRegistry: r.registry = out
                default: r.phone = out
                }
            }
            return r
        }
        var facts = assemble(replies, catalog: catalog)
        facts.readAt = Date()
        return facts
    }

    /// Runs one allowlisted shell command; anything else is never started.
    static func run(_ adb: String, prefix: [String], _ command: [String], timeout: Duration) async -> HelperTools.Output? {
        guard ADBCommandPolicy.isAllowed(command) else { return nil }
        return await HelperTools.run(adb, prefix + ["shell"] + command, timeout: timeout)
    }

    /// The facts the replies hold, or why there are none.
    static func assemble(_ r: Replies, catalog: ErrorCatalog?) -> HandsetFacts {
        guard let props = r.getprop else {
            return CustomerSteps.facts(source: "adb", access: .failed, note: "adb could not start", steps: [])
        }
        if props.timedOut {
            return CustomerSteps.facts(source: "adb", access: .failed, note: "adb did not answer in time (is the phone unlocked?)",
                                       steps: CustomerSteps.acceptDebuggingPrompt)
        }
        if props.status != 0 {
            return failure(props)
        }
        var h = GetpropFacts.facts(GetpropFacts.properties(props.stdout))
        let propsByKey = GetpropFacts.properties(props.stdout)
        let phones = r.registry.flatMap { $0.status == 0 && !$0.timedOut ? TelephonyRegistryDump.phones($0.stdout) : nil } ?? []
        let ims = r.phone.flatMap { $0.status == 0 && !$0.timedOut ? ImsStateDump.registered($0.stdout) : nil } ?? []
        h.slots = slots(props: propsByKey, phones: phones, ims: ims, catalog: catalog)
        let dumpsRead = !phones.isEmpty && r.phone.map { $0.status == 0 && !$0.timedOut } == true
        h.access = dumpsRead ? .read : .partial
        if phones.isEmpty {
            h.note = "the phone did not give its telephony state (dumpsys telephony.registry): registration and signal come from system properties only"
        }
        return h
    }

    /// Why adb gave nothing, in words, with the customer's steps.
    static func failure(_ o: HelperTools.Output) -> HandsetFacts {
        let err = o.stderr.lowercased()
        let first = TerminalText.escape(o.stderr.split(whereSeparator: \.isNewline).first.map(String.init) ?? "exit \(o.status)", limit: 160)
        if err.contains("unauthorized") {
            return CustomerSteps.facts(source: "adb", access: .unauthorized,
                                       note: "the phone has not authorised this computer for USB debugging",
                                       steps: CustomerSteps.acceptDebuggingPrompt)
        }
        if err.contains("no permissions") || err.contains("insufficient permissions") {
            return CustomerSteps.facts(source: "adb", access: .failed,
                                       note: "adb may not open the phone (USB permissions): \(first)", steps: CustomerSteps.adbPermissions)
        }
        if err.contains("offline") {
            return CustomerSteps.facts(source: "adb", access: .failed, note: "adb sees the phone offline: \(first)",
                                       steps: CustomerSteps.acceptDebuggingPrompt)
        }
        return CustomerSteps.facts(source: "adb", access: .failed, note: "adb failed: \(first)", steps: [])
    }

    /// One slot per phone the telephony dump lists (else per `gsm.sim.state` entry).
    static func slots(props: [String: String], phones: [TelephonyRegistryDump.Phone], ims: [Bool],
                      catalog: ErrorCatalog?) -> [HandsetSlot]? {
        let simStates = GetpropFacts.list(props, "gsm.sim.state") ?? []
        let simNumerics = GetpropFacts.list(props, "gsm.sim.operator.numeric") ?? []
        let simAlphas = GetpropFacts.list(props, "gsm.sim.operator.alpha") ?? []
        let numerics = GetpropFacts.list(props, "gsm.operator.numeric") ?? []
        let count = max(phones.count, simStates.count)
        guard count > 0 else { return nil }
        func at(_ list: [String], _ i: Int) -> String { i < list.count ? list[i] : "" }
        return (0..<count).map { i in
            var slot = HandsetSlot(slot: phones.indices.contains(i) ? phones[i].id : i)
            if i < simStates.count {
                var sim = SIMFacts(state: GetpropFacts.simState(simStates[i]), detail: simStates[i].isEmpty ? nil : simStates[i])
                let home = GetpropFacts.operatorInfo(numeric: at(simNumerics, i), name: at(simAlphas, i))
                if !home.isEmpty { sim.operator = home }
                slot.sim = sim
            }
            if i < phones.count, let ss = phones[i].serviceState {
                var reg = TelephonyRegistryDump.registration(ss) { kind, code in catalog?.entry(kind, code: code)?.meaning }
                // The registered PLMN is in the dump from Android 11 (rRplmn); before, from getprop.
                if reg.state.isRegistered, reg.operator?.mcc == nil {
                    let fromProps = GetpropFacts.operatorInfo(numeric: at(numerics, i), name: "")
                    if fromProps.mcc != nil {
                        var op = reg.operator ?? OperatorInfo()
                        op.mcc = fromProps.mcc
                        op.mnc = fromProps.mnc
                        reg.operator = op
                    }
                }
                slot.registration = reg
                if let sig = phones[i].signalStrength {
                    let all = TelephonyRegistryDump.signals(sig)
                    slot.signalByTechnology = all.isEmpty ? nil : all
                    slot.signal = TelephonyRegistryDump.primarySignal(all, technology: reg.technology)
                }
            }
            if i < ims.count { slot.ims = IMSFacts(registered: ims[i]) }
            return slot
        }
    }
}
