import Foundation
import Modem
import Profiles
import TMDiagCore

/// Facts about phones from the tools their owners already have: adb for Android, ideviceinfo
/// for iPhones. A phone that will not talk is never silently empty: the facts then say which
/// obstacle it was (`access`), in words (`note`), and what the customer does (`customerSteps`).
public enum HandsetEnrichment {
    public static func enrich(_ d: USBDevice, host: HostInfo, timeout: Duration, catalog: ErrorCatalog? = nil) async -> HandsetFacts? {
        guard d.kind == .handset else { return nil }
        if d.vendorId == "05ac" {
            guard let tool = host.tools["ideviceinfo"] else {
                return CustomerSteps.facts(source: "ideviceinfo", access: .toolMissing,
                                           note: "ideviceinfo is not installed (Debian: libimobiledevice-utils); iPhone details not read",
                                           steps: CustomerSteps.installIdeviceinfo)
            }
            return await IPhoneReader.read(udid: d.serial, tool: tool, timeout: timeout)
        }
        if !PhoneEvidence.hasDataFunction(d), PhoneEvidence.isTethering(d) {
            return CustomerSteps.facts(source: "adb", access: .usbTethering,
                                       note: "the phone's USB is set to USB tethering: it shows a network card, no file transfer or debugging function",
                                       steps: CustomerSteps.chooseFileTransfer)
        }
        if !PhoneEvidence.hasDataFunction(d) {
            return CustomerSteps.facts(source: "adb", access: .chargingOnly,
                                       note: "the phone's USB is set to charging only: it shows no file transfer or debugging function",
                                       steps: CustomerSteps.chooseFileTransfer)
        }
        guard d.interfaces.contains(where: { $0.triple == "ff/42/01" }) else {
            return CustomerSteps.facts(source: "adb", access: .debuggingOff,
                                       note: "USB debugging is off (no ADB interface); only the USB identity is known",
                                       steps: CustomerSteps.turnOnUSBDebugging)
        }
        guard let adb = host.tools["adb"] else {
            return CustomerSteps.facts(source: "adb", access: .toolMissing,
                                       note: "adb is not installed (Debian: adb); phone details not read",
                                       steps: CustomerSteps.installADB)
        }
        return await AndroidReader.read(serial: d.serial, adb: adb, timeout: timeout, catalog: catalog)
    }

    /// How much of a phone was read, for the report's verdict.
    public static func coverage(_ h: HandsetFacts?) -> ProbeCoverage {
        switch h?.access {
        case .read?: return .complete
        case .partial?: return .partial
        case .notTrusted?: return h?.model != nil ? .partial : .none
        case nil: return h.map { $0.note == nil ? .complete : .none } ?? .none
        default: return .none
        }
    }
}
