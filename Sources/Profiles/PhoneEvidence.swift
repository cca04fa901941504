import TMDiagCore

/// What in a USB device says "this is a phone", whoever made it: the interfaces a phone
/// shows for its USB functions, then (weakest) a vendor id that only phone makers use.
///
/// A phone's file transfer is MTP: a still-image interface (class 06/01/01) that names itself
/// "MTP", or a vendor-specific interface (class ff) that names itself "MTP" or that udev tags
/// as an MTP device (libmtp's hardware database and `mtp-probe`). Cameras use the same class
/// 06/01/01 for PTP, and media players and GPS watches speak MTP too, so MTP from a maker of
/// those alone is not a phone. Android's debug bridge is ff/42/01 and Apple's usbmux ff/fe/02,
/// which only phones and tablets show.
public enum PhoneEvidence {
    /// Vendors whose USB ids (usb.ids) are phones: phones are all, or nearly all, they plug in.
    /// Google, Samsung, Lenovo, ASUS and Sony make other USB things too and are absent here;
    /// their phones are known by their interfaces.
    static let phoneOnlyVendors: Set<String> = [
        "22b8",  // Motorola PCS
        "2a70",  // OnePlus Technology (Shenzhen) Co., Ltd.
        "0bb4",  // HTC (High Tech Computer Corp.)
        "1004",  // LG Electronics, Inc. (LG's monitors and peripherals use 043e)
        "0fce",  // Sony Ericsson Mobile Communications AB (Sony Mobile; Sony's cameras are 054c)
        "2717",  // Xiaomi Inc.
        "2ae5",  // Fairphone B.V.
        "22d9",  // OPPO Electronics Corp.
        "2d95",  // vivo Mobile Communication Co., Ltd.
        "1bbb",  // T & A Mobile Phones (TCL, Alcatel)
        "2e04",  // HMD Global (Nokia phones since 2017)
        "0421",  // Nokia Mobile Phones
        "2a45",  // Meizu Corp.
        "2b4c",  // ZUK (Lenovo's phone brand)
    ]

    /// Makers of cameras, media players, e-readers and GPS devices, whose PTP or MTP interface
    /// is no sign of a phone (usb.ids names). Sony's cameras and Walkmans are 054c, its phones 0fce.
    static let cameraAndPlayerVendors: Set<String> = [
        "04a9",  // Canon, Inc.
        "04b0",  // Nikon Corp.
        "04cb",  // Fuji Photo Film Co., Ltd
        "07b4",  // Olympus Optical Co., Ltd
        "04da",  // Panasonic (Matsushita)
        "054c",  // Sony Corp.
        "2672",  // GoPro
        "041e",  // Creative Technology, Ltd
        "0781",  // SanDisk Corp.
        "091e",  // Garmin International
        "0e79",  // Archos, Inc.
        "4102",  // iRiver, Ltd.
        "0e21",  // Cowon Systems, Inc.
        "1949",  // Lab126, Inc. (Amazon Kindle)
    ]

    /// Interface classes no phone function uses: audio, HID, printer, storage, hub, smart card,
    /// video, wireless controller (Bluetooth), diagnostic. A phone maker's id on a device made
    /// only of these (a Samsung SSD, a Google security key) is not a phone.
    static let nonPhoneClasses: Set<String> = ["01", "03", "07", "08", "09", "0b", "0e", "e0", "dc"]

    /// The strongest sign of a phone this device shows, in words, or nil.
    public static func reason(_ d: USBDevice) -> String? {
        let triples = Set(d.interfaces.map(\.triple))
        if triples.contains("ff/fe/02") { return "Apple usbmux interface" }
        if triples.contains("ff/42/01") { return "ADB interface" }
        let playerMaker = cameraAndPlayerVendors.contains(d.vendorId)
        if !playerMaker, let mtp = mtpInterface(d) { return mtp }
        let phoneMaker = Classifier.phoneVendors.contains(d.vendorId) || phoneOnlyVendors.contains(d.vendorId)
        if phoneMaker, triples.contains("06/01/01") { return "MTP/PTP interface from a phone maker" }
        return nil
    }

    /// A phone maker's id and nothing that says the device is something else: most often a
    /// phone in "charging only" mode, which shows no data interface at all.
    public static func phoneMakerOnly(_ d: USBDevice) -> Bool {
        guard phoneOnlyVendors.contains(d.vendorId) else { return false }
        return !d.interfaces.contains { nonPhoneClasses.contains($0.class) }
    }

    /// Whether the device shows a data function a phone offers for file transfer or debugging
    /// (MTP, PTP, ADB, usbmux); a phone without one is in "charging only" mode.
    public static func hasDataFunction(_ d: USBDevice) -> Bool {
        d.interfaces.contains { ["06/01/01", "ff/42/01", "ff/fe/02"].contains($0.triple) } || mtpInterface(d) != nil
    }

    /// Whether the device shows USB tethering (RNDIS e0/01/03 or ef/04/01, CDC ECM 02/06/00, CDC NCM 02/0d/00).
    public static func isTethering(_ d: USBDevice) -> Bool {
        d.interfaces.contains { ["e0/01/03", "ef/04/01", "02/06/00", "02/0d/00"].contains($0.triple) }
    }

    static func mtpInterface(_ d: USBDevice) -> String? {
        for i in d.interfaces {
            let named = i.name?.trimmingSpaces.uppercased() == "MTP"
            if i.triple == "06/01/01", named { return "MTP interface" }
            if i.class == "ff", named { return "MTP interface (vendor class)" }
        }
        if d.mtpTagged == true, d.interfaces.contains(where: { $0.class == "ff" }) {
            return "vendor-class interface udev tags as MTP (libmtp)"
        }
        return nil
    }
}
