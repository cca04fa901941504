extension Duration {
    /// One request's default limit within a port's budget: a third of it, so that one dead
    /// command leaves time to hear the others, and between 300 ms and 3 s. AT, MBIM and QMI
    /// share it, so that `--timeout` means the same whatever a port speaks.
    public static func requestLimit(within budget: Duration) -> Duration {
        min(.seconds(3), max(.milliseconds(300), budget / 3))
    }
}
