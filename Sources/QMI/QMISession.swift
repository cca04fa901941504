import TMDiagCore

/// Why a QMI exchange failed.
public enum QMISessionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The allowlist refused the message: not one byte was written.
    case forbidden(String)
    case port(MessagePortError)
    /// A reply whose lengths disagree.
    case malformed(String)
    /// More unrelated messages than a reply can hide behind.
    case flood(String)
    /// CTL refused a client id (exhausted, unknown service).
    case noClient(String)

    public var description: String {
        switch self {
        case .forbidden(let why): "refused, nothing sent: \(why)"
        case .port(let e): e.description
        case .malformed(let why): "malformed reply: \(why)"
        case .flood(let why): "flood: \(why)"
        case .noClient(let why): why
        }
    }

    public var isTimeout: Bool {
        if case .port(.timeout) = self { return true }
        return false
    }
}

/// One QMI conversation over a `MessagePort`: client ids, transaction ids, the read-only
/// allowlist, replies matched by service, client id, transaction id and message id.
///
/// Client ids are the one thing tmdiag changes on a QMI modem: it allocates one per service it
/// reads (CTL Allocate CID) and must give each back (CTL Release CID), or the modem runs out
/// of them (there are few per service). The session remembers every id it was given, even by
/// a reply that came after its request timed out, so that `releaseAll` can return them all.
/// It never sends CTL Sync, which releases every client id on the device, ModemManager's too.
public final class QMISession {
    public let port: MessagePort
    /// Whether `port` is `qmi-proxy`'s socket rather than the device.
    public let viaProxy: Bool
    /// Every message written, by name, in order.
    public private(set) var sent: [String] = []
    /// Indications and replies to other transactions read while waiting for a reply.
    public private(set) var skipped: [String] = []
    /// Client ids allocated and not yet released, in allocation order.
    public private(set) var clients: [(service: QMIService, cid: UInt8)] = []
    /// Allocate CID requests whose reply has not come, by CTL transaction id.
    public private(set) var pendingAllocations: [UInt8: QMIService] = [:]
    /// A trace hook for `--debug` (direction, message name).
    public var trace: (@Sendable (String, String) -> Void)?
    private var ctlId: UInt8 = 1
    private var serviceId: UInt16 = 1
    static let maxSkippedPerRequest = 256

    /// The services tmdiag reads (and so the only ones it allocates client ids for).
    public static let readServices: Set<QMIService> = [.dms, .nas, .uim]

    public init(port: MessagePort, viaProxy: Bool) {
        self.port = port
        self.viaProxy = viaProxy
    }

    public func cid(for service: QMIService) -> UInt8? { clients.last { $0.service == service }?.cid }

    func nextTransaction(_ service: QMIService) -> UInt16 {
        if service == .ctl {
            defer { ctlId = ctlId == 0xFF ? 1 : ctlId + 1 }
            return UInt16(ctlId)
        }
        defer { serviceId = serviceId == 0xFFFF ? 1 : serviceId + 1 }
        return serviceId
    }

    /// Why `m` may not be sent; nil when it may. Reads the message's own bytes.
    public func refusal(_ m: QMIMessage) -> String? {
        do { try m.validate() } catch { return "a malformed message: \(error.what)" }
        let b = m.bytes
        guard b[3] == 0x00, m.sduFlags == 0 else { return "not a request from the host" }
        guard let spec = QMIMessageSpec.named(service: m.service, id: m.messageId) else {
            return "\(m.name) is not on the read-only allowlist"
        }
        switch spec.access {
        case .read:
            if spec.service == .ctl { return nil }
            guard clients.contains(where: { $0.service == spec.service && $0.cid == m.clientId }) else {
                return "\(spec) on client id \(m.clientId), which tmdiag did not allocate (it would take another program's replies)"
            }
            return nil
        case .clientId:
            let tlvs: QMITLVs
            do { tlvs = try m.tlvs() } catch { return "a malformed message: \(error.what)" }
            if spec == .ctlAllocateCID {
                guard let v = tlvs[0x01], v.count == 1, let s = QMIService.named(v[0]), Self.readServices.contains(s) else {
                    return "Allocate CID only for the services tmdiag reads (DMS, NAS, UIM)"
                }
                return nil
            }
            guard let v = tlvs[0x01], v.count == 2, clients.contains(where: { $0.service.id == v[0] && $0.cid == v[1] }) else {
                return "Release CID only of a client id tmdiag allocated itself"
            }
            return nil
        case .proxyOpen:
            return viaProxy ? nil : "Internal Proxy Open is for qmi-proxy only, never for a device"
        case .forbidden(let why):
            return "\(spec): \(why)"
        }
    }

    /// Writes `m` if the allowlist passes it; throws `.forbidden` before writing otherwise.
    public func send(_ m: QMIMessage, deadline: ContinuousClock.Instant) throws(QMISessionError) {
        if let why = refusal(m) { throw .forbidden(why) }
        var name = m.name
        if m.isControl, m.messageId == QMIMessageSpec.ctlAllocateCID.id || m.messageId == QMIMessageSpec.ctlReleaseCID.id,
           let v = try? m.tlvs()[0x01], let s = v.first {
            name += " (" + (QMIService.named(s)?.name ?? "\(s)") + (v.count > 1 ? " \(v[1])" : "") + ")"
        }
        sent.append(name)
        trace?(">>", "\(name) (transaction \(m.transactionId))")
        do { try port.write(m.bytes, deadline: deadline) } catch { throw .port(error) }
    }

    /// Sends a request on the client id tmdiag holds for `service` (none for CTL) and waits
    /// for its response.
    public func request(_ spec: QMIMessageSpec, tlvs: [(UInt8, [UInt8])] = [], deadline: ContinuousClock.Instant) throws(QMISessionError) -> QMIMessage {
        let cid = spec.service == .ctl ? 0 : (cid(for: spec.service) ?? 0)
        let m = QMIMessage.request(service: spec.service, clientId: cid, transactionId: nextTransaction(spec.service),
                                   messageId: spec.id, tlvs: tlvs)
        try send(m, deadline: deadline)
        return try awaitResponse(to: m, deadline: deadline)
    }

    /// CTL Allocate CID for `service`; the id is remembered for `releaseAll`.
    public func allocate(_ service: QMIService, deadline: ContinuousClock.Instant) throws(QMISessionError) -> UInt8 {
        let m = QMIMessage.request(service: .ctl, clientId: 0, transactionId: nextTransaction(.ctl),
                                   messageId: QMIMessageSpec.ctlAllocateCID.id, tlvs: [(0x01, [service.id])])
        try send(m, deadline: deadline)
        pendingAllocations[UInt8(m.transactionId)] = service
        let reply = try awaitResponse(to: m, deadline: deadline)
        guard let cid = cid(for: service) else {
            let e = (try? reply.tlvs().result?.error) ?? nil
            throw .noClient("CTL refused a client id for \(service): " + (e.map { QMIErrorCode.name($0) } ?? "no allocation in the reply"))
        }
        return cid
    }

    /// CTL Release CID for one id tmdiag holds.
    public func release(_ service: QMIService, _ cid: UInt8, deadline: ContinuousClock.Instant) throws(QMISessionError) {
        let m = QMIMessage.request(service: .ctl, clientId: 0, transactionId: nextTransaction(.ctl),
                                   messageId: QMIMessageSpec.ctlReleaseCID.id, tlvs: [(0x01, [service.id, cid])])
        try send(m, deadline: deadline)
        let reply = try awaitResponse(to: m, deadline: deadline)
        let result = (try? reply.tlvs().result) ?? nil
        // An invalid client id means the modem no longer has it: released either way.
        if let result, !result.ok, result.error != QMIErrorCode.invalidClientId {
            throw .noClient("CTL did not release \(service) client \(cid): \(QMIErrorCode.name(result.error))")
        }
        clients.removeAll { $0.service == service && $0.cid == cid }
    }

    /// Reads until the response to `request` arrives. CTL Allocate CID responses to earlier,
    /// timed-out requests are recorded on the way (their ids must be released); everything else
    /// is set aside.
    func awaitResponse(to request: QMIMessage, deadline: ContinuousClock.Instant) throws(QMISessionError) -> QMIMessage {
        var skippedHere = 0
        while true {
            let raw: [UInt8]
            do { raw = try port.readMessage(QMIMessage.framing, deadline: deadline) } catch { throw .port(error) }
            let m = QMIMessage(bytes: raw)
            do { try m.validate() } catch { throw .malformed(error.what) }
            trace?("<<", "\(m.name)\(m.isIndication ? " indication" : "") (client \(m.clientId), transaction \(m.transactionId), \(m.bytes.count) bytes)")
            note(m)
            if m.isResponse, m.service == request.service, m.messageId == request.messageId,
               m.transactionId == request.transactionId, m.isControl || m.clientId == request.clientId {
                return m
            }
            skippedHere += 1
            if skipped.count < 64 { skipped.append("\(m.name)\(m.isIndication ? " indication" : "") (transaction \(m.transactionId))") }
            if skippedHere > Self.maxSkippedPerRequest {
                throw .flood("more than \(Self.maxSkippedPerRequest) unrelated messages before the reply")
            }
        }
    }

    /// Bookkeeping every message passes: a CTL Allocate CID response gives an id.
    private func note(_ m: QMIMessage) {
        guard m.isControl, m.isResponse, m.messageId == QMIMessageSpec.ctlAllocateCID.id else { return }
        let tid = UInt8(truncatingIfNeeded: m.transactionId)
        guard let service = pendingAllocations.removeValue(forKey: tid) else { return }
        guard let tlvs = try? m.tlvs(), tlvs.result?.ok == true, let v = tlvs[0x01], v.count == 2, v[0] == service.id else { return }
        clients.append((service, v[1]))
    }

    /// Releases every client id held, each with its own short limit even past the budget;
    /// first waits up to `pendingWait` for replies to allocations still pending (a late reply
    /// allocates an id all the same). Returns what could not be released.
    public func releaseAll(limitEach: Duration = .milliseconds(400), pendingWait: Duration = .milliseconds(400)) -> [String] {
        var problems: [String] = []
        // A vanished device took its client ids with it.
        guard !port.isGone else { return [] }
        if !pendingAllocations.isEmpty {
            let until = ContinuousClock.now.advanced(by: pendingWait)
            while !pendingAllocations.isEmpty, ContinuousClock.now < until {
                guard let raw = try? port.readMessage(QMIMessage.framing, deadline: until) else { break }
                let m = QMIMessage(bytes: raw)
                if (try? m.validate()) != nil { note(m) }
            }
        }
        for (service, cid) in clients.reversed() {
            do { try release(service, cid, deadline: ContinuousClock.now.advanced(by: limitEach)) } catch {
                problems.append("\(service) client \(cid) not released: \(error)")
            }
        }
        for (_, service) in pendingAllocations {
            problems.append("an Allocate CID for \(service) was never answered; if the modem allocated it, it stays allocated until the modem resets")
        }
        return problems
    }
}
