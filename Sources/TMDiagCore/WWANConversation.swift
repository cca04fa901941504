/// One MBIM or QMI read of one port, from the first message to the result (`MBIMClient.Run`,
/// `QMIClient.Run`). What both protocols do alike lives here once, so that they spend the
/// port's budget the same way, record errors the same way, and say how long they took.
public protocol WWANConversation {
    /// `deadline` is the end of the port's whole budget, `endReserve` included.
    init(path: String, options: WWANOptions, deadline: ContinuousClock.Instant)
    /// The whole conversation; returns by the deadline.
    mutating func go()

    var path: String { get }
    var options: WWANOptions { get }
    var deadline: ContinuousClock.Instant { get }
    var result: WWANProbeResult { get set }
    /// Time kept back at the end of the budget to leave the port as it was found (MBIM's
    /// CLOSE, QMI's client id releases): no request may run into it.
    var endReserve: Duration { get }
}

extension WWANConversation {
    /// Reads `path` within `options.timeout`; the result says how long that took.
    public static func read(path: String, options: WWANOptions) -> WWANProbeResult {
        let started = ContinuousClock.now
        var conversation = Self(path: path, options: options, deadline: started.advanced(by: options.timeout))
        conversation.go()
        var result = conversation.result
        result.durationMs = started.duration(to: .now).milliseconds
        return result
    }

    /// One request's deadline: `limit` (else the options' request timeout) from now, but never
    /// into `endReserve`.
    public func requestDeadline(_ limit: Duration? = nil) -> ContinuousClock.Instant {
        min(ContinuousClock.now.advanced(by: limit ?? options.requestTimeout), deadline - endReserve)
    }

    /// Records what went wrong on this port; `request` is nil for the port itself.
    public mutating func error(_ kind: WWANError.Kind, _ request: String?, _ what: String, code: Int? = nil, causeKind: String? = nil) {
        result.errors.append(WWANError(kind, port: path, request: request, what: what, code: code, causeKind: causeKind))
    }

    /// The session's audit trail into the result: every message written, and how many
    /// unrelated ones were set aside (the first few named), a sign of another client's traffic.
    public mutating func recordAuditTrail(sent: [String], skipped: [String]) {
        result.sent = sent
        if !skipped.isEmpty {
            result.details.append("set aside \(skipped.count) unrelated message(s): " + skipped.prefix(4).joined(separator: ", "))
        }
    }
}
