import Discovery
import Foundation
import Profiles
import TMDiagCore

/// `tmdiag lookup usb VID:PID`: what the shipped and user profiles and the usb.ids database
/// say about a vendor/product pair.
public enum USBLookup {
    public struct Result: Codable, Sendable {
        public var vendorId: String
        public var productId: String
        public var vendor: String?
        public var model: String?
        public var profiles: [DeviceProfile]

        public func text() -> String {
            var out = "\(vendorId):\(productId)"
            let names = [vendor, model].compactMap { $0 }.joined(separator: " ")
            out += names.isEmpty ? " (not in usb.ids)\n" : "  \(TerminalText.escape(names, limit: 120))\n"
            if profiles.isEmpty { out += "  No device profile.\n" }
            for p in profiles {
                out += "\n  Profile \(p.id): \(TerminalText.escape(p.name, limit: 120)) — \(p.kind.rawValue)\n"
                if let i = p.match.interface { out += "    only with interface \(i)\n" }
                if let ports = p.ports, !ports.isEmpty {
                    out += "    ports: " + ports.keys.sorted().map { "if\($0) \(ports[$0]!.rawValue)" }.joined(separator: ", ") + "\n"
                }
                if let at = p.atInterface { out += "    AT port: interface \(at)\n" }
                for k in p.knownIssues ?? [] { out += "    known issue: \(TerminalText.escape(k, limit: 400))\n" }
                if let s = p.source { out += "    source: \(TerminalText.escape(s, limit: 300))\n" }
            }
            return out
        }
    }

    public static func run(_ value: String, data: DataSources) throws(TMDiagError) -> Result {
        let parts = value.lowercased().split(separator: ":").map(String.init)
        func hex4(_ s: String) -> Bool { s.count == 4 && s.allSatisfy(\.isHexDigit) }
        guard parts.count == 2, hex4(parts[0]), hex4(parts[1]) else {
            throw TMDiagError("lookup usb: '\(TerminalText.escape(value, limit: 40))' is not VID:PID in hex (e.g. 2c7c:0125)", status: .usage)
        }
        var vendor: String?, model: String?
        for path in ["/usr/share/misc/usb.ids", "/usr/share/hwdata/usb.ids", "/var/lib/usbutils/usb.ids"] {
            if let f = USBIDsLookup.lookup(path: path, vendorId: parts[0], productId: parts[1]) {
                (vendor, model) = f
                break
            }
        }
        return Result(vendorId: parts[0], productId: parts[1], vendor: vendor, model: model,
                      profiles: data.profiles.profiles(vendorId: parts[0], productId: parts[1]))
    }
}
