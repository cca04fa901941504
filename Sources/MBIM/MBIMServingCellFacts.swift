import TMDiagCore

/// BASE_STATIONS_INFO into the one model: the serving cell's TAC and cell id where AT puts
/// `+CEREG`'s (a domain line, hex as the modem prints them there), RSRP and RSRQ where
/// SIGNAL_STATE gave none, and what has no field (EARFCN, PCI, timing advance, the cell's
/// PLMN) as one line under `vendor`.
extension MBIMFactsBuilder {
    /// The key of that line in `ModemFacts.vendor`.
    public static let servingCellKey = "MBIM BASE_STATIONS_INFO"

    public mutating func add(_ info: MBIMBaseStationsInfo) {
        var lines: [String] = []
        if let lte = info.lte {
            // E-UTRAN: a 16-bit TAC and a 28-bit cell identity, printed as +CEREG does.
            setDomain("eps", technology: "lte", tac: lte.tac.map { Self.hex($0, digits: 4) },
                      cellId: lte.cellId.map { Self.hex(UInt64($0), digits: 8) })
            fillSignal(rsrp: lte.rsrpDbm, rsrq: lte.rsrqDb)
            lines.append("LTE serving cell: " + Self.describe([
                ("PLMN", lte.providerId), ("EARFCN", lte.earfcn.map(String.init)), ("PCI", lte.physicalCellId.map(String.init)),
                ("timing advance", lte.timingAdvance.map(String.init)),
            ]))
        }
        for (i, nr) in info.nr.enumerated() {
            // Without an LTE anchor the first NR cell is the 5G SA serving cell (24-bit TAC,
            // 36-bit NCI, printed as +C5GREG does); under NSA it only adds detail.
            if i == 0, info.lte == nil {
                setDomain("5gs", technology: "nr5g-sa", tac: nr.tac.map { Self.hex($0, digits: 6) },
                          cellId: nr.nci.map { Self.hex($0, digits: 9) })
                fillSignal(rsrp: nr.rsrpDbm, rsrq: nr.rsrqDb)
            }
            lines.append("NR serving cell: " + Self.describe([
                ("PLMN", nr.providerId), ("NCI", nr.nci.map { Self.hex($0, digits: 9) }), ("TAC", nr.tac.map { Self.hex($0, digits: 6) }),
                ("NR-ARFCN", nr.nrarfcn.map(String.init)), ("PCI", nr.physicalCellId.map(String.init)),
                ("RSRP", nr.rsrpDbm.map { "\($0) dBm" }), ("RSRQ", nr.rsrqDb.map { "\($0) dB" }), ("SINR", nr.sinrDb.map { "\($0) dB" }),
                ("timing advance", nr.timingAdvance.map { "\($0) us" }),
            ]))
        }
        guard !lines.isEmpty else { return }
        var vendor = facts.vendor ?? [:]
        vendor[Self.servingCellKey] = lines.joined(separator: "\n")
        facts.vendor = vendor
    }

    /// The domain line for `domain`, made or updated; its state is the registration's, whose
    /// REGISTER_STATE may come before or after.
    mutating func setDomain(_ domain: String, technology: String, tac: String?, cellId: String?) {
        var reg = facts.registration ?? RegistrationFacts()
        var line = reg.domains.first { $0.domain == domain }
            ?? DomainRegistration(domain: domain, stat: Self.stat(reg.state), state: reg.state)
        line.lac = tac ?? line.lac
        line.cellId = cellId ?? line.cellId
        line.technology = technology
        reg.domains.removeAll { $0.domain == domain }
        reg.domains.append(line)
        facts.registration = reg
    }

    /// RSRP and RSRQ only where SIGNAL_STATE had none (its v2 list is the modem's own pick); the
    /// quality word then follows RSRP, as it does everywhere RSRP is known.
    mutating func fillSignal(rsrp: Int?, rsrq: Int?) {
        var sig = facts.signal ?? SignalFacts()
        guard sig.rsrpDbm == nil, let rsrp else { return }
        sig.rsrpDbm = Double(rsrp)
        if sig.rsrqDb == nil, let rsrq { sig.rsrqDb = Double(rsrq) }
        sig.quality = SignalQuality.fromRSRP(Double(rsrp))
        facts.signal = sig
    }

    /// The `<stat>` of `+CEREG` (3GPP TS 27.007 §10.1.22) for a registration state, so that a
    /// domain line reads the same whichever protocol filled it.
    static func stat(_ state: RegistrationState) -> Int {
        switch state {
        case .notRegistered: 0
        case .home: 1
        case .searching: 2
        case .denied: 3
        case .roaming: 5
        case .unknown: 4
        }
    }

    /// Upper-case hex, zero-padded to `digits`.
    static func hex(_ v: some BinaryInteger, digits: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }

    static func describe(_ parts: [(String, String?)]) -> String {
        parts.compactMap { name, value in value.map { "\(name) \($0)" } }.joined(separator: ", ")
    }
}
