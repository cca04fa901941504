import TMDiagCore

extension FactsBuilder {
    /// `+CSQ: <rssi>,<ber>`: rssi 0..31 is -113 + 2n dBm, 99 not known.
    mutating func parseCSQ(_ lines: [String]) {
        guard let l = lines.first(where: { ATParams.hasName($0, "+CSQ") }), let v = ReplyFields(l)?.values else { return }
        guard let n = v.first?.int else { return }
        var s = facts.signal ?? SignalFacts()
        s.csq = n
        if (0...31).contains(n) { s.rssiDbm = -113 + 2 * n }
        if v.count > 1, let ber = v[1].int { s.ber = ber }
        facts.signal = grade(s)
    }

    /// `+CESQ: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>[,<ss_rsrq>,<ss_rsrp>,<ss_sinr>]`
    /// (3GPP TS 27.007 §8.69); 99/255 mean not known.
    mutating func parseCESQ(_ lines: [String]) {
        guard let l = lines.first(where: { ATParams.hasName($0, "+CESQ") }),
              let v = ReplyFields(l)?.values.map(\.int) else { return }
        guard v.count >= 6 else { return }
        var s = facts.signal ?? SignalFacts()
        if let rscp = v[2], (0...96).contains(rscp) { s.rscpDbm = Double(-121 + rscp) }
        if let ecno = v[3], (0...49).contains(ecno) { s.ecnoDb = -24.5 + Double(ecno) / 2 }
        if let rsrq = v[4], (0...34).contains(rsrq) { s.rsrqDb = -20 + Double(rsrq) / 2 }
        if let rsrp = v[5], (0...97).contains(rsrp) { s.rsrpDbm = Double(-141 + rsrp) }
        if v.count >= 9 {
            if s.rsrpDbm == nil, let ssRsrp = v[7], (0...126).contains(ssRsrp) { s.rsrpDbm = Double(-157 + ssRsrp) }
            if s.rsrqDb == nil, let ssRsrq = v[6], (0...127).contains(ssRsrq) { s.rsrqDb = -43.5 + Double(ssRsrq) / 2 }
            if s.sinrDb == nil, let ssSinr = v[8], (0...127).contains(ssSinr) { s.sinrDb = -23.5 + Double(ssSinr) / 2 }
        }
        facts.signal = grade(s)
    }

    /// The quality word: by RSRP when known, else by RSSI; CSQ 99 alone is `none`.
    func grade(_ s: SignalFacts) -> SignalFacts {
        var s = s
        if let rsrp = s.rsrpDbm { s.quality = SignalQuality.fromRSRP(rsrp) }
        else if let rssi = s.rssiDbm { s.quality = SignalQuality.fromRSSI(rssi) }
        else if s.csq == 99 { s.quality = .none }
        return s
    }
}
