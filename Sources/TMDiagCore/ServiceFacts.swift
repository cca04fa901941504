/// One packet data context as the modem holds it: `+CGDCONT?` (its APN and type), `+CGACT?`
/// (whether it is up) and `+CGPADDR` (the address it got). 3GPP TS 27.007 §10.1.1, §10.1.10,
/// §10.1.14. A modem registered with no active context has no data, whatever the signal.
public struct DataContext: Codable, Sendable, Hashable {
    /// The context id, `<cid>` (1 is the default one most modems and carriers use).
    public var cid: Int
    /// `IP`, `IPV6`, `IPV4V6`, `NON-IP`.
    public var pdpType: String?
    /// The APN as configured on the modem; empty means "let the network choose".
    public var apn: String?
    /// `+CGACT: <cid>,1`.
    public var active: Bool?
    /// Addresses the network gave the context (`+CGPADDR`), when it has any.
    public var addresses: [String]?
    public init(cid: Int, pdpType: String? = nil, apn: String? = nil, active: Bool? = nil, addresses: [String]? = nil) {
        self.cid = cid
        self.pdpType = pdpType
        self.apn = apn
        self.active = active
        self.addresses = addresses
    }
}

/// The carrier configuration the modem's firmware runs: a Quectel MBN (`+QMBNCFG="List"`), a
/// Sierra PRI/carrier image (`!IMPREF?`, `!PRIID?`), a Telit firmware switch (`#FWSWITCH?`).
/// It sets APNs, IMS and bands for one carrier; another carrier's leaves a modem in low
/// power, on a wrong APN or with IMS off.
public struct CarrierConfigFacts: Codable, Sendable, Hashable {
    /// The configuration in use, as the modem names it (`Commercial-TMO_VoLTE`, `GENERIC`).
    public var selected: String?
    /// Whether the modem picks the configuration from the SIM by itself.
    public var autoSelect: Bool?
    /// The command it came from.
    public var source: String?
    public init(selected: String? = nil, autoSelect: Bool? = nil, source: String? = nil) {
        self.selected = selected
        self.autoSelect = autoSelect
        self.source = source
    }
}

/// The bands the modem is set to use (not the ones in use now): LTE `B` numbers and NR `n`
/// numbers, from vendor band settings.
public struct BandFacts: Codable, Sendable, Hashable {
    public var lte: [Int]?
    public var nr: [Int]?
    public init(lte: [Int]? = nil, nr: [Int]? = nil) {
        self.lte = lte
        self.nr = nr
    }
}
