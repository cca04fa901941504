/// MBIM described once, as data: the services tmdiag knows, their commands, and which of them
/// may be sent. Everything else (encoding, the allowlist, the client's plan, names in logs) is
/// code over these tables.
///
/// Sources: USB-IF MBIM 1.0 (§9 messages, §10 Basic Connect); libmbim's
/// `src/libmbim-glib/mbim-uuid.c` (wire byte order of the UUIDs), `mbim-cid.h` (command ids),
/// `mbim-message-private.h` (header layouts), `data/mbim-service-*.json` (field layouts, MBIMEx
/// v2/v3 variants).

/// A device service: a 16-byte UUID, in wire order (the order libmbim's `MbimUuid` stores).
public struct MBIMService: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var uuid: [UInt8]

    public init(name: String, uuid: String) {
        self.name = name
        // "a289cc33-bcbb-8b4f-b6b0-133ec2aae6df": the bytes as printed are the bytes on the wire.
        let hex = Array(uuid.utf8.filter { $0 != UInt8(ascii: "-") })
        var bytes: [UInt8] = []
        var i = 0
        while i + 1 < hex.count {
            bytes.append(UInt8(Self.nibble(hex[i]) << 4 | Self.nibble(hex[i + 1])))
            i += 2
        }
        precondition(bytes.count == 16, "a UUID has 16 bytes: \(uuid)")
        self.uuid = bytes
    }

    public var description: String { name }

    static func nibble(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: 0
        }
    }

    public static let basicConnect = MBIMService(name: "BASIC_CONNECT", uuid: "a289cc33-bcbb-8b4f-b6b0-133ec2aae6df")
    public static let msBasicConnectExtensions = MBIMService(name: "MS_BASIC_CONNECT_EXTENSIONS", uuid: "3d01dcc5-fef5-4d05-0d3a-bef7058e9aaf")
    /// libmbim's proxy's own service: its messages reach the proxy, never the device.
    public static let proxyControl = MBIMService(name: "PROXY_CONTROL", uuid: "838cf7fb-8d0d-4d7f-871e-d71dbefbb39b")

    public static let all: [MBIMService] = [basicConnect, msBasicConnectExtensions, proxyControl]

    public static func named(uuid: some Collection<UInt8>) -> MBIMService? {
        let bytes = Array(uuid)
        return all.first { $0.uuid == bytes }
    }
}

/// MBIM message types (MBIM 1.0 §9.1): host to device, and device to host with the high bit.
public enum MBIMMessageType: UInt32, Sendable {
    case open = 1
    case close = 2
    case command = 3
    case hostError = 4
    case openDone = 0x8000_0001
    case closeDone = 0x8000_0002
    case commandDone = 0x8000_0003
    case functionError = 0x8000_0004
    case indicateStatus = 0x8000_0007

    /// COMMAND, COMMAND_DONE and INDICATE_STATUS carry a fragment header and may be split.
    public var isFragmented: Bool { self == .command || self == .commandDone || self == .indicateStatus }
}

/// COMMAND's CommandType.
public enum MBIMCommandType: UInt32, Sendable {
    case query = 0
    case set = 1
}

/// What tmdiag may do with a command.
public enum MBIMAccess: Sendable, Hashable {
    /// QUERY is read-only and allowed; SET never.
    case query
    /// A QUERY that takes parameters: allowed with exactly these bytes as its information
    /// buffer and nothing else, so that no other parameters can ever be slipped in.
    case queryWithFixedParameters([UInt8])
    /// Only the proxy's own configuration SET, and only to a proxy (it never reaches the device).
    case proxySet
    /// Known, named in logs, never sent.
    case forbidden(why: String)
}

/// One command: service, CID, name, access.
public struct MBIMCommand: Sendable, Hashable, CustomStringConvertible {
    public var service: MBIMService
    public var cid: UInt32
    public var name: String
    public var access: MBIMAccess

    public var description: String { "\(service.name) \(name)" }

    public static func named(service: MBIMService, cid: UInt32) -> MBIMCommand? {
        catalog.first { $0.service == service && $0.cid == cid }
    }

    static func bc(_ cid: UInt32, _ name: String, _ access: MBIMAccess = .query) -> MBIMCommand {
        MBIMCommand(service: .basicConnect, cid: cid, name: name, access: access)
    }

    public static let deviceCaps = bc(1, "DEVICE_CAPS")
    public static let subscriberReadyStatus = bc(2, "SUBSCRIBER_READY_STATUS")
    public static let radioState = bc(3, "RADIO_STATE")
    public static let pin = bc(4, "PIN")
    public static let homeProvider = bc(6, "HOME_PROVIDER")
    public static let registerState = bc(9, "REGISTER_STATE")
    public static let packetService = bc(10, "PACKET_SERVICE")
    public static let signalState = bc(11, "SIGNAL_STATE")
    /// The services the function implements and, for each, the CIDs it supports (MBIM 1.0 §10.5.28).
    public static let deviceServices = bc(16, "DEVICE_SERVICES")
    /// Serving and neighbouring cells (MBIMEx, libmbim `data/mbim-service-ms-basic-connect-extensions.json`).
    /// The query's parameters are the largest number of neighbours wanted per technology
    /// (MaxGsmCount, MaxUmtsCount, MaxTdscdmaCount, MaxLteCount, MaxCdmaCount): the MBIM 1.0
    /// layout with 15 of each, as `mbimcli --ms-query-base-stations-info` asks. tmdiag never
    /// exchanges MBIMEx versions, so a function it opens speaks the MBIM 1.0 layouts.
    public static let baseStationsInfo = MBIMCommand(
        service: .msBasicConnectExtensions, cid: 11, name: "BASE_STATIONS_INFO",
        access: .queryWithFixedParameters(baseStationsInfoParameters))
    public static let baseStationsInfoParameters: [UInt8] = (0..<5).flatMap { _ in [15, 0, 0, 0] as [UInt8] }
    public static let proxyConfiguration = MBIMCommand(service: .proxyControl, cid: 1, name: "CONFIGURATION", access: .proxySet)

    /// Every command tmdiag knows. Only `.query` ones may be sent as QUERY; the forbidden ones
    /// are listed so that logs and the fake modem can name what they see.
    public static let catalog: [MBIMCommand] = [
        deviceCaps, subscriberReadyStatus, radioState, pin, homeProvider, registerState, packetService, signalState,
        deviceServices, baseStationsInfo, proxyConfiguration,
        bc(12, "CONNECT", .forbidden(why: "a SET connects or disconnects; tmdiag has no use for its query")),
        bc(19, "DEVICE_SERVICE_SUBSCRIBE_LIST", .forbidden(why: "changes which indications another client receives")),
        MBIMCommand(service: .msBasicConnectExtensions, cid: 4, name: "LTE_ATTACH_INFO",
                    access: .forbidden(why: "carries the APN user name and password")),
        MBIMCommand(service: .msBasicConnectExtensions, cid: 10, name: "DEVICE_RESET", access: .forbidden(why: "resets the modem")),
        MBIMCommand(service: .msBasicConnectExtensions, cid: 15, name: "VERSION",
                    access: .forbidden(why: "the MBIMEx version exchange changes the layouts of the session everyone shares")),
    ]
}

/// MBIM status codes (MBIM 1.0 §9.4.5; libmbim `mbim-errors.h`), the ones worth a word.
public enum MBIMStatus {
    public static let success: UInt32 = 0
    public static let simNotInserted: UInt32 = 3
    public static let pinRequired: UInt32 = 5
    public static let notRegistered: UInt32 = 7
    public static let noDeviceSupport: UInt32 = 9
    public static let notInitialized: UInt32 = 14
    public static let radioPowerOff: UInt32 = 20

    static let names: [UInt32: String] = [
        0: "success", 1: "busy", 2: "failure", 3: "SIM not inserted", 4: "bad SIM", 5: "PIN required",
        6: "PIN disabled", 7: "not registered", 8: "providers not found", 9: "not supported by the device",
        10: "provider not visible", 11: "data class not available", 12: "packet service detached",
        13: "maximum activated contexts", 14: "not initialized", 15: "voice call in progress",
        16: "context not activated", 17: "service not activated", 18: "invalid access string",
        19: "invalid user name or password", 20: "radio power off", 21: "invalid parameters",
        22: "read failure", 23: "write failure", 28: "operation not allowed",
    ]

    public static func name(_ s: UInt32) -> String { names[s] ?? "status \(s)" }

    /// MBIM_FUNCTION_ERROR_MSG's ErrorStatusCode (MBIM 1.0 §9.3.4, libmbim `MbimProtocolError`).
    static let protocolErrors: [UInt32: String] = [
        1: "fragment timeout", 2: "fragment out of sequence", 3: "length mismatch", 4: "duplicated transaction id",
        5: "not opened", 6: "unknown error", 7: "cancelled", 8: "larger than MaxControlTransfer",
    ]
    public static let notOpened: UInt32 = 5

    public static func protocolError(_ s: UInt32) -> String { protocolErrors[s] ?? "protocol error \(s)" }
}
