import TMDiagCore

/// The steps of a `FactsDigest` already worked out: facts states, numbered, and for each
/// (state, event key) the state it leads to. A log that repeats a few exchanges visits a few
/// states; each step is then parsed once and replayed after that.
struct FactsMemo: Sendable {
    /// What decides what an exchange does to the facts. Errors are only ever added, so their
    /// number stands for the whole list.
    struct State: Hashable, Sendable {
        var facts: ModemFacts
        var errorCount: Int
    }

    private var ids: [State: Int32] = [:]
    private var states: [ModemFacts] = []
    private var index = MoveIndex()
    private var moveCount = 0
    /// Bumped when the memo is emptied; numbers from before then mean nothing.
    private(set) var generation = 0
    static let maxStates = 20_000
    static let maxMoves = 400_000

    func facts(of id: Int32) -> ModemFacts { states[Int(id)] }

    func next(from state: Int32, key: Int32) -> Int32? { index.find(Self.key(state, key)) }

    /// The number of `state`, given one if it is new. A memo that has grown too big starts over.
    mutating func number(_ state: State) -> Int32 {
        if let id = ids[state] { return id }
        if states.count >= Self.maxStates || moveCount >= Self.maxMoves {
            ids.removeAll(keepingCapacity: true)
            states.removeAll(keepingCapacity: true)
            index = MoveIndex()
            moveCount = 0
            generation += 1
        }
        let id = Int32(states.count)
        states.append(state.facts)
        ids[state] = id
        return id
    }

    mutating func record(from: Int32, key: Int32, to: Int32) {
        index.insert(Self.key(from, key), to)
        moveCount += 1
    }

    static func key(_ state: Int32, _ event: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: state)) << 32 | UInt64(UInt32(bitPattern: event))
    }
}

/// An open-addressing table from a (state, event) key to the next state. The keys are our own
/// small numbers, so a multiplicative hash spreads them well.
struct MoveIndex: Sendable {
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
