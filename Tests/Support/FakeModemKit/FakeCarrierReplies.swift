/// Replies to the diagnosis queries of the device profiles (`Profiles/devices`), in the forms
/// the vendors' manuals and public transcripts show, and the carrier scenarios built on them:
/// each scenario changes the few replies that make one problem, on top of a healthy Quectel
/// EC25-AF on T-Mobile US.
extension FakeModemEngine {
    /// A healthy EC25-AF on T-Mobile: default context on fast.t-mobile.com and up with an
    /// address, IMS registered, the T-Mobile MBN selected by auto-select, LTE bands
    /// 2/4/5/12/13/14/66/71 enabled, QMI network function, three PIN tries.
    public static let carrierHealthy: [String: String] = [
        "AT+CGDCONT?": "+CGDCONT: 1,\"IPV4V6\",\"fast.t-mobile.com\",\"0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0\",0,0,0,0\r\n"
            + "+CGDCONT: 2,\"IPV4V6\",\"ims\",\"0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0\",0,0,0,0\r\n\r\nOK",
        "AT+CGACT?": "+CGACT: 1,1\r\n+CGACT: 2,1\r\n\r\nOK",
        "AT+CGPADDR": "+CGPADDR: 1,\"10.45.12.7\"\r\n+CGPADDR: 2,\"0.0.0.0\"\r\n\r\nOK",
        "AT+CIREG?": "+CIREG: 0,1\r\n\r\nOK",
        "AT+CAVIMS?": "+CAVIMS: 1\r\n\r\nOK",
        "AT+QPINC?": "+QPINC: \"SC\",3,10\r\n+QPINC: \"P2\",3,10\r\n\r\nOK",
        "AT+QMBNCFG=\"List\"": "+QMBNCFG: \"List\",0,0,0,\"ROW_Generic_3GPP\",0x0501081F,201901141\r\n"
            + "+QMBNCFG: \"List\",1,0,0,\"VoLTE-ATT\",0x0501033C,201909261\r\n"
            + "+QMBNCFG: \"List\",2,0,0,\"hVoLTE-Verizon\",0x05010141,201911081\r\n"
            + "+QMBNCFG: \"List\",3,1,1,\"Commercial-TMO_VoLTE\",0x05010505,201811301\r\n\r\nOK",
        "AT+QMBNCFG=\"AutoSel\"": "+QMBNCFG: \"AutoSel\",1\r\n\r\nOK",
        "AT+QCFG=\"band\"": "+QCFG: \"band\",0x260,0x42000000000000381a,0x0\r\n\r\nOK",
        "AT+QCFG=\"ims\"": "+QCFG: \"ims\",1,1\r\n\r\nOK",
        "AT+QCFG=\"usbnet\"": "+QCFG: \"usbnet\",0\r\n\r\nOK",
        "AT+QSPN": "+QSPN: \"T-Mobile\",\"T-Mobile\",\"\",0,\"310260\"\r\n\r\nOK",
        "AT+WS46=?": "+WS46: (12,22,25,28,29,30,31)\r\n\r\nOK",
    ]

    /// The healthy EC25 with its diagnosis queries answered.
    public static var carrierHealthyBehaviour: Behaviour {
        var b = Behaviour()
        b.replies.merge(carrierHealthy) { _, new in new }
        return b
    }

    /// One problem each, for the diagnosis rules: `apn-wrong`, `apn-missing`, `no-data`,
    /// `mbn-other-carrier`, `radio-off`, `ims-unregistered`, `bands-missing`, `pin-low`,
    /// `puk-low`, `imei-zero`, `retired-technology`, `umts-only-searching`, `roaming-partner`,
    /// `roaming-abroad`.
    public static func carrierScenario(_ name: String) -> Behaviour? {
        var b = carrierHealthyBehaviour
        let noData = "+CGACT: 1,0\r\n+CGACT: 2,0\r\n\r\nOK"
        let noAddress = "+CGPADDR: 1,\"0.0.0.0\"\r\n+CGPADDR: 2,\"0.0.0.0\"\r\n\r\nOK"
        switch name {
        case "healthy": break
        case "apn-wrong":
            // An APN from another carrier left in context 1 (the modem came from AT&T).
            b.replies["AT+CGDCONT?"] = "+CGDCONT: 1,\"IPV4V6\",\"broadband\",\"0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0\",0,0,0,0\r\n\r\nOK"
            b.replies["AT+CGACT?"] = "+CGACT: 1,0\r\n\r\nOK"
            b.replies["AT+CGPADDR"] = "+CGPADDR: 1,\"0.0.0.0\"\r\n\r\nOK"
        case "apn-missing":
            b.replies["AT+CGDCONT?"] = "+CGDCONT: 1,\"IPV4V6\",\"\",\"0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0\",0,0,0,0\r\n\r\nOK"
            b.replies["AT+CGACT?"] = "+CGACT: 1,0\r\n\r\nOK"
            b.replies["AT+CGPADDR"] = "+CGPADDR: 1,\"0.0.0.0\"\r\n\r\nOK"
        case "no-data":
            b.replies["AT+CGACT?"] = noData
            b.replies["AT+CGPADDR"] = noAddress
        case "mbn-other-carrier":
            b.replies["AT+QMBNCFG=\"List\""] = "+QMBNCFG: \"List\",0,0,0,\"ROW_Generic_3GPP\",0x0501081F,201901141\r\n"
                + "+QMBNCFG: \"List\",1,1,1,\"VoLTE-ATT\",0x0501033C,201909261\r\n"
                + "+QMBNCFG: \"List\",2,0,0,\"Commercial-TMO_VoLTE\",0x05010505,201811301\r\n\r\nOK"
            b.replies["AT+QMBNCFG=\"AutoSel\""] = "+QMBNCFG: \"AutoSel\",0\r\n\r\nOK"
            b.replies["AT+CIREG?"] = "+CIREG: 0,0\r\n\r\nOK"
            b.replies["AT+CAVIMS?"] = "+CAVIMS: 0\r\n\r\nOK"
        case "radio-off":
            // CFUN 4 as an FCC-locked laptop modem shows it: not registered, no data, SIM
            // looking unreadable (many modems cannot read the SIM with the radio held off).
            b.replies["AT+CFUN?"] = "+CFUN: 4\r\n\r\nOK"
            b.replies["AT+CPIN?"] = "+CME ERROR: 13"
            b.replies["AT+QCCID"] = "+CME ERROR: 13"
            b.replies["AT+CCID"] = "+CME ERROR: 13"
            b.replies["AT+COPS?"] = "+COPS: 0\r\n\r\nOK"
            for c in ["AT+CREG?", "AT+CGREG?", "AT+CEREG?"] { b.replies[c] = "+\(c.dropFirst(3).dropLast()): 0,0\r\n\r\nOK" }
            b.replies["AT+CSQ"] = "+CSQ: 99,99\r\n\r\nOK"
            b.replies["AT+CESQ"] = "+CESQ: 99,99,255,255,255,255\r\n\r\nOK"
            b.replies["AT+CGACT?"] = "+CGACT: 1,0\r\n\r\nOK"
            b.replies["AT+CGPADDR"] = "+CGPADDR: 1,\"0.0.0.0\"\r\n\r\nOK"
            b.replies["AT+CIREG?"] = "+CIREG: 0,0\r\n\r\nOK"
        case "ims-unregistered":
            b.replies["AT+CIREG?"] = "+CIREG: 0,0\r\n\r\nOK"
            b.replies["AT+CAVIMS?"] = "+CAVIMS: 0\r\n\r\nOK"
            b.replies["AT+QCFG=\"ims\""] = "+QCFG: \"ims\",2,0\r\n\r\nOK"
        case "bands-missing":
            // LTE bands 2, 4 and 5 only: 12, 66 and 71 switched off by someone's band lock.
            b.replies["AT+QCFG=\"band\""] = "+QCFG: \"band\",0x260,0x1a,0x0\r\n\r\nOK"
        case "pin-low":
            b.replies["AT+QPINC?"] = "+QPINC: \"SC\",1,10\r\n+QPINC: \"P2\",3,10\r\n\r\nOK"
        case "puk-low":
            b.replies["AT+CPIN?"] = "+CPIN: SIM PUK\r\n\r\nOK"
            b.replies["AT+QPINC?"] = "+QPINC: \"SC\",0,2\r\n+QPINC: \"P2\",3,10\r\n\r\nOK"
        case "imei-zero":
            b.replies["AT+CGSN"] = "000000000000000\r\n\r\nOK"
        case "retired-technology":
            // Registered on UMTS (AcT 2) on T-Mobile, which closed its UMTS network in 2022.
            b.replies["AT+COPS?"] = "+COPS: 0,0,\"T-Mobile\",2\r\n\r\nOK"
            b.replies["AT+CEREG?"] = "+CEREG: 0,0\r\n\r\nOK"
        case "umts-only-searching":
            // A 3G-only (UTRAN) modem with a T-Mobile SIM, searching: nothing it can use is run.
            b.replies["AT+WS46=?"] = "+WS46: (22)\r\n\r\nOK"
            b.replies["AT+COPS?"] = "+COPS: 0\r\n\r\nOK"
            for c in ["AT+CREG?", "AT+CGREG?", "AT+CEREG?"] { b.replies[c] = "+\(c.dropFirst(3).dropLast()): 0,2\r\n\r\nOK" }
        case "roaming-partner":
            // A T-Mobile SIM roaming on AT&T in the US (MCC 310, another MNC).
            b.replies["AT+COPS?"] = "+COPS: 0,2,\"310410\",7\r\n\r\nOK"
            for c in ["AT+CREG?", "AT+CGREG?", "AT+CEREG?"] { b.replies[c] = "+\(c.dropFirst(3).dropLast()): 0,5\r\n\r\nOK" }
        case "roaming-abroad":
            b.replies["AT+COPS?"] = "+COPS: 0,2,\"23415\",7\r\n\r\nOK"
            for c in ["AT+CREG?", "AT+CGREG?", "AT+CEREG?"] { b.replies[c] = "+\(c.dropFirst(3).dropLast()): 0,5\r\n\r\nOK" }
        default: return nil
        }
        return b
    }
}
