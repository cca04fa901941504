/// Whether a memo or a cache has been paying for itself lately. Each use while it is open is
/// counted as a hit or a miss; after `window` uses, a hit share below `numerator/denominator`
/// closes it for `pauseLength` uses (each counted down with `skip`), after which it gets
/// another window; each window that fails again doubles the pause (up to 64 times), so a log
/// that never repeats pays for few windows, and one that starts repeating gets the memo back.
/// Uses while closed are not counted, so a pause always ends.
struct PayoffGate: Sendable {
    private let window: Int
    private let numerator: Int
    private let denominator: Int
    private let pauseLength: Int
    private var uses = 0
    private var hits = 0
    private var paused = 0
    private var failures = 0

    init(hitsAtLeast numerator: Int, outOf denominator: Int, window: Int = 4_096, pauseLength: Int = 65_536) {
        self.numerator = numerator
        self.denominator = denominator
        self.window = window
        self.pauseLength = pauseLength
    }

    var isOpen: Bool { paused == 0 }

    /// Counts one use while open.
    mutating func count(hit: Bool) {
        guard paused == 0 else { return }
        uses += 1
        if hit { hits += 1 }
        guard uses >= window else { return }
        if hits * denominator < uses * numerator {
            paused = pauseLength << min(failures, 6)
            failures += 1
        } else {
            failures = 0
        }
        uses = 0
        hits = 0
    }

    /// Counts one use of the pause down.
    mutating func skip() {
        if paused > 0 && paused != .max { paused -= 1 }
    }

    /// Never opens again (the tests' memo-free reference).
    mutating func closeForGood() { paused = .max }
}
