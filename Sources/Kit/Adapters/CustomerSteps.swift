import TMDiagCore

/// What a customer does so that a phone tells tmdiag more, in the words the phone's screens use.
enum CustomerSteps {
    static let chooseFileTransfer = [
        "Unlock the phone and pull down the notification shade.",
        "Tap the \"Charging this device via USB\" notification (\"USB preferences\").",
        "Choose \"File transfer\".",
        "Run tmdiag report again.",
    ]
    static let turnOnUSBDebugging = [
        "Open Settings > About phone and tap \"Build number\" seven times to unlock Developer options.",
        "Open Settings > System > Developer options and turn on \"USB debugging\".",
        "Unplug and replug the cable; when the phone asks \"Allow USB debugging?\", tap Allow.",
        "Run tmdiag report again. (Turn USB debugging off afterwards if you like; tmdiag only reads.)",
    ]
    static let acceptDebuggingPrompt = [
        "Unlock the phone.",
        "Tap Allow on the \"Allow USB debugging?\" prompt (tick \"Always allow from this computer\" to skip it next time).",
        "No prompt? Unplug and replug the cable; if it still does not show, use \"Revoke USB debugging authorizations\" in Developer options and replug.",
        "Run tmdiag report again.",
    ]
    static let installADB = [
        "Install adb on this computer (Debian/Ubuntu: sudo apt install adb).",
        "Run tmdiag report again.",
    ]
    static let adbPermissions = [
        "Let this computer's user open the phone: install the udev rules (Debian/Ubuntu: sudo apt install android-sdk-platform-tools-common) and add the user to the plugdev group.",
        "Unplug and replug the phone, then run tmdiag report again.",
    ]
    static let tapTrust = [
        "Unlock the iPhone.",
        "Tap Trust on the \"Trust This Computer?\" prompt and enter the passcode.",
        "Run tmdiag report again.",
    ]
    static let installIdeviceinfo = [
        "Install libimobiledevice's tools (Debian/Ubuntu: sudo apt install libimobiledevice-utils usbmuxd).",
        "Unlock the iPhone, tap Trust when it asks, and run tmdiag report again.",
    ]
    static let startUsbmuxd = [
        "Make sure usbmuxd runs (Debian/Ubuntu: sudo apt install usbmuxd; it starts when an iPhone is plugged in).",
        "Unplug and replug the iPhone, unlock it, and run tmdiag report again.",
    ]

    /// Facts that say only why nothing more was read and what to do.
    static func facts(source: String, access: HandsetAccess, note: String, steps: [String]) -> HandsetFacts {
        var h = HandsetFacts(source: source)
        h.access = access
        h.note = note
        h.customerSteps = steps
        return h
    }
}
