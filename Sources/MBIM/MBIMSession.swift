import TMDiagCore

/// Why an MBIM exchange failed.
public enum MBIMSessionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The allowlist refused the message: not one byte was written.
    case forbidden(String)
    case port(MessagePortError)
    /// Fragments out of sequence, or more of them than any reply needs.
    case fragments(String)
    /// More unrelated messages than a reply can hide behind.
    case flood(String)

    public var description: String {
        switch self {
        case .forbidden(let why): "refused, nothing sent: \(why)"
        case .port(let e): e.description
        case .fragments(let why): "fragments: \(why)"
        case .flood(let why): "flood: \(why)"
        }
    }

    public var isTimeout: Bool {
        if case .port(.timeout) = self { return true }
        return false
    }
}

/// One MBIM conversation over a `MessagePort`: transaction ids, the read-only allowlist,
/// replies matched by transaction id, fragments reassembled, indications and replies to other
/// transactions set aside (counted, bounded) rather than taken for the reply.
///
/// Several commands may be outstanding at once (MBIM 1.0 §6.5: a function says in its MBIM
/// Extended Functional Descriptor how many, `bMaxOutstandingCommandMessages`, at least 1; the
/// transaction id is what pairs a reply with its command, §9.1). A reply that arrives for
/// another outstanding command while one is awaited is kept for it, not dropped; how many
/// are sent at once is the client's choice (`MBIMClient`), never more than the function
/// allows.
///
/// The allowlist lives here, in the only function that writes: `send` decodes the bytes it is
/// given, not a description of them, and refuses before writing anything that is not OPEN,
/// CLOSE, or a QUERY of a command the catalog marks `.query` (or `.queryWithFixedParameters`,
/// with exactly those parameters), plus the proxy's own configuration, and only to a proxy.
public final class MBIMSession {
    public let port: MessagePort
    /// Whether `port` is `mbim-proxy`'s socket rather than the device.
    public let viaProxy: Bool
    /// Every message written, by name, in order.
    public private(set) var sent: [String] = []
    /// Indications and replies to other transactions read while waiting for a reply.
    public private(set) var skipped: [String] = []
    private var nextId: UInt32 = 1
    /// Commands sent and not yet answered, by transaction id.
    private var outstanding: Set<UInt32> = []
    /// Replies read while another was awaited, for commands still outstanding.
    private var early: [UInt32: MBIMMessage] = [:]
    private var collector = MBIMFragmentCollector()
    /// A trace hook for `--debug` (direction, message name).
    public var trace: (@Sendable (String, String) -> Void)?
    /// Messages one request may skip before the port counts as flooding.
    static let maxSkippedPerRequest = 256

    public init(port: MessagePort, viaProxy: Bool) {
        self.port = port
        self.viaProxy = viaProxy
    }

    public func nextTransactionId() -> UInt32 {
        defer { nextId = nextId == UInt32.max ? 1 : nextId + 1 }
        return nextId
    }

    /// Why `m` may not be sent; nil when it may. Reads the message's own bytes.
    public static func refusal(_ m: MBIMMessage, viaProxy: Bool) -> String? {
        let b = m.bytes
        guard b.count >= 12, Int(m.length) == b.count else { return "a malformed message (length field \(m.length), \(b.count) bytes)" }
        guard let type = m.type else { return "\(m.name) is not a host message" }
        switch type {
        case .open: return b.count == 16 ? nil : "a malformed OPEN"
        case .close: return b.count == 12 ? nil : "a malformed CLOSE"
        case .command:
            guard b.count >= 48, m.totalFragments == 1, m.currentFragment == 0 else { return "a fragmented or short COMMAND" }
            guard let buffer = m.informationBuffer, 48 + buffer.count == b.count else { return "a COMMAND whose buffer length lies" }
            guard let service = MBIMService.named(uuid: m.serviceUUID),
                  let command = MBIMCommand.named(service: service, cid: m.cid) else {
                return "\(m.name) is not on the read-only allowlist"
            }
            guard let commandType = MBIMCommandType(rawValue: m.word40) else { return "an unknown command type \(m.word40)" }
            switch command.access {
            case .query:
                guard commandType == .query else { return "SET \(command) changes the modem; tmdiag only reads" }
                guard buffer.isEmpty else { return "QUERY \(command) with parameters is not on the allowlist" }
                return nil
            case .queryWithFixedParameters(let parameters):
                guard commandType == .query else { return "SET \(command) changes the modem; tmdiag only reads" }
                guard buffer == parameters else { return "QUERY \(command) with other parameters than its fixed ones is not on the allowlist" }
                return nil
            case .proxySet:
                guard viaProxy else { return "\(command) is for mbim-proxy only, never for a device" }
                return commandType == .set ? nil : "QUERY \(command) does not exist"
            case .forbidden(let why):
                return "\(command): \(why)"
            }
        default:
            return "\(m.name) is not a message tmdiag sends"
        }
    }

    /// Writes `m` if the allowlist passes it; throws `.forbidden` before writing otherwise.
    public func send(_ m: MBIMMessage, deadline: ContinuousClock.Instant) throws(MBIMSessionError) {
        if let why = Self.refusal(m, viaProxy: viaProxy) { throw .forbidden(why) }
        sent.append(m.name)
        trace?(">>", "\(m.name) (transaction \(m.transactionId))")
        do { try port.write(m.bytes, deadline: deadline) } catch { throw .port(error) }
        outstanding.insert(m.transactionId)
    }

    /// How many commands are sent and not yet answered.
    public var outstandingCount: Int { outstanding.count }

    /// Sends `m` and waits for its reply: the message with its transaction id and the matching
    /// DONE type, or a FUNCTION_ERROR for it.
    public func request(_ m: MBIMMessage, deadline: ContinuousClock.Instant) throws(MBIMSessionError) -> MBIMMessage {
        let expected: MBIMMessageType = switch m.type {
        case .open: .openDone
        case .close: .closeDone
        default: .commandDone
        }
        try send(m, deadline: deadline)
        return try awaitReply(transactionId: m.transactionId, type: expected, deadline: deadline)
    }

    /// Reads until the reply to `transactionId` arrives. Whatever else comes first is set aside:
    /// this session is the port's only reader, so those messages are nobody's and are dropped
    /// after being named in `skipped`.
    public func awaitReply(transactionId: UInt32, type: MBIMMessageType, deadline: ContinuousClock.Instant) throws(MBIMSessionError) -> MBIMMessage {
        // Answered or given up on, the command is no longer outstanding.
        defer { outstanding.remove(transactionId) }
        if let kept = early.removeValue(forKey: transactionId) { return kept }
        var skippedHere = 0
        var pieces = 0
        while true {
            let raw: [UInt8]
            do { raw = try port.readMessage(MBIMMessage.framing, deadline: deadline) } catch { throw .port(error) }
            pieces += 1
            if pieces > 4 * Self.maxSkippedPerRequest * Int(MBIMFragmentCollector.maxFragments) {
                throw .flood("\(pieces) messages and fragments without the reply")
            }
            let whole: MBIMMessage?
            do { whole = try collector.add(MBIMMessage(bytes: raw)) } catch {
                switch error {
                case .flood(let why): throw .flood(why)
                case .outOfSequence(let why), .malformed(let why): throw .fragments(why)
                }
            }
            guard let message = whole else { continue }
            trace?("<<", "\(message.name) (transaction \(message.transactionId), \(message.bytes.count) bytes)")
            if message.type == .functionError, message.transactionId == transactionId || message.transactionId == 0 {
                return message
            }
            if message.transactionId == transactionId, message.type == type { return message }
            // Another outstanding command's reply (or its FUNCTION_ERROR): kept for its turn.
            if message.transactionId != transactionId, outstanding.contains(message.transactionId),
               message.type == .commandDone || message.type == .functionError, early[message.transactionId] == nil {
                early[message.transactionId] = message
                continue
            }
            skippedHere += 1
            if skipped.count < 64 { skipped.append("\(message.name) (transaction \(message.transactionId))") }
            if skippedHere > Self.maxSkippedPerRequest {
                throw .flood("more than \(Self.maxSkippedPerRequest) unrelated messages before the reply")
            }
        }
    }
}
