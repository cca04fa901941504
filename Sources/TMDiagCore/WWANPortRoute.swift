/// The port one MBIM or QMI read talks through, opened by the one route that is safe: the
/// protocol's proxy (`mbim-proxy`, `qmi-proxy`) when it listens, else the cdc-wdm or wwan
/// device node. Both protocols face the same rule, so it is decided here once and the two
/// clients cannot drift apart on it: cdc-wdm and wwan ports share one read queue between
/// openers, so a port another program holds is never opened, and is read through the proxy
/// only when the proxy is its one holder.
public struct WWANPortRoute {
    public let port: MessagePort
    /// The proxy program the port goes through; nil: the device node itself.
    public let proxy: String?

    /// Through the proxy's socket rather than the device node.
    public var viaProxy: Bool { proxy != nil }
    /// How the port was reached, for `WWANProbeResult.route`: the proxy's name, or `device`.
    public var name: String { proxy ?? "device" }

    /// Why no port was opened: the error for the report, and the note that ends the read.
    public struct Refusal: Error {
        public var error: WWANError
        public var note: String?
    }

    /// Opens `path`'s port for one read, or says why not. `proxy` is the protocol's proxy
    /// program: its socket name unless `options.proxySocket` names another, and the name it
    /// holds the port under in `options.heldBy`.
    public static func open(_ path: String, proxy: String, options: WWANOptions) throws(Refusal) -> WWANPortRoute {
        let socketName = options.proxySocket ?? proxy
        let proxyListening = options.proxy != .never && MessagePort.abstractSocketListening(socketName)
        if options.proxy == .only, !proxyListening {
            throw Refusal(error: WWANError(.refused, port: path, what: "no \(proxy) listens (@\(socketName)); the device node was not opened as asked"))
        }
        // Through the proxy, the proxy itself may hold the port; anyone else holding it
        // directly would share its read queue with the proxy, so neither route is safe.
        let others = proxyListening ? options.heldBy.filter { !$0.hasPrefix(proxy) } : options.heldBy
        guard others.isEmpty else {
            let who = others.joined(separator: ", ")
            throw Refusal(error: WWANError(.refused, port: path, what: "in use by \(who); cdc-wdm and wwan ports share one read queue, so tmdiag does not open a port another program reads"),
                          note: "held by \(who)")
        }
        guard proxyListening else {
            do { return WWANPortRoute(port: try MessagePort(device: path), proxy: nil) } catch {
                throw Refusal(error: WWANError(.port, port: path, what: error.description), note: "cannot open")
            }
        }
        do { return WWANPortRoute(port: try MessagePort(abstractSocket: socketName, label: "@\(socketName)"), proxy: proxy) } catch {
            // Both proxies check the caller's credentials (libmbim, libqmi `*-proxy.c`).
            throw Refusal(error: WWANError(.port, port: path, what: "\(proxy) listens but refused the connection: \(error) (it accepts root and its configured user only)"),
                          note: "\(proxy) unreachable")
        }
    }
}
