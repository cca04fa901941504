/// The contract's error kinds.
public enum ErrorKind: String, Codable, Sendable, CaseIterable {
    case cme, cms, ceer, emm, gmm, generic, timeout
}

/// Who can act on an error: the customer, the device, the carrier's account side, the network.
public enum Actor: String, Codable, Sendable, CaseIterable {
    case customer, device, carrier, network
}

/// One error a device gave (or a pasted log showed), explained.
public struct ReportedError: Codable, Sendable, Hashable {
    /// The command that produced it (`AT+CPIN?`), when known.
    public var command: String?
    /// The line exactly as received (escaped on output).
    public var raw: String
    public var kind: ErrorKind
    public var code: Int?
    public var meaning: String
    public var advice: String?
    public var actor: Actor?

    public init(command: String?, raw: String, kind: ErrorKind, code: Int?, meaning: String,
                advice: String?, actor: Actor? = nil) {
        self.command = command
        self.raw = raw
        self.kind = kind
        self.code = code
        self.meaning = meaning
        self.advice = advice
        self.actor = actor
    }
}
