import TMDiagCore

/// The log decoder's steps already worked out: its states, numbered, and for each (state,
/// line number) the state it leads to and what it counted on the way. A log that repeats a few
/// exchanges visits a few states; each step is then read once and replayed after that.
struct DecoderMemo {
    /// Everything that decides what the decoder does with the next line.
    struct State: Hashable {
        var facts: ModemFacts
        /// Errors are only ever added, so their number stands for the whole list.
        var errorCount: Int
        var current: ATExchange?
        var currentPrefix: String?
        var currentInferred: Bool
        var currentMaybeURC: Bool
    }

    struct Move {
        var next: Int32
        var lines: Int32
        var exchanges: Int32
        var urcs: Int32
    }

    private var ids: [State: Int32] = [:]
    private var states: [State] = []
    private var moves: [Move] = []
    private var index = MoveIndex()
    /// Bumped when the memo is emptied; numbers from before then mean nothing.
    private(set) var generation = 0
    static let maxStates = 20_000
    static let maxMoves = 400_000

    func snapshot(_ id: Int32) -> State { states[Int(id)] }

    func move(from state: Int32, line: Int) -> Move? {
        index.find(Self.key(state, line)).map { moves[Int($0)] }
    }

    /// The number of `state`, given one if it is new. A memo that has grown too big starts over.
    mutating func number(_ state: State) -> Int32 {
        if let id = ids[state] { return id }
        if states.count >= Self.maxStates || moves.count >= Self.maxMoves {
            ids.removeAll(keepingCapacity: true)
            states.removeAll(keepingCapacity: true)
            moves.removeAll(keepingCapacity: true)
            index = MoveIndex()
            generation += 1
        }
        let id = Int32(states.count)
        states.append(state)
        ids[state] = id
        return id
    }

    mutating func record(from: Int32, line: Int, to: Int32, lines: Int, exchanges: Int, urcs: Int) {
        guard lines <= Int(Int32.max), exchanges <= Int(Int32.max), urcs <= Int(Int32.max) else { return }
        let m = Int32(moves.count)
        moves.append(Move(next: to, lines: Int32(lines), exchanges: Int32(exchanges), urcs: Int32(urcs)))
        index.insert(Self.key(from, line), m)
    }

    static func key(_ state: Int32, _ line: Int) -> UInt64 { UInt64(UInt32(bitPattern: state)) << 32 | UInt64(line) }
}

/// An open-addressing table from a (state, line) key to a move's index. The keys are our own
/// small numbers, so a multiplicative hash spreads them well.
struct MoveIndex {
    private var keys: [UInt64]
    private var values: [Int32]
    private var used = 0
    private var mask: Int
    private static let empty = UInt64.max

    init() {
        keys = [UInt64](repeating: Self.empty, count: 1024)
        values = [Int32](repeating: 0, count: 1024)
        mask = 1023
    }

    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    func find(_ key: UInt64) -> Int32? {
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return values[i] }
            if k == Self.empty { return nil }
            i = (i + 1) & mask
        }
    }

    mutating func insert(_ key: UInt64, _ value: Int32) {
        if (used + 1) * 2 > keys.count { grow() }
        var i = slot(key)
        while keys[i] != Self.empty && keys[i] != key { i = (i + 1) & mask }
        if keys[i] == Self.empty { used += 1 }
        keys[i] = key
        values[i] = value
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: Self.empty, count: oldKeys.count * 2)
        values = [Int32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        used = 0
        for (k, v) in zip(oldKeys, oldValues) where k != Self.empty { insert(k, v) }
    }
}
