/// Which binary control protocol a modem was read over.
public enum WWANMethod: String, Codable, Sendable {
    case mbim, qmi
}

/// One thing that went wrong reading a modem over MBIM or QMI, as data for the report: what
/// was asked (`request`), where (`port`), and why (`what`), plus the protocol's own code.
public struct WWANError: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// No reply before the request's deadline.
        case timeout
        /// The port: cannot be opened, went away, I/O errors.
        case port
        /// Frames that are not the protocol: lying lengths, garbage, fragment floods.
        case framing
        /// The modem answered with a failure status (MBIM status, QMI error code).
        case status
        /// A 3GPP cause from the network (MBIM NwError, QMI reject cause): `code` is the cause.
        case network
        /// tmdiag did not send it: not read-only, or the port is someone else's.
        case refused
    }

    public var kind: Kind
    public var port: String
    /// `QUERY BASIC_CONNECT REGISTER_STATE`, `NAS Get Serving System`; nil for the port itself.
    public var request: String?
    /// One line saying why, for a person.
    public var what: String
    /// The MBIM status, the QMI error code, or the 3GPP cause.
    public var code: Int?
    /// For `.network`: `emm` (EPS, TS 24.301) or `gmm` (GPRS/MM, TS 24.008).
    public var causeKind: String?

    public init(_ kind: Kind, port: String, request: String? = nil, what: String, code: Int? = nil, causeKind: String? = nil) {
        self.kind = kind
        self.port = port
        self.request = request
        self.what = what
        self.code = code
        self.causeKind = causeKind
    }

    public var description: String {
        TerminalText.escape(port) + ": " + (request.map { $0 + ": " } ?? "") + what
    }

    /// The report's error shape. Network causes keep their kind and code, so that the error
    /// catalog can explain them like a `+CEER` cause; `meaning` is this error's own line until
    /// the catalog gives a better one.
    public var reported: ReportedError {
        let k: ErrorKind
        switch kind {
        case .timeout: k = .timeout
        case .network: k = causeKind == "gmm" ? .gmm : .emm
        default: k = .generic
        }
        let actor: Actor? = kind == .network ? .network : (kind == .refused ? nil : .device)
        return ReportedError(command: request, raw: what, kind: k, code: code, meaning: what, advice: nil, actor: actor)
    }
}

/// What tmdiag may do with a port before it opens one.
public struct WWANOptions: Sendable {
    /// The port's whole budget, the final CLOSE / client id releases included.
    public var timeout: Duration
    /// One request's limit (capped by what is left of the budget).
    public var requestTimeout: Duration
    /// Whether to go through `mbim-proxy` / `qmi-proxy` when one listens.
    public var proxy: ProxyUse
    /// The proxy's abstract socket name; nil for the protocol's own (`mbim-proxy`, `qmi-proxy`).
    public var proxySocket: String?
    /// Other programs holding the port, as the caller found them, each starting with the
    /// program's name (`PortHolder.description`: `ModemManager (pid 812)`): several openers of a
    /// cdc-wdm or wwan port share one read queue and take each other's replies, so a held port
    /// is never opened, and is read through `mbim-proxy`/`qmi-proxy` only when the proxy is its
    /// one holder. Empty: nobody (or not looked).
    public var heldBy: [String]
    /// A trace hook for `--debug`: direction (`>>` sent, `<<` received) and the message's name.
    public var trace: (@Sendable (String, String) -> Void)?
    /// How many commands the function accepts before answering the first: MBIM's
    /// `bMaxOutstandingCommandMessages` from the function's USB descriptors (MBIM 1.0 §6.5).
    /// 1 (one at a time) when the function does not say, as a PCI modem's wwan port cannot.
    public var maxOutstanding: Int = 1

    public enum ProxyUse: String, Sendable {
        /// Through the proxy when it listens, else the device node.
        case auto
        /// Always the device node.
        case never
        /// Only through the proxy.
        case only
    }

    /// One request gets at most a third of the budget (and 3 s), as for AT.
    public init(timeout: Duration = .seconds(10), requestTimeout: Duration? = nil, proxy: ProxyUse = .auto,
                proxySocket: String? = nil, heldBy: [String] = [], trace: (@Sendable (String, String) -> Void)? = nil) {
        self.timeout = timeout
        self.requestTimeout = requestTimeout ?? .requestLimit(within: timeout)
        self.proxy = proxy
        self.proxySocket = proxySocket
        self.heldBy = heldBy
        self.trace = trace
    }
}

/// What one MBIM or QMI read of one port produced. Partial results are results: facts read
/// before an error stay, with the error recorded.
public struct WWANProbeResult: Sendable {
    public var port: String
    public var method: WWANMethod
    public var facts: ModemFacts
    public var errors: [WWANError]
    /// Every message written, by name, in order: the read-only allowlist's audit trail
    /// (`OPEN`, `QUERY BASIC_CONNECT DEVICE_CAPS`, `CTL Allocate CID (DMS)`, ...).
    public var sent: [String]
    /// How the port was reached: `device`, `mbim-proxy`, `qmi-proxy`; for MBIM also whether
    /// tmdiag opened the function or found it open (`device, session already open`).
    public var route: String
    public var durationMs: Int
    /// Why the read ended early, if it did.
    public var note: String?
    /// Whether the modem answered anything at all.
    public var answered: Bool
    /// Protocol details worth keeping for the agent (`layout: SUBSCRIBER_READY_STATUS v3`).
    public var details: [String]

    public init(port: String, method: WWANMethod, facts: ModemFacts = ModemFacts(), errors: [WWANError] = [], sent: [String] = [],
                route: String, durationMs: Int = 0, note: String? = nil, answered: Bool = false, details: [String] = []) {
        self.port = port
        self.method = method
        self.facts = facts
        self.errors = errors
        self.sent = sent
        self.route = route
        self.durationMs = durationMs
        self.note = note
        self.answered = answered
        self.details = details
    }

    /// A few lines for `--debug` and logs: the route, every message sent, the errors.
    public var describe: String {
        var lines = ["\(method.rawValue) \(TerminalText.escape(port)) via \(route), \(durationMs) ms"]
        lines += sent.map { "  sent: \($0)" }
        lines += details.map { "  \($0)" }
        lines += errors.map { "  error: \($0)" }
        if let note { lines.append("  note: \(note)") }
        return lines.joined(separator: "\n")
    }
}
