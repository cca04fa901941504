import Foundation

/// ModemManager's FCC unlock helpers on this machine. Laptop makers lock some modems' radio
/// until the host proves it is the laptop the modem was certified in ("FCC lock"); ModemManager
/// ships unlock scripts named `vid:pid` (or `vid`) in `fcc-unlock.available.d`, disabled, and
/// runs only those enabled by a link in `/etc/ModemManager/fcc-unlock.d` (the user's) or
/// `/usr/lib/ModemManager/fcc-unlock.d` (a package's). Source: ModemManager
/// data/dispatcher-fcc-unlock/meson.build.
public struct FCCUnlockHelpers: Sendable, Hashable {
    public var enabled: Set<String>
    public var available: Set<String>

    public init(enabled: Set<String> = [], available: Set<String> = []) {
        self.enabled = enabled
        self.available = available
    }

    public static let availableDirs = ["/usr/share/ModemManager/fcc-unlock.available.d"]
    public static let enabledDirs = ["/etc/ModemManager/fcc-unlock.d", "/usr/lib/ModemManager/fcc-unlock.d",
                                     "/usr/lib64/ModemManager/fcc-unlock.d"]

    /// The helper names in the directories (missing directories are empty).
    public static func scan(enabledDirs: [String] = enabledDirs, availableDirs: [String] = availableDirs) -> FCCUnlockHelpers {
        func names(_ dirs: [String]) -> Set<String> {
            Set(dirs.flatMap { (try? FileManager.default.contentsOfDirectory(atPath: $0)) ?? [] }.map { $0.lowercased() })
        }
        return FCCUnlockHelpers(enabled: names(enabledDirs), available: names(availableDirs))
    }

    /// `enabled`, `available` or `none` for a device: a helper is named by the whole id or
    /// by the vendor id alone.
    public func state(vendorId: String, productId: String) -> String {
        let keys = ["\(vendorId):\(productId)".lowercased(), vendorId.lowercased()]
        if keys.contains(where: enabled.contains) { return "enabled" }
        if keys.contains(where: available.contains) { return "available" }
        return "none"
    }
}
