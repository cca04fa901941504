import TMDiagCore

/// Reads a modem over QMI, read-only, synchronously, within a deadline.
///
/// QMI has no OPEN/CLOSE: a data session belongs to a WDS client id, and reading through
/// other client ids leaves it alone. What tmdiag must not do is take another program's client
/// ids or replies: so it goes through `qmi-proxy` when it listens (the proxy multiplexes
/// ModemManager and others), never opens a port another program holds (cdc-wdm and wwan ports
/// share one read queue between openers), allocates its own client ids and releases every one
/// of them before it returns, timeouts and errors included, and never sends CTL Sync.
public enum QMIClient {
    public static func read(path: String, options: WWANOptions = WWANOptions()) -> WWANProbeResult {
        Run.read(path: path, options: options)
    }

    /// One read's state; `go` is the whole conversation.
    struct Run: WWANConversation {
        let path: String
        let options: WWANOptions
        let deadline: ContinuousClock.Instant
        var result: WWANProbeResult
        var builder = QMIFactsBuilder()
        var session: QMISession?
        var timeouts = 0
        var stopped = false

        init(path: String, options: WWANOptions, deadline: ContinuousClock.Instant) {
            self.path = path
            self.options = options
            self.deadline = deadline
            result = WWANProbeResult(port: path, method: .qmi, route: "device")
        }

        /// The first request's limit: a silent port ends fast.
        var pingLimit: Duration { min(options.requestTimeout, .milliseconds(1500)) }

        /// Time kept back for releasing client ids at the end.
        var endReserve: Duration { min(.milliseconds(600), options.timeout / 8) }

        mutating func go() {
            let route: WWANPortRoute
            do { route = try WWANPortRoute.open(path, proxy: "qmi-proxy", options: options) } catch {
                result.errors.append(error.error)
                result.note = error.note
                result.facts = builder.facts
                return
            }
            let port = route.port
            let s = QMISession(port: port, viaProxy: route.viaProxy)
            s.trace = options.trace
            session = s
            result.route = route.name
            defer {
                // Every client id back, whatever happened above. An allocation still unanswered
                // may yet be answered: wait for it as long as a ping, within what is left of the
                // budget (but at least a release's time).
                let left = ContinuousClock.now.duration(to: deadline)
                let wait = min(pingLimit, max(left, endReserve / 2))
                for problem in s.releaseAll(limitEach: endReserve / 2, pendingWait: wait) { error(.port, "CTL Release CID", problem) }
                recordAuditTrail(sent: s.sent, skipped: s.skipped)
                port.close()
                result.facts = builder.facts
            }
            if route.viaProxy {
                let bytes = Array(path.utf8)
                guard let reply = ask(.ctlProxyOpen, tlvs: [(0x01, bytes)]) else {
                    // qmi-proxy accepts, then drops, a caller it does not trust.
                    if s.port.isGone { result.note = "qmi-proxy closed the connection: it serves root and its configured user only" }
                    return
                }
                guard ok(reply, .ctlProxyOpen) else {
                    result.note = "qmi-proxy could not open the device"
                    return
                }
            }
            readAll(s)
        }

        mutating func readAll(_ s: QMISession) {
            // Identity. The first request is also the ping: a silent port ends here, fast.
            let haveDMS = client(.dms, s, ping: true)
            guard !stopped else { return }
            if haveDMS {
                if let t = tlvs(ask(.dmsGetManufacturer), .dmsGetManufacturer) { builder.add(manufacturer: t.string(0x01)) }
                if let t = tlvs(ask(.dmsGetModel), .dmsGetModel) { builder.add(model: t.string(0x01)) }
                if let t = tlvs(ask(.dmsGetRevision), .dmsGetRevision) { builder.add(revision: t.string(0x01)) }
                if let t = tlvs(ask(.dmsGetIDs), .dmsGetIDs) { builder.add(QMIDeviceIDs.parse(t)) }
                if let t = tlvs(ask(.dmsGetOperatingMode), .dmsGetOperatingMode),
                   let v = decode(.dmsGetOperatingMode, t, QMIOperatingMode.parse) { builder.add(v) }
            }

            // The SIM.
            if !stopped, client(.uim, s), let t = tlvs(ask(.uimGetCardStatus), .uimGetCardStatus) {
                if let v = decode(.uimGetCardStatus, t, QMICardStatus.parse) { builder.add(v) }
            }
            let sim = builder.facts.sim?.state
            let simReadable = sim != .absent && sim != .failure
            if haveDMS, simReadable, let t = tlvs(ask(.dmsGetICCID), .dmsGetICCID, optional: true) { builder.add(iccid: t.string(0x01)) }
            if haveDMS, sim == .ready || sim == nil {
                if let t = tlvs(ask(.dmsGetIMSI), .dmsGetIMSI, optional: true) { builder.add(imsi: t.string(0x01)) }
                if !stopped, let t = tlvs(ask(.dmsGetMSISDN), .dmsGetMSISDN, optional: true) { builder.add(msisdn: t.string(0x01)) }
            }

            // The network.
            guard !stopped, client(.nas, s) else { return }
            if let t = tlvs(ask(.nasGetServingSystem), .nasGetServingSystem) {
                if let v = decode(.nasGetServingSystem, t, QMIServingSystem.parse) { builder.add(v) }
            }
            if !stopped, sim == .ready || sim == nil, let t = tlvs(ask(.nasGetHomeNetwork), .nasGetHomeNetwork, optional: true) {
                if let v = decode(.nasGetHomeNetwork, t, QMIHomeNetwork.parse) { builder.add(v) }
            }
            if !stopped, let t = tlvs(ask(.nasGetSystemInfo), .nasGetSystemInfo, optional: true) {
                if let info = decode(.nasGetSystemInfo, t, QMISystemInfo.parse) {
                    builder.add(info)
                    if let cause = builder.facts.registration?.rejectCause {
                        error(.network, "NAS Get System Info", "the network rejected the registration with cause \(cause.code)",
                              code: cause.code, causeKind: cause.kind)
                    }
                }
            }
            if !stopped {
                var info: QMISignalInfo?
                if let t = tlvs(ask(.nasGetSignalInfo), .nasGetSignalInfo, optional: true) {
                    info = decode(.nasGetSignalInfo, t, QMISignalInfo.parse)
                }
                if let info, !info.isEmpty {
                    builder.add(info)
                } else if !stopped, builder.facts.functionality != 4,
                          let t = tlvs(ask(.nasGetSignalStrength), .nasGetSignalStrength, optional: true) {
                    if let v = decode(.nasGetSignalStrength, t, QMISignalStrength.parse) { builder.add(v) }
                }
            }
        }

        // MARK: Exchanges

        /// A client id for `service`; false (error recorded) when none was given.
        mutating func client(_ service: QMIService, _ s: QMISession, ping: Bool = false) -> Bool {
            if s.cid(for: service) != nil { return true }
            let limit: Duration? = ping ? pingLimit : nil
            do {
                _ = try s.allocate(service, deadline: requestDeadline(limit))
                result.answered = true
                timeouts = 0
                return true
            } catch {
                failed(error, request: "CTL Allocate CID (\(service))")
                if ping, error.isTimeout {
                    result.note = result.note ?? "no answer to CTL Allocate CID: the port is silent or not QMI"
                    stopped = true
                }
                return false
            }
        }

        /// Sends `spec` on tmdiag's client id; nil (error recorded) when no reply came.
        mutating func ask(_ spec: QMIMessageSpec, tlvs: [(UInt8, [UInt8])] = []) -> QMIMessage? {
            guard !stopped, let s = session else { return nil }
            guard ContinuousClock.now < deadline - endReserve else {
                result.note = result.note ?? "the port's time budget (\(options.timeout)) ran out before \(spec)"
                stopped = true
                return nil
            }
            do {
                let reply = try s.request(spec, tlvs: tlvs, deadline: requestDeadline())
                result.answered = true
                timeouts = 0
                return reply
            } catch {
                failed(error, request: spec.description)
                return nil
            }
        }

        /// The reply's TLVs when its result is success; nil otherwise, the failure recorded
        /// unless the message is optional and the modem merely lacks it or the SIM is not ready.
        mutating func tlvs(_ reply: QMIMessage?, _ spec: QMIMessageSpec, optional: Bool = false) -> QMITLVs? {
            guard let reply else { return nil }
            let t: QMITLVs
            do { t = try reply.tlvs() } catch {
                self.error(.framing, spec.description, "cannot read the reply: \(error.what)")
                return nil
            }
            guard let r = t.result else {
                error(.framing, spec.description, "the reply has no result TLV")
                return nil
            }
            if r.ok { return t }
            let quiet: Set<UInt16> = [QMIErrorCode.invalidQMICommand, QMIErrorCode.notSupported, QMIErrorCode.uimUninitialized,
                                      QMIErrorCode.deviceNotReady, QMIErrorCode.informationUnavailable, 16, 80]
            if optional, quiet.contains(r.error) {
                result.details.append("\(spec): \(QMIErrorCode.name(r.error))")
            } else {
                error(.status, spec.description, QMIErrorCode.name(r.error), code: Int(r.error))
            }
            return nil
        }

        mutating func ok(_ reply: QMIMessage, _ spec: QMIMessageSpec) -> Bool { tlvs(reply, spec) != nil }

        /// A reply parsed by `parse`; nil (error recorded) when its TLVs do not read.
        mutating func decode<T>(_ spec: QMIMessageSpec, _ t: QMITLVs, _ parse: (QMITLVs) throws(QMIDecodeError) -> T) -> T? {
            do { return try parse(t) } catch {
                self.error(.framing, spec.description, "cannot read the reply: \(error.what)")
                return nil
            }
        }

        mutating func failed(_ e: QMISessionError, request: String) {
            switch e {
            case .port(.timeout(_, let partial)):
                timeouts += 1
                error(.timeout, request, partial == 0 ? "no reply within the deadline" : "the reply stopped after \(partial) bytes (truncated)")
                if timeouts >= 2 {
                    result.note = result.note ?? "the modem stopped answering"
                    stopped = true
                }
            case .port(let p):
                switch p {
                case .garbage, .badLength: error(.framing, request, p.description)
                default: error(.port, request, p.description)
                }
                result.note = result.note ?? (p.isGone ? "the port went away during \(request)" : "the port does not speak QMI")
                stopped = true
            case .malformed(let why), .flood(let why):
                error(.framing, request, why)
                result.note = result.note ?? "the port does not speak QMI"
                stopped = true
            case .noClient(let why):
                error(.status, request, why)
            case .forbidden(let why):
                error(.refused, request, why)
            }
        }
    }
}
