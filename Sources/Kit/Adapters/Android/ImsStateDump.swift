import Foundation

/// IMS registration per phone from `dumpsys phone`: ImsPhone.dump (frameworks/opt/telephony
/// src/java/com/android/internal/telephony/imsphone/ImsPhone.java) prints
/// `  mImsRegistered = true|false` once per phone, and the phones are dumped in phone-id order
/// (PhoneFactory.dump walks sPhones). A build that prints no such line leaves IMS unknown:
/// tmdiag never guesses it.
public enum ImsStateDump {
    /// The registered flag of each phone, in phone-id order.
    public static func registered(_ text: String) -> [Bool] {
        var out: [Bool] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("mImsRegistered") else { continue }
            let value = line.dropFirst("mImsRegistered".count).drop { $0 == " " || $0 == "=" || $0 == ":" }
            if value.hasPrefix("true") { out.append(true) } else if value.hasPrefix("false") { out.append(false) }
        }
        return out
    }
}
