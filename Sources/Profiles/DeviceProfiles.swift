import Foundation
import Modem
import TMDiagCore

/// All device profiles, shipped and the user's, ready for matching.
public struct DeviceProfiles: Sendable, Codable {
    public private(set) var profiles: [DeviceProfile]
    /// Problems with individual files: reported, never fatal (one bad user file must not stop a report).
    public private(set) var problems: [String]

    public init(profiles: [DeviceProfile], problems: [String] = []) {
        self.profiles = profiles
        self.problems = problems
    }

    /// Loads `devices/*.yaml`. A user's profile with the same id as a shipped one replaces it.
    /// With `vendors`, only files that mention one of those vendor ids are parsed: a scan needs
    /// the profiles of what is plugged in, and YAML parsing is the slow part of a small run.
    public static func load(_ locations: ProfileLocations, vendors: Set<String>? = nil,
                            cache: ParsedCache<DeviceProfiles>? = .standard("device-profiles")) -> DeviceProfiles {
        let files = locations.files("devices")
        guard let cache else { return parse(files, vendors: vendors) }
        return cache.value(for: files.map(\.path)) { parse(files, vendors: nil) }
    }

    static func parse(_ files: [(path: String, display: String, user: Bool)], vendors: Set<String>?) -> DeviceProfiles {
        var byId: [String: DeviceProfile] = [:]
        var order: [String] = []
        var problems: [String] = []
        var queries: [String: DiagnosisQuery] = [:]
        for file in files {
            if let vendors, !Self.mentionsVendor(path: file.path, vendors) { continue }
            do {
                let f = try YAMLLoading.decode(DeviceProfileFile.self, path: file.path, displayPath: file.display)
                for (i, q) in (f.queries ?? []).enumerated() {
                    if let issue = validate(q) {
                        problems.append("\(file.display): queries[\(i)] (\(TerminalText.escape(q.id, limit: 40))): \(issue)")
                    } else if queries[q.id] != nil, !file.user {
                        problems.append("\(file.display): queries[\(i)]: duplicate id '\(q.id)'")
                    } else {
                        queries[q.id] = q
                    }
                }
                for (i, var p) in (f.devices ?? []).enumerated() {
                    p.batchQueries = f.batchReads == nil ? nil : true
                    if let issue = validate(p) {
                        problems.append("\(file.display): devices[\(i)] (\(p.id)): \(issue)")
                        continue
                    }
                    p.match.vendorId = p.match.vendorId.lowercased()
                    p.match.productIds = p.match.productIds.map { $0.lowercased() }
                    p.match.interface = p.match.interface?.lowercased()
                    p.match.subsystemVendorId = p.match.subsystemVendorId?.lowercased()
                    p.match.subsystemProductIds = p.match.subsystemProductIds?.map { $0.lowercased() }
                    p.origin = file.display + "#" + p.id
                    // A command that is not a read-only query is dropped, not the whole profile.
                    for c in p.commands ?? [] where !ATCommandPolicy.isAllowed(c) {
                        problems.append("\(file.display): devices[\(i)] (\(p.id)): command '\(TerminalText.escape(c, limit: 60))' is not a read-only query; it will not be sent")
                    }
                    p.commands = p.commands?.filter(ATCommandPolicy.isAllowed)
                    if byId[p.id] != nil, !file.user {
                        problems.append("\(file.display): devices[\(i)]: duplicate id '\(p.id)'")
                        continue
                    }
                    if byId[p.id] == nil { order.append(p.id) }
                    byId[p.id] = p
                }
            } catch {
                problems.append(error.message)
            }
        }
        // Queries are named across files (a Quectel modem asks the 3GPP ones too): resolved
        // once every file is read. An unknown id is reported and skipped, not fatal.
        for id in order {
            guard var p = byId[id], let ids = p.queries else { continue }
            var commands: [String] = []
            for q in ids {
                if let c = queries[q]?.command { commands.append(c) } else {
                    problems.append("\(p.origin ?? p.id): query '\(TerminalText.escape(q, limit: 40))' is not declared under any file's queries")
                }
            }
            p.queryCommands = commands
            byId[id] = p
        }
        return DeviceProfiles(profiles: order.compactMap { byId[$0] }, problems: problems)
    }

    static func validate(_ q: DiagnosisQuery) -> String? {
        if q.id.isEmpty { return "empty id" }
        if q.source.trimmingSpaces.isEmpty { return "every query needs a source" }
        if !ATCommandPolicy.isAllowed(q.command) {
            return "command '\(TerminalText.escape(q.command, limit: 60))' is not a read-only query; it will not be sent"
        }
        return nil
    }

    /// A byte scan for `vendorId: <hex4>` values: far cheaper than parsing YAML, and a file
    /// that names none of the present vendors cannot match anything.
    static func mentionsVendor(path: String, _ vendors: Set<String>) -> Bool {
        guard let data = ProfileLocations.contents(path) else { return true }
        let bytes = [UInt8](data)
        let key = Array("vendorid".utf8)
        var named = false   // a file naming no vendor at all holds shared data (queries): kept
        var i = 0
        while i + key.count < bytes.count {
            var match = true
            for k in 0..<key.count where bytes[i + k] | 0x20 != key[k] { match = false; break }
            if match {
                named = true
                var j = i + key.count
                var hex: [UInt8] = []
                while j < bytes.count, bytes[j] != 0x0A, hex.count < 4 {
                    let c = bytes[j] | 0x20
                    if (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) { hex.append(c) } else if !hex.isEmpty { break }
                    j += 1
                }
                if hex.count == 4, vendors.contains(String(decoding: hex, as: UTF8.self)) { return true }
                i = j
            } else {
                i += 1
            }
        }
        return !named
    }

    static func validate(_ p: DeviceProfile) -> String? {
        func isHex4(_ s: String) -> Bool { s.count == 4 && s.allSatisfy(\.isHexDigit) }
        if p.id.isEmpty { return "empty id" }
        if !isHex4(p.match.vendorId) { return "match.vendorId '\(p.match.vendorId)' is not 4 hex digits" }
        for pid in p.match.productIds where pid != "*" && !isHex4(pid) {
            return "match.productIds: '\(pid)' is not 4 hex digits"
        }
        if p.match.productIds.isEmpty { return "match.productIds is empty" }
        if let sv = p.match.subsystemVendorId, !isHex4(sv) { return "match.subsystemVendorId '\(sv)' is not 4 hex digits" }
        for sp in p.match.subsystemProductIds ?? [] where !isHex4(sp) {
            return "match.subsystemProductIds: '\(sp)' is not 4 hex digits"
        }
        if p.match.subsystemProductIds != nil, p.match.subsystemVendorId == nil {
            return "match.subsystemProductIds needs match.subsystemVendorId"
        }
        if p.match.onBus == .pci, p.match.interface != nil { return "match.interface is a USB condition; this profile is for bus pci" }
        if p.match.onBus == .usb, p.match.subsystemVendorId != nil { return "match.subsystemVendorId is a PCI condition; add bus: pci" }
        if let t = p.match.interface {
            let parts = t.split(separator: "/")
            if parts.count != 3 || !parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) {
                return "match.interface '\(t)' is not cc/ss/pp hex"
            }
        }
        return nil
    }

    /// The most specific profile matching the device.
    public func match(_ d: USBDevice) -> DeviceProfile? {
        var best: DeviceProfile?
        for p in profiles where p.matches(d) {
            if best == nil || p.specificity > best!.specificity { best = p }
        }
        return best
    }

    /// Profiles for a vendor/product pair (for `lookup usb`).
    public func profiles(vendorId: String, productId: String, bus: Bus = .usb) -> [DeviceProfile] {
        profiles.filter { $0.match.onBus == bus && $0.match.vendorId == vendorId.lowercased()
            && ($0.match.productIds.contains(productId.lowercased()) || $0.match.productIds.contains("*")) }
            .sorted { $0.specificity > $1.specificity }
    }

    /// The profile naming a TAC (first 8 digits of an IMEI), if any.
    public func profile(tac: String) -> DeviceProfile? {
        profiles.first { $0.tacs?.contains(tac) ?? false }
    }
}
