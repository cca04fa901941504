import Foundation
import TMDiagCore

/// Reads `dumpsys telephony.registry`: per phone (SIM slot) the service state and the signal
/// strength, into the shapes a modem's facts use. Facts only; unknown fields are ignored, so
/// vendor additions (MediaTek, Samsung, Xiaomi builds append their own) do no harm.
///
/// The layouts are AOSP's, Android 10 to 16:
/// - TelephonyRegistry.dump (frameworks/base services/core/.../TelephonyRegistry.java): a
///   "Phone Id=N" line per phone, then indented `mServiceState=<ServiceState.toString()>` and
///   `mSignalStrength=<SignalStrength.toString()>` lines, among others.
/// - ServiceState.toString() (frameworks/base telephony/java/android/telephony/ServiceState.java):
///   `{mVoiceRegState=0(IN_SERVICE), mDataRegState=0(IN_SERVICE), ...}`; Android 10 names the
///   operator `mVoiceOperatorAlphaLong=` / `mDataOperatorAlphaLong=`, Android 11 and later
///   `mOperatorAlphaLong=`; from Android 10 on it lists `mNetworkRegistrationInfos=[...]`.
/// - NetworkRegistrationInfo.toString() (same folder): `NetworkRegistrationInfo{ domain=CS|PS
///   transportType=WWAN|WLAN registrationState=HOME|ROAMING|DENIED|NOT_REG_SEARCHING|
///   NOT_REG_OR_SEARCHING|UNKNOWN|EMERGENCY roamingType=... accessNetworkTechnology=LTE
///   rejectCause=N ... nrState=NONE|RESTRICTED|NOT_RESTRICTED|CONNECTED rRplmn=310260 ...}`.
///   Android 15 adds `networkRegistrationState=` (the state before roaming overrides), which
///   must not be taken for `registrationState=`.
/// - SignalStrength.toString(): `SignalStrength:{mCdma=...,mGsm=CellSignalStrengthGsm: rssi=..,
///   mWcdma=CellSignalStrengthWcdma: ss=.. rscp=.. ecno=..,mTdscdma=...,mLte=CellSignalStrengthLte:
///   rssi=.. rsrp=.. rsrq=.. rssnr=..,mNr=CellSignalStrengthNr:{ ... ssRsrp = .. ssRsrq = ..
///   ssSinr = .. },primary=...}`; an unreported value is 2147483647 (CellInfo.UNAVAILABLE).
public enum TelephonyRegistryDump {
    /// What one phone's section held, raw.
    public struct Phone: Sendable, Hashable {
        public var id: Int
        public var serviceState: String?
        public var signalStrength: String?
    }

    /// The "Phone Id=N" sections, in order.
    public static func phones(_ text: String) -> [Phone] {
        var out: [Phone] = []
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("Phone Id="), let id = Int(line.dropFirst(9).prefix { $0.isNumber }) {
                out.append(Phone(id: id))
            } else if !out.isEmpty, line.hasPrefix("mServiceState=") {
                out[out.count - 1].serviceState = String(line.dropFirst(14))
            } else if !out.isEmpty, line.hasPrefix("mSignalStrength=") {
                out[out.count - 1].signalStrength = String(line.dropFirst(16))
            }
        }
        return out
    }

    // MARK: Service state

    /// One NetworkRegistrationInfo, as printed.
    struct Registration: Equatable {
        var domain: String          // CS, PS, CS_PS
        var transport: String       // WWAN, WLAN
        var state: String           // HOME, ROAMING, ...
        var roamingType: String?
        var technology: String?     // LTE, NR, UMTS, ...
        var rejectCause: Int?
        var nrState: String?
        var rplmn: String?
    }

    /// The registration facts a ServiceState string says, with reject causes explained by `meaning`.
    public static func registration(_ serviceState: String, meaning: (String, Int) -> String? = { _, _ in nil }) -> RegistrationFacts {
        let infos = registrations(serviceState).filter { $0.transport == "WWAN" }
        var facts = RegistrationFacts()
        var domains: [DomainRegistration] = []
        for r in infos {
            let tech = technology(r)
            let state = registrationState(r)
            let domainWord: String
            switch (r.domain, tech) {
            case ("CS", _): domainWord = "cs"
            case (_, "nr5g-sa"?): domainWord = "5gs"
            case (_, "lte"?), (_, "nr5g-nsa"?): domainWord = "eps"
            default: domainWord = "ps"
            }
            var cause: RejectCause?
            if let c = r.rejectCause, c != 0 {
                // LTE and NR causes are EMM/5GMM (TS 24.301/24.501), the others MM/GMM (TS 24.008).
                let kind = domainWord == "eps" || domainWord == "5gs" ? "emm" : "gmm"
                cause = RejectCause(kind: kind, code: c, meaning: meaning(kind, c))
            }
            domains.append(DomainRegistration(domain: domainWord, stat: stat(r.state), state: state,
                                              technology: tech, rejectCause: cause))
        }
        facts.domains = domains
        // Data (PS) first: it is what the customer misses first, and it carries NR.
        let ordered = domains.filter { $0.domain != "cs" } + domains.filter { $0.domain == "cs" }
        if let reg = ordered.first(where: { $0.state.isRegistered }) {
            facts.state = ordered.contains { $0.state == .roaming } ? .roaming : reg.state
            facts.technology = reg.technology
        } else {
            facts.state = RegistrationState.unregistered(in: ordered) ?? legacyState(serviceState)
        }
        facts.rejectCause = ordered.compactMap(\.rejectCause).first
        var op = OperatorInfo()
        op.name = field(serviceState, "mOperatorAlphaLong") ?? field(serviceState, "mDataOperatorAlphaLong")
            ?? field(serviceState, "mVoiceOperatorAlphaLong")
        if let plmn = infos.compactMap(\.rplmn).first(where: { $0.count >= 5 && $0.allSatisfy(\.isASCIIDigit) }) {
            op.mcc = String(plmn.prefix(3))
            op.mnc = String(plmn.dropFirst(3))
        }
        if !op.isEmpty, facts.state.isRegistered || op.mcc != nil { facts.operator = op }
        return facts
    }

    /// Before mNetworkRegistrationInfos (or when it is empty): `mDataRegState`/`mVoiceRegState`
    /// (0 IN_SERVICE, 1 OUT_OF_SERVICE, 2 EMERGENCY_ONLY, 3 POWER_OFF) and the roaming types.
    static func legacyState(_ s: String) -> RegistrationState {
        let data = field(s, "mDataRegState").flatMap { Int($0.prefix { $0.isNumber || $0 == "-" }) }
        let voice = field(s, "mVoiceRegState").flatMap { Int($0.prefix { $0.isNumber || $0 == "-" }) }
        guard data != nil || voice != nil else { return .unknown }
        if data == 0 || voice == 0 {
            let roaming = [field(s, "mDataRoamingType"), field(s, "mVoiceRoamingType")].compactMap { $0 }
                .contains { $0.lowercased().contains("roaming") }
            return roaming ? .roaming : .home
        }
        return .notRegistered
    }

    /// Every `NetworkRegistrationInfo{...}` in a ServiceState string.
    static func registrations(_ s: String) -> [Registration] {
        var out: [Registration] = []
        var rest = Substring(s)
        while let start = rest.range(of: "NetworkRegistrationInfo{") {
            let body = rest[start.upperBound...]
            // The body nests braces (cellIdentity, dataSpecificInfo): find the matching close.
            var depth = 1
            var end = body.startIndex
            while end < body.endIndex, depth > 0 {
                if body[end] == "{" { depth += 1 } else if body[end] == "}" { depth -= 1 }
                if depth > 0 { end = body.index(after: end) }
            }
            let text = String(body[..<end])
            rest = end < body.endIndex ? body[body.index(after: end)...] : body[end...]
            guard let state = word(text, "registrationState") else { continue }
            out.append(Registration(domain: word(text, "domain") ?? "", transport: word(text, "transportType") ?? "WWAN",
                                    state: state, roamingType: word(text, "roamingType"),
                                    technology: word(text, "accessNetworkTechnology"),
                                    rejectCause: word(text, "rejectCause").flatMap { Int($0) },
                                    nrState: word(text, "nrState"), rplmn: word(text, "rRplmn")))
        }
        return out
    }

    static func registrationState(_ r: Registration) -> RegistrationState {
        switch r.state {
        case "HOME":
            // Older builds leave registrationState HOME and say roaming only in roamingType.
            if let t = r.roamingType, t != "NOT_ROAMING", t != "home", t != "UNKNOWN" { return .roaming }
            return .home
        case "ROAMING": return .roaming
        case "DENIED": return .denied
        case "NOT_REG_SEARCHING": return .searching
        case "NOT_REG_OR_SEARCHING", "EMERGENCY": return .notRegistered
        default: return .unknown
        }
    }

    /// The 3GPP TS 27.007 `<stat>` AOSP's REGISTRATION_STATE_* values mirror.
    static func stat(_ state: String) -> Int {
        switch state {
        case "NOT_REG_OR_SEARCHING", "EMERGENCY": return 0
        case "HOME": return 1
        case "NOT_REG_SEARCHING": return 2
        case "DENIED": return 3
        case "ROAMING": return 5
        default: return 4
        }
    }

    /// TelephonyManager.getNetworkTypeName words in this project's technology words; LTE with
    /// an NR leg connected (nrState=CONNECTED) is 5G NSA, NR itself is 5G SA.
    static func technology(_ r: Registration) -> String? {
        switch r.technology?.uppercased() {
        case "LTE"?, "LTE_CA"?: return r.nrState == "CONNECTED" ? "nr5g-nsa" : "lte"
        case "NR"?: return "nr5g-sa"
        case "GSM"?, "GPRS"?, "EDGE"?: return "gsm"
        case "UMTS"?, "HSDPA"?, "HSUPA"?, "HSPA"?, "HSPA+"?, "HSPAP"?, "TD_SCDMA"?: return "umts"
        case "IWLAN"?: return "iwlan"
        case "CDMA"?, "CDMA - 1XRTT"?, "1XRTT"?, "CDMA - EVDO REV. 0"?, "CDMA - EVDO REV. A"?, "CDMA - EVDO REV. B"?, "CDMA - EHRPD"?, "EHRPD"?:
            return "cdma"
        default: return nil
        }
    }

    // MARK: Signal strength

    /// Signal per technology (`lte`, `nr5g`, `umts`, `gsm`) with every value the phone reported.
    public static func signals(_ signalStrength: String) -> [String: SignalFacts] {
        var out: [String: SignalFacts] = [:]
        if let lte = part(signalStrength, "mLte=") {
            var s = SignalFacts()
            s.rsrpDbm = number(lte, "rsrp").map(Double.init)
            s.rsrqDb = number(lte, "rsrq").map(Double.init)
            s.sinrDb = number(lte, "rssnr").map(Double.init)
            s.rssiDbm = number(lte, "rssi") ?? number(lte, "ss").flatMap { $0 < 0 ? $0 : nil }
            if let r = s.rsrpDbm { s.quality = SignalQuality.fromRSRP(r); out["lte"] = s }
        }
        if let nr = part(signalStrength, "mNr=") {
            var s = SignalFacts()
            s.rsrpDbm = number(nr, "ssRsrp").map(Double.init)
            s.rsrqDb = number(nr, "ssRsrq").map(Double.init)
            s.sinrDb = number(nr, "ssSinr").map(Double.init)
            if let r = s.rsrpDbm { s.quality = SignalQuality.fromRSRP(r); out["nr5g"] = s }
        }
        if let w = part(signalStrength, "mWcdma=") {
            var s = SignalFacts()
            s.rscpDbm = number(w, "rscp").map(Double.init)
            s.ecnoDb = number(w, "ecno").map(Double.init)
            if let r = s.rscpDbm {
                // RSCP sits about where RSSI does for a lone cell; the RSSI bands serve as words.
                s.quality = SignalQuality.fromRSSI(Int(r))
                out["umts"] = s
            }
        }
        if let g = part(signalStrength, "mGsm=") {
            var s = SignalFacts()
            s.rssiDbm = number(g, "rssi")
            if let r = s.rssiDbm { s.quality = SignalQuality.fromRSSI(r); out["gsm"] = s }
        }
        return out
    }

    /// The signal of the technology the phone is on (LTE for NSA: NR rides on it), else the
    /// newest technology measured (a phone whose voice sits on UMTS while LTE data is refused
    /// still measures the LTE cell).
    public static func primarySignal(_ signals: [String: SignalFacts], technology: String?) -> SignalFacts? {
        let own: SignalFacts?
        switch technology {
        case "nr5g-sa"?: own = signals["nr5g"] ?? signals["lte"]
        case "lte"?, "nr5g-nsa"?: own = signals["lte"] ?? signals["nr5g"]
        case "umts"?: own = signals["umts"]
        case "gsm"?: own = signals["gsm"]
        default: own = nil
        }
        return own ?? signals["nr5g"] ?? signals["lte"] ?? signals["umts"] ?? signals["gsm"]
    }

    // MARK: Tokens

    /// `key=value` in a comma-separated ServiceState string: the value up to the next ", ".
    static func field(_ s: String, _ key: String) -> String? {
        var search = s.startIndex..<s.endIndex
        while let r = s.range(of: key + "=", range: search) {
            // Whole key only: "mOperatorAlphaLong=" must not match inside "mOperatorAlphaLongRaw=".
            let before = r.lowerBound == s.startIndex ? " " : s[s.index(before: r.lowerBound)]
            if before == " " || before == "{" || before == "," {
                let rest = s[r.upperBound...]
                let end = rest.range(of: ", ")?.lowerBound ?? rest.firstIndex(of: "}") ?? rest.endIndex
                let v = rest[..<end].trimmingCharacters(in: .whitespaces)
                return v.isEmpty || v == "null" ? nil : v
            }
            search = r.upperBound..<s.endIndex
        }
        return nil
    }

    /// `key=WORD` in a space-separated NetworkRegistrationInfo body; whole keys only.
    static func word(_ s: String, _ key: String) -> String? {
        var search = s.startIndex..<s.endIndex
        while let r = s.range(of: key + "=", range: search) {
            let before = r.lowerBound == s.startIndex ? " " : s[s.index(before: r.lowerBound)]
            if before == " " || before == "{" {
                let v = s[r.upperBound...].prefix { $0 != " " && $0 != "}" && $0 != "," }
                return v.isEmpty || v == "null" ? nil : String(v)
            }
            search = r.upperBound..<s.endIndex
        }
        return nil
    }

    /// One `mXxx=` part of a SignalStrength string, up to the next `,m` part or `,primary=`.
    static func part(_ s: String, _ key: String) -> String? {
        guard let r = s.range(of: key) else { return nil }
        let rest = s[r.upperBound...]
        var end = rest.endIndex
        for marker in [",mCdma=", ",mGsm=", ",mWcdma=", ",mTdscdma=", ",mLte=", ",mNr=", ",primary="] {
            if let m = rest.range(of: marker), m.lowerBound < end { end = m.lowerBound }
        }
        return String(rest[..<end])
    }

    /// An integer after `key=` or `key = `, nil when absent or CellInfo.UNAVAILABLE (2147483647)
    /// or its negative twin some builds print.
    static func number(_ s: String, _ key: String) -> Int? {
        var search = s.startIndex..<s.endIndex
        while let r = s.range(of: key, range: search) {
            let before = r.lowerBound == s.startIndex ? " " : s[s.index(before: r.lowerBound)]
            var rest = s[r.upperBound...]
            search = r.upperBound..<s.endIndex
            guard before == " " || before == ":" || before == "{" else { continue }
            rest = rest.drop { $0 == " " }
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst().drop { $0 == " " }
            let digits = rest.prefix { $0 == "-" || $0.isNumber }
            guard let v = Int(digits), abs(v) != Int(Int32.max) else { return nil }
            return v
        }
        return nil
    }
}
