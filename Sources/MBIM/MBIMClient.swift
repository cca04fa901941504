import TMDiagCore

/// Reads a modem over MBIM, read-only, synchronously, within a deadline.
///
/// What OPEN and CLOSE do to a live data session (MBIM 1.0, as the USB-IF compliance suite
/// states its assertions, ChromiumOS `mbim_compliance/mbim_errors.py`):
/// - §9.3.2 #3: "On MBIM_CLOSE_MSG, any active context between the function and the host shall
///   be terminated": a CLOSE disconnects every data session.
/// - §9.3.1 #1: an OPEN to a function that is already open means "the host and the function are
///   out of synchronization": the function first does what CLOSE does, then opens. So an OPEN
///   on a connected modem disconnects it too, and also drops the MBIMEx version ModemManager
///   negotiated (the function falls back to MBIM 1.0 layouts under ModemManager's feet).
/// - §9.3.2 #2: a closed function answers every message with MBIM_ERROR_NOT_OPENED.
///
/// So tmdiag never sends OPEN or CLOSE to a function someone else opened:
/// 1. Through `mbim-proxy` when it listens (ModemManager's way in): the proxy answers OPEN and
///    CLOSE itself (libmbim `mbim-proxy.c`, `process_internal_proxy_open/close`); only the
///    queries reach the device. A port the proxy holds is never opened directly.
/// 2. A port another program holds (`WWANOptions.heldBy`) is not opened at all: cdc-wdm and
///    wwan ports share one read queue between openers, so a second reader steals replies.
/// 3. Otherwise the first message is a QUERY DEVICE_CAPS, as `mbim-proxy` itself checks whether
///    a device is really open. A COMMAND_DONE means the function is open (a program that has
///    exited, e.g. `mbimcli --no-close` or a connect script, may have left a data session up):
///    tmdiag reads it as it is and sends neither OPEN nor CLOSE. NOT_OPENED means it is closed,
///    so no context can be active (§9.3.2 #3): tmdiag opens it, reads, and closes it again,
///    leaving it as found. A function that stays silent gets an OPEN only as a last try: a
///    function that answers nothing is not carrying anyone's session.
public enum MBIMClient {
    /// The queries, in order: identity first, then what depends on the SIM, then the network.
    /// DEVICE_SERVICES goes early: what it lists decides the follow-up queries (`followUps`),
    /// which then go out while the rest are still outstanding.
    public static let plan: [MBIMCommand] = [.deviceCaps, .deviceServices, .subscriberReadyStatus, .pin, .radioState, .homeProvider,
                                             .registerState, .packetService, .signalState]

    public static func read(path: String, options: WWANOptions = WWANOptions()) -> WWANProbeResult {
        Run.read(path: path, options: options)
    }

    /// One read's state; `go` is the whole conversation.
    struct Run: WWANConversation {
        let path: String
        let options: WWANOptions
        let deadline: ContinuousClock.Instant
        var result: WWANProbeResult
        var builder = MBIMFactsBuilder()
        var session: MBIMSession?
        var timeouts = 0
        /// What was learnt so far, to skip queries that cannot answer.
        var readyState: UInt32?
        var pinAnswered = false
        /// Queries DEVICE_SERVICES showed the function has, to ask once it is read.
        var followUps: [MBIMCommand] = []

        init(path: String, options: WWANOptions, deadline: ContinuousClock.Instant) {
            self.path = path
            self.options = options
            self.deadline = deadline
            result = WWANProbeResult(port: path, method: .mbim, route: "device")
        }

        /// Time kept back for the CLOSE at the end.
        var endReserve: Duration { min(.milliseconds(500), options.timeout / 10) }

        mutating func go() {
            defer {
                if let session {
                    recordAuditTrail(sent: session.sent, skipped: session.skipped)
                    session.port.close()
                }
                result.facts = builder.facts
            }
            let route: WWANPortRoute
            do { route = try WWANPortRoute.open(path, proxy: "mbim-proxy", options: options) } catch {
                result.errors.append(error.error)
                result.note = error.note
                return
            }
            let s = MBIMSession(port: route.port, viaProxy: route.viaProxy)
            s.trace = options.trace
            session = s
            result.route = route.name
            if route.viaProxy {
                readThroughProxy(s)
            } else {
                readDevice(s)
            }
        }

        // MARK: Routes

        mutating func readThroughProxy(_ s: MBIMSession) {
            // Proxy Control CONFIGURATION: DevicePath (string) and Timeout (u32 seconds).
            let seconds = UInt32(clamping: max(1, options.timeout.components.seconds))
            let config = MBIMMessage.command(transactionId: s.nextTransactionId(), service: .proxyControl, cid: 1, type: .set,
                                             buffer: Self.proxyConfiguration(path: path, timeoutSeconds: seconds))
            guard let reply = exchange(config, name: "SET PROXY_CONTROL CONFIGURATION") else {
                // mbim-proxy accepts, then drops, a caller it does not trust.
                if s.port.isGone { result.note = "mbim-proxy closed the connection: it serves root and its configured user only" }
                return
            }
            guard reply.type == .commandDone, reply.word40 == MBIMStatus.success else {
                error(.status, "SET PROXY_CONTROL CONFIGURATION", "mbim-proxy could not open the device: " + describe(reply),
                      code: Int(reply.word40))
                return
            }
            result.answered = true
            // Answered by the proxy; the device's session is not touched.
            guard open(s) else { return }
            queries(s, haveCaps: false)
            close(s)
        }

        mutating func readDevice(_ s: MBIMSession) {
            // Is the function open already? Ask before opening (see the type's comment).
            let probe = MBIMMessage.command(transactionId: s.nextTransactionId(), service: .basicConnect,
                                            cid: MBIMCommand.deviceCaps.cid, type: .query)
            let probeLimit = min(options.requestTimeout, .milliseconds(1500))
            var reply: MBIMMessage?
            do {
                reply = try s.request(probe, deadline: requestDeadline(probeLimit))
            } catch {
                guard error.isTimeout else {
                    failed(error, request: "QUERY BASIC_CONNECT DEVICE_CAPS")
                    return
                }
                result.details.append("no answer to the first QUERY DEVICE_CAPS; trying OPEN")
            }
            if let reply, reply.type == .commandDone {
                result.answered = true
                result.route = "device, session already open (no OPEN or CLOSE sent)"
                handle(.deviceCaps, reply)
                queries(s, haveCaps: true)
                return
            }
            if let reply, reply.type == .functionError, reply.word12 != MBIMStatus.notOpened {
                result.answered = true
                error(.status, "QUERY BASIC_CONNECT DEVICE_CAPS", "the function answered " + describe(reply))
                return
            }
            if reply != nil { result.answered = true }
            result.route = "device (opened and closed by tmdiag)"
            guard open(s) else {
                // An OPEN that was not answered may still have opened the function.
                if timeouts > 0 { close(s) }
                return
            }
            queries(s, haveCaps: false)
            close(s)
        }

        // MARK: Messages

        /// OPEN with the port's MaxControlTransfer (IOCTL_WDM_MAX_COMMAND, else 4096 as libmbim).
        mutating func open(_ s: MBIMSession) -> Bool {
            let max = UInt32(s.port.maxControlTransfer ?? 4096)
            guard let reply = exchange(.open(transactionId: s.nextTransactionId(), maxControlTransfer: max), name: "OPEN") else {
                result.note = result.note ?? "no answer to OPEN"
                return false
            }
            result.answered = true
            guard reply.type == .openDone, reply.word12 == MBIMStatus.success else {
                error(.status, "OPEN", "the function refused to open: " + describe(reply), code: Int(reply.word12))
                return false
            }
            return true
        }

        /// CLOSE, given its own short time even when the budget is spent: leaving a function open
        /// that tmdiag opened would leave the device other than it was found.
        mutating func close(_ s: MBIMSession) {
            // A vanished device took its function state with it.
            guard !s.port.isGone else { return }
            let limit = min(ContinuousClock.now.advanced(by: endReserve), Swift.max(deadline, .now + .milliseconds(200)))
            do {
                let reply = try s.request(.close(transactionId: s.nextTransactionId()), deadline: limit)
                if reply.type != .closeDone { error(.status, "CLOSE", "answered " + describe(reply)) }
            } catch {
                failed(error, request: "CLOSE")
            }
        }

        /// The queries of `plan` that can answer given what earlier ones said, up to
        /// `options.maxOutstanding` of them outstanding at once. Replies are handled in the
        /// order the queries were sent, so that each one sees what the earlier ones said; a
        /// query that depends on the SIM's state waits until SUBSCRIBER_READY_STATUS is read,
        /// while the others go ahead. With one outstanding this is plain send-and-wait.
        mutating func queries(_ s: MBIMSession, haveCaps: Bool) {
            var waiting = MBIMClient.plan.filter { !($0 == .deviceCaps && haveCaps) }
            var inFlight: [(command: MBIMCommand, transactionId: UInt32)] = []
            let window = max(1, options.maxOutstanding)
            // Through mbim-proxy other clients' traffic shares the function: one at a time there.
            let limit = s.viaProxy ? 1 : window
            while !waiting.isEmpty || !inFlight.isEmpty {
                var i = 0
                while inFlight.count < limit, i < waiting.count {
                    let command = waiting[i]
                    let simPending = waiting.contains(.subscriberReadyStatus) || inFlight.contains { $0.command == .subscriberReadyStatus }
                    if Self.dependsOnSIM.contains(command), readyState == nil, simPending {
                        i += 1
                        continue
                    }
                    waiting.remove(at: i)
                    guard wanted(command) else { continue }
                    guard ContinuousClock.now < deadline - endReserve else {
                        result.note = result.note ?? "the port's time budget (\(options.timeout)) ran out before \(command)"
                        waiting.removeAll()
                        break
                    }
                    let m = MBIMMessage.command(transactionId: s.nextTransactionId(), service: command.service, cid: command.cid,
                                                type: .query, buffer: Self.parameters(command))
                    do {
                        try s.send(m, deadline: requestDeadline())
                    } catch {
                        failed(error, request: "QUERY \(command)")
                        if result.note != nil { return }
                        continue
                    }
                    inFlight.append((command, m.transactionId))
                }
                guard !inFlight.isEmpty else { return }
                let (command, transactionId) = inFlight.removeFirst()
                let reply: MBIMMessage
                do {
                    reply = try s.awaitReply(transactionId: transactionId, type: .commandDone, deadline: requestDeadline())
                    timeouts = 0
                } catch {
                    failed(error, request: "QUERY \(command)")
                    if timeouts >= 2 || result.note != nil {
                        result.note = result.note ?? "the modem stopped answering"
                        return
                    }
                    continue
                }
                result.answered = true
                handle(command, reply)
                waiting += followUps
                followUps.removeAll()
            }
        }

        /// A query's information buffer: empty, or the fixed parameters the allowlist has for it.
        static func parameters(_ command: MBIMCommand) -> [UInt8] {
            if case .queryWithFixedParameters(let p) = command.access { return p }
            return []
        }

        /// Queries asked only when the SIM's state says they can answer (`wanted`).
        static let dependsOnSIM: Set<MBIMCommand> = [.pin, .homeProvider]

        func wanted(_ command: MBIMCommand) -> Bool {
            let ready = readyState.map { [MBIMSubscriberReadyStatus.initialized, MBIMSubscriberReadyStatus.notActivated].contains($0) } ?? true
            switch command {
            case .pin:
                // Which PIN is asked for, and attempts left: only with a SIM to ask.
                return readyState.map { [MBIMSubscriberReadyStatus.initialized, MBIMSubscriberReadyStatus.notActivated,
                                         MBIMSubscriberReadyStatus.deviceLocked].contains($0) } ?? true
            case .homeProvider: return ready
            default: return true
            }
        }

        /// Sends and waits; nil (with the error recorded) when no usable reply came.
        mutating func exchange(_ m: MBIMMessage, name: String) -> MBIMMessage? {
            guard let s = session else { return nil }
            do {
                let reply = try s.request(m, deadline: requestDeadline())
                timeouts = 0
                return reply
            } catch {
                failed(error, request: name)
                return nil
            }
        }

        mutating func failed(_ e: MBIMSessionError, request: String) {
            switch e {
            case .port(.timeout(_, let partial)):
                timeouts += 1
                error(.timeout, request, partial == 0 ? "no reply within the deadline"
                      : "the reply stopped after \(partial) bytes (truncated)")
            case .port(let p):
                switch p {
                case .garbage, .badLength: error(.framing, request, p.description)
                default: error(.port, request, p.description)
                }
                result.note = result.note ?? (p.isGone ? "the port went away during \(request)" : "the port does not speak MBIM")
            case .fragments(let why), .flood(let why):
                error(.framing, request, why)
                result.note = result.note ?? "the port sent fragments that make no message"
            case .forbidden(let why):
                error(.refused, request, why)
            }
        }

        /// A reply's failure in words.
        func describe(_ m: MBIMMessage) -> String {
            switch m.type {
            case .functionError: "FUNCTION_ERROR: \(MBIMStatus.protocolError(m.word12))"
            case .commandDone: MBIMStatus.name(m.word40)
            case .openDone, .closeDone: MBIMStatus.name(m.word12)
            default: m.name
            }
        }

        // MARK: Replies

        mutating func handle(_ command: MBIMCommand, _ reply: MBIMMessage) {
            let request = "QUERY \(command)"
            if reply.type == .functionError {
                error(.status, request, describe(reply), code: Int(reply.word12))
                return
            }
            let status = reply.word40
            // MBIM 1.0 §9.4.5: a failed command has an empty buffer, except REGISTER_STATE,
            // PACKET_SERVICE, CONNECT and SERVICE_ACTIVATION, whose buffer carries the NwError.
            let carriesBuffer = command == .registerState || command == .packetService
            if status != MBIMStatus.success {
                if status == MBIMStatus.noDeviceSupport {
                    result.details.append("\(command): not supported by the device")
                    return
                }
                // Cell detail is extra: a modem that cannot give it now (radio off, no cell)
                // has nothing wrong with it for that.
                if command == .baseStationsInfo {
                    result.details.append("\(command): \(MBIMStatus.name(status))")
                    return
                }
                if !expected(status, command) {
                    error(.status, request, MBIMStatus.name(status), code: Int(status))
                }
                if !carriesBuffer { return }
            }
            guard let buffer = reply.informationBuffer else {
                error(.framing, request, "the information buffer's length field lies")
                return
            }
            if buffer.isEmpty, status != MBIMStatus.success { return }
            do {
                switch command {
                case .deviceCaps: builder.add(try MBIMDeviceCaps.parse(buffer))
                case .subscriberReadyStatus:
                    let s = try MBIMSubscriberReadyStatus.parse(buffer)
                    readyState = s.readyState
                    builder.add(s)
                    if s.layout != 1 { result.details.append("layout: SUBSCRIBER_READY_STATUS MBIMEx v\(s.layout)") }
                case .pin:
                    builder.add(try MBIMPinInfo.parse(buffer))
                    pinAnswered = true
                case .radioState: builder.add(try MBIMRadioState.parse(buffer))
                case .homeProvider: builder.add(home: try MBIMProvider.parse(buffer))
                case .registerState:
                    let r = try MBIMRegisterState.parse(buffer)
                    builder.add(r)
                    if r.layout != 1 { result.details.append("layout: REGISTER_STATE MBIMEx v\(r.layout)") }
                    if r.nwError != 0, let cause = builder.facts.registration?.rejectCause {
                        error(.network, request, "the network rejected the registration with cause \(cause.code)",
                              code: cause.code, causeKind: cause.kind)
                    }
                case .packetService:
                    let p = try MBIMPacketService.parse(buffer)
                    builder.add(p)
                    if p.layout != 1 { result.details.append("layout: PACKET_SERVICE MBIMEx v\(p.layout)") }
                    if p.nwError != 0, builder.facts.registration?.rejectCause == nil {
                        let kind = MBIMFactsBuilder.causeKind(technology: builder.facts.registration?.technology)
                        error(.network, request, "the network refused packet service with cause \(p.nwError)",
                              code: Int(p.nwError), causeKind: kind)
                    }
                case .deviceServices:
                    let services = try MBIMDeviceServices.parse(buffer)
                    // Only what the function lists is asked: an unlisted CID may mean anything.
                    if services.supports(.baseStationsInfo) {
                        followUps.append(.baseStationsInfo)
                    } else {
                        result.details.append("no serving-cell detail: the function lists no \(MBIMCommand.baseStationsInfo)")
                    }
                case .baseStationsInfo:
                    let cells = try MBIMBaseStationsInfo.parse(buffer)
                    builder.add(cells)
                    if cells.layout != 1 { result.details.append("layout: BASE_STATIONS_INFO MBIMEx v\(cells.layout)") }
                case .signalState:
                    let s = try MBIMSignalState.parse(buffer)
                    builder.add(s)
                    if s.layout != 1 { result.details.append("layout: SIGNAL_STATE MBIMEx v\(s.layout)") }
                default: break
                }
            } catch {
                self.error(.framing, request, "cannot read the reply: \(error.what)")
            }
        }

        /// Failures the facts already explain: no SIM, a locked SIM, the radio off.
        func expected(_ status: UInt32, _ command: MBIMCommand) -> Bool {
            let sim = builder.facts.sim?.state
            switch status {
            case MBIMStatus.simNotInserted: return sim == .absent || sim == .failure
            case MBIMStatus.pinRequired: return sim == .pinRequired || sim == .pukRequired
            case MBIMStatus.radioPowerOff: return builder.facts.functionality == 4
            case MBIMStatus.notRegistered: return command == .packetService
            case MBIMStatus.notInitialized: return sim != .ready
            default: return false
            }
        }

        /// Proxy Control CONFIGURATION's buffer: DevicePath as an MBIM string, then Timeout.
        static func proxyConfiguration(path: String, timeoutSeconds: UInt32) -> [UInt8] {
            let utf16 = Array(path.utf16)
            var b: [UInt8] = []
            b.putU32(12)
            b.putU32(UInt32(utf16.count * 2))
            b.putU32(timeoutSeconds)
            for u in utf16 { b.append(UInt8(u & 0xFF)); b.append(UInt8(u >> 8)) }
            while b.count % 4 != 0 { b.append(0) }
            return b
        }
    }
}
