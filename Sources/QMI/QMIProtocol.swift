/// QMI described once, as data: services, the messages tmdiag knows, and which may be sent.
/// Encoding, the allowlist, the client's plan and names in logs are code over these tables.
///
/// Sources: libqmi `src/libqmi-glib/qmi-message.c` (QMUX and QMI headers), `qmi-enums*.h`,
/// `data/qmi-service-ctl.json`, `-dms.json`, `-nas.json`, `-uim.json` (message ids and TLVs).

/// A QMI service and its QMUX service number.
public struct QMIService: Sendable, Hashable, CustomStringConvertible {
    public var id: UInt8
    public var name: String
    public var description: String { name }

    public static let ctl = QMIService(id: 0x00, name: "CTL")
    public static let wds = QMIService(id: 0x01, name: "WDS")
    public static let dms = QMIService(id: 0x02, name: "DMS")
    public static let nas = QMIService(id: 0x03, name: "NAS")
    public static let uim = QMIService(id: 0x0B, name: "UIM")

    public static let all: [QMIService] = [ctl, wds, dms, nas, uim]
    public static func named(_ id: UInt8) -> QMIService? { all.first { $0.id == id } }
}

/// What tmdiag may do with a message.
public enum QMIAccess: Sendable, Hashable {
    /// Reads state; may be sent on a client id tmdiag allocated.
    case read
    /// CTL client id bookkeeping: Allocate, and Release of tmdiag's own ids only.
    case clientId
    /// qmi-proxy's own open request: only to the proxy.
    case proxyOpen
    /// Known, named in logs, never sent.
    case forbidden(why: String)
}

/// One message: service, id, name, access.
public struct QMIMessageSpec: Sendable, Hashable, CustomStringConvertible {
    public var service: QMIService
    public var id: UInt16
    public var name: String
    public var access: QMIAccess
    public var description: String { "\(service.name) \(name)" }

    static func m(_ s: QMIService, _ id: UInt16, _ name: String, _ access: QMIAccess = .read) -> QMIMessageSpec {
        QMIMessageSpec(service: s, id: id, name: name, access: access)
    }

    public static let ctlGetVersionInfo = m(.ctl, 0x0021, "Get Version Info")
    public static let ctlAllocateCID = m(.ctl, 0x0022, "Allocate CID", .clientId)
    public static let ctlReleaseCID = m(.ctl, 0x0023, "Release CID", .clientId)
    public static let ctlProxyOpen = m(.ctl, 0xFF00, "Internal Proxy Open", .proxyOpen)

    public static let dmsGetManufacturer = m(.dms, 0x0021, "Get Manufacturer")
    public static let dmsGetModel = m(.dms, 0x0022, "Get Model")
    public static let dmsGetRevision = m(.dms, 0x0023, "Get Revision")
    public static let dmsGetMSISDN = m(.dms, 0x0024, "Get MSISDN")
    public static let dmsGetIDs = m(.dms, 0x0025, "Get IDs")
    public static let dmsGetOperatingMode = m(.dms, 0x002D, "Get Operating Mode")
    public static let dmsGetICCID = m(.dms, 0x003C, "UIM Get ICCID")
    public static let dmsGetIMSI = m(.dms, 0x0043, "UIM Get IMSI")

    public static let nasGetSignalStrength = m(.nas, 0x0020, "Get Signal Strength")
    public static let nasGetServingSystem = m(.nas, 0x0024, "Get Serving System")
    public static let nasGetHomeNetwork = m(.nas, 0x0025, "Get Home Network")
    public static let nasGetSystemInfo = m(.nas, 0x004D, "Get System Info")
    public static let nasGetSignalInfo = m(.nas, 0x004F, "Get Signal Info")

    public static let uimGetCardStatus = m(.uim, 0x002F, "Get Card Status")

    /// Every message tmdiag knows; the forbidden ones are listed so that logs and the fake modem
    /// can name what they see.
    public static let catalog: [QMIMessageSpec] = [
        ctlGetVersionInfo, ctlAllocateCID, ctlReleaseCID, ctlProxyOpen,
        m(.ctl, 0x0020, "Set Instance ID", .forbidden(why: "changes the link's instance")),
        m(.ctl, 0x0026, "Set Data Format", .forbidden(why: "changes the data link format")),
        m(.ctl, 0x0027, "Sync", .forbidden(why: "releases every client id on the device, ModemManager's too")),
        dmsGetManufacturer, dmsGetModel, dmsGetRevision, dmsGetMSISDN, dmsGetIDs, dmsGetOperatingMode, dmsGetICCID, dmsGetIMSI,
        m(.dms, 0x002E, "Set Operating Mode", .forbidden(why: "turns the radio off or resets the modem")),
        m(.dms, 0x0028, "UIM Verify PIN", .forbidden(why: "uses up a PIN attempt")),
        nasGetSignalStrength, nasGetServingSystem, nasGetHomeNetwork, nasGetSystemInfo, nasGetSignalInfo,
        m(.nas, 0x0022, "Initiate Network Register", .forbidden(why: "changes the registration")),
        m(.nas, 0x0033, "Set System Selection Preference", .forbidden(why: "changes network selection")),
        uimGetCardStatus,
        m(.uim, 0x0026, "Verify PIN", .forbidden(why: "uses up a PIN attempt")),
        m(.uim, 0x0030, "Power Off SIM", .forbidden(why: "powers the SIM off")),
        m(.wds, 0x0020, "Start Network", .forbidden(why: "connects")),
        m(.wds, 0x0021, "Stop Network", .forbidden(why: "disconnects")),
    ]

    public static func named(service: UInt8, id: UInt16) -> QMIMessageSpec? {
        catalog.first { $0.service.id == service && $0.id == id }
    }
}

/// QMI error codes worth a word (libqmi `qmi-errors.h`).
public enum QMIErrorCode {
    public static let none: UInt16 = 0
    public static let malformedMessage: UInt16 = 1
    public static let internalError: UInt16 = 3
    public static let clientIdsExhausted: UInt16 = 5
    public static let invalidClientId: UInt16 = 7
    public static let uimUninitialized: UInt16 = 37
    public static let deviceNotReady: UInt16 = 52
    public static let invalidQMICommand: UInt16 = 71
    public static let notSupported: UInt16 = 94
    public static let informationUnavailable: UInt16 = 74

    static let names: [UInt16: String] = [
        0: "none", 1: "malformed message", 2: "no memory", 3: "internal error", 4: "aborted", 5: "client ids exhausted",
        7: "invalid client id", 13: "no network found", 16: "not provisioned", 17: "missing argument",
        26: "no effect", 35: "PIN blocked", 36: "PIN permanently blocked", 37: "UIM uninitialized",
        46: "general error", 47: "unknown error", 48: "invalid argument", 52: "device not ready", 53: "network not ready",
        71: "invalid QMI command", 74: "information unavailable", 80: "SIM file not found", 94: "not supported",
    ]

    public static func name(_ e: UInt16) -> String { names[e] ?? "QMI error \(e)" }
}
