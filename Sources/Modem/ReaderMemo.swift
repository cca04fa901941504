/// The log decoder's own steps already worked out: its reading states (the exchange being
/// built, told apart by the numbers of the lines it was built from), numbered, and for each
/// (state, line number) the state it leads to and the events it handed on. A log that repeats
/// a few exchanges visits a few states, so after the first time a line costs a hash and two
/// lookups, and no String is built or compared.
struct ReaderMemo {
    /// The decoder's variables in one numbered state, to bring them back when a step has to be
    /// worked out after a run of replays.
    struct Snapshot {
        var current: ATExchange?
        var currentPrefix: String?
        var currentInferred: Bool
        var currentMaybeURC: Bool
        var currentCommandId: Int32
        var currentLineIds: [Int32]
    }

    /// A step, plain numbers only (a replay copies no reference): its events are
    /// `eventCount` entries of `events` from `firstEvent`.
    struct Move {
        var next: Int32
        var lines: Int32
        var exchanges: Int32
        var firstEvent: Int32
        var eventCount: Int32
    }

    private var ids: [[Int32]: Int32] = [:]
    private var snapshots: [Snapshot] = []
    private var moves: [Move] = []
    /// The events of all moves, one after another.
    private(set) var events: [DecodeEvent] = []
    private var index = MoveIndex()
    /// Bumped when the memo is emptied; numbers from before then mean nothing.
    private(set) var generation = 0
    static let maxStates = 20_000
    static let maxMoves = 200_000

    func snapshot(_ id: Int32) -> Snapshot { snapshots[Int(id)] }

    func move(from state: Int32, line: Int32) -> Move? {
        index.find(FactsMemo.key(state, line)).map { moves[Int($0)] }
    }

    /// The number of the state `key` names (see `LogDecoder.readingKey`), given one if new.
    mutating func number(_ key: [Int32], _ snapshot: @autoclosure () -> Snapshot) -> Int32 {
        if let id = ids[key] { return id }
        if snapshots.count >= Self.maxStates || moves.count >= Self.maxMoves {
            ids.removeAll(keepingCapacity: true)
            snapshots.removeAll(keepingCapacity: true)
            moves.removeAll(keepingCapacity: true)
            events.removeAll(keepingCapacity: true)
            index = MoveIndex()
            generation += 1
        }
        let id = Int32(snapshots.count)
        snapshots.append(snapshot())
        ids[key] = id
        return id
    }

    mutating func record(from: Int32, line: Int32, next: Int32, lines: Int32, exchanges: Int32, events new: [DecodeEvent]) {
        index.insert(FactsMemo.key(from, line), Int32(moves.count))
        moves.append(Move(next: next, lines: lines, exchanges: exchanges, firstEvent: Int32(events.count),
                          eventCount: Int32(new.count)))
        events.append(contentsOf: new)
    }
}
