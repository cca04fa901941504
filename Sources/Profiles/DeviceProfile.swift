import TMDiagCore

/// One device profile (`Profiles/devices/*.yaml`): what a vendor/product is, and which port is which.
public struct DeviceProfile: Codable, Sendable, Hashable {
    public struct Match: Codable, Sendable, Hashable {
        /// `usb` when absent: PCI and USB vendor ids are separate numbering spaces.
        public var bus: Bus?
        /// A USB vendor id, or a PCI vendor id with `bus: pci`.
        public var vendorId: String
        /// Lower-case hex; `*` matches any product of the vendor (a low-priority fallback).
        /// On PCI these are device ids.
        public var productIds: [String]
        /// Only match when the device has an interface with this `cc/ss/pp` triple (USB).
        public var interface: String?
        /// Only match this card maker's variant of a PCI chip (Dell, HP, Lenovo cards share
        /// the module maker's vendor and device ids and differ in the subsystem ids).
        public var subsystemVendorId: String?
        public var subsystemProductIds: [String]?

        public var onBus: Bus { bus ?? .usb }
    }

    public var id: String
    public var name: String
    public var kind: DeviceKind
    public var match: Match
    /// Interface number to port kind.
    public var ports: [Int: PortKind]?
    public var atInterface: Int?
    /// Vendor read-only queries to run after the standard probe set.
    public var commands: [String]?
    /// Ids of the diagnosis queries this device answers (declared under `queries:` in its
    /// family's file or in `devices/3gpp.yaml`), run after `commands`.
    public var queries: [String]?
    /// The queries' commands, in order; set by the loader from `queries`.
    public var queryCommands: [String]?
    /// The family's modems take several reads on one line; set by the loader from the file's
    /// `batchReads`.
    public var batchQueries: Bool?
    public var currentFirmware: String?
    public var tacs: [String]?
    public var knownIssues: [String]?
    public var source: String?
    /// True: the kind holds whatever the interfaces suggest. Without it, a profile of kind
    /// `other` (a modem in storage or download mode) gives way to modem or tethering
    /// interfaces the device shows; a GNSS receiver's CDC ACM port must not make it a modem.
    public var kindIsFinal: Bool?

    /// Where it was loaded from, `devices/quectel.yaml#quectel-ec25`; set by the loader.
    public var origin: String?

    /// Higher wins: an exact product with an interface condition beats an exact product,
    /// which beats a vendor-wide fallback.
    /// A PCI subsystem condition counts like an interface condition.
    public var specificity: Int {
        (match.productIds.contains("*") ? 0 : 2) + (match.interface == nil ? 0 : 1)
            + (match.subsystemVendorId == nil ? 0 : 1)
    }

    public func matches(_ d: USBDevice) -> Bool {
        guard d.bus == match.onBus, d.vendorId == match.vendorId else { return false }
        guard match.productIds.contains("*") || match.productIds.contains(d.productId) else { return false }
        if let sv = match.subsystemVendorId {
            guard d.subsystemVendorId == sv else { return false }
            if let sp = match.subsystemProductIds, !sp.contains(d.subsystemProductId ?? "") { return false }
        }
        if let triple = match.interface {
            return d.interfaces.contains { $0.triple == triple }
        }
        return true
    }
}

/// The shape of one profile file. A file may declare only queries (`devices/3gpp.yaml`).
struct DeviceProfileFile: Codable {
    var family: String?
    var source: String?
    var queries: [DiagnosisQuery]?
    var batchReads: BatchReads?
    var devices: [DeviceProfile]?
}

/// One read-only diagnosis query, declared once per family and named by the devices that
/// answer it.
public struct DiagnosisQuery: Codable, Sendable, Hashable {
    public var id: String
    /// The whole command (`AT+QMBNCFG="List"`); it must pass the read-only allowlist.
    public var command: String
    /// What it reads, in a few words.
    public var reads: String?
    /// Where the command and its reply form are documented. Required.
    public var source: String
}

/// A family's note that its modems accept several commands on one line (V.250 §5.2.1), with
/// where that is documented or seen.
struct BatchReads: Codable, Sendable, Hashable {
    var source: String
}
