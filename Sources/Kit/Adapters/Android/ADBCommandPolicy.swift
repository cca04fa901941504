/// The only shell commands tmdiag ever asks a phone to run through adb: reads of system
/// properties and dumps of named telephony services. Nothing that changes a setting, starts
/// an activity, types, reboots, installs, or calls a service method (`service call`, `am`,
/// `pm`, `settings put`, `input`, `svc`, `cmd`, `setprop` are all absent on purpose).
///
/// `dumpsys` with a service name only prints that service's state; the services here are the
/// telephony ones whose dumps hold registration, signal and IMS state.
public enum ADBCommandPolicy {
    /// Every shell command tmdiag may send, whole: a command is allowed only when it equals one
    /// of these word for word (no extra arguments, no options).
    public static let allowed: [[String]] = [getprop, telephonyRegistry, phoneDump]

    /// System properties: identity, build, SIM states and operators per slot.
    public static let getprop = ["getprop"]
    /// TelephonyRegistry's last known service state and signal strength per phone.
    public static let telephonyRegistry = ["dumpsys", "telephony.registry"]
    /// The phone process's dump, for ImsPhone's IMS registration per phone.
    public static let phoneDump = ["dumpsys", "phone"]

    /// Whether `shell` (the words after `adb [-s SERIAL] shell`) is on the allowlist.
    public static func isAllowed(_ shell: [String]) -> Bool { allowed.contains(shell) }

    /// Whether a whole adb argument vector is one tmdiag may run: an optional `-s SERIAL`,
    /// then `shell` and an allowed command. Used by the tests on every logged invocation.
    public static func isAllowedInvocation(_ argv: [String]) -> Bool {
        var rest = argv[...]
        if rest.first == "-s" {
            guard rest.count >= 2 else { return false }
            rest = rest.dropFirst(2)
        }
        guard rest.first == "shell" else { return false }
        return isAllowed(Array(rest.dropFirst()))
    }
}
