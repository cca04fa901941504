/// Durations as the ports and people need them.
extension Duration {
    /// Whole milliseconds, rounded up so that a poll never returns before a deadline.
    public var milliseconds: Int {
        let (s, atto) = components
        return Int(s) * 1000 + Int((atto + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// "10 s", "1.5 s", "250 ms": a budget as a person reads it, not `9.999995923 seconds`.
    public var words: String {
        let ms = milliseconds
        if ms < 1000 { return "\(ms) ms" }
        let tenths = (ms + 50) / 100
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }
}
