import Glibc

/// Distinct lines of a log, each numbered once: the decoder looks a line up by its bytes,
/// without building a String, and works with the number from then on.
///
/// Open addressing over one byte arena. The hash is cheap rather than keyed; a log built to
/// collide cannot make a lookup slow, because probing stops after `maxProbe` slots and a line
/// that finds no place is simply not numbered (the decoder then reads it the slow way).
struct LineTable {
    private var slots: [Int32]              // entry index + 1; 0 is empty
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var arena: [UInt8] = []
    private var mask: Int
    static let maxProbe = 32
    /// Bounds on what is kept: lines beyond these are not numbered.
    static let maxLines = 200_000
    static let maxArena = 32 << 20

    init() {
        slots = [Int32](repeating: 0, count: 1024)
        mask = 1023
    }

    var count: Int { starts.count }
    var isFull: Bool { starts.count >= Self.maxLines || arena.count >= Self.maxArena }

    /// The number of `bytes`, if it has one.
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
        var i = Int(truncatingIfNeeded: h) & mask
        for _ in 0..<Self.maxProbe {
            let s = slots[i]
            if s == 0 { return nil }
            let id = Int(s) - 1
            if hashes[id] == h, Int(lengths[id]) == bytes.count, equal(id, bytes) { return id }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Numbers `bytes` (which `find` did not know); nil when the table is full or the line
    /// finds no slot within the probe limit.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int? {
        guard !isFull else { return nil }
        if (starts.count + 1) * 2 > slots.count { grow() }
        var i = Int(truncatingIfNeeded: h) & mask
        for _ in 0..<Self.maxProbe {
            if slots[i] == 0 {
                let id = starts.count
                hashes.append(h)
                starts.append(arena.count)
                lengths.append(Int32(bytes.count))
                arena.append(contentsOf: bytes)
                slots[i] = Int32(id + 1)
                return id
            }
            i = (i + 1) & mask
        }
        return nil
    }

    private func equal(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let b = bytes.baseAddress, !bytes.isEmpty else { return true }
        return arena.withUnsafeBufferPointer { a in memcmp(a.baseAddress! + starts[id], b, bytes.count) == 0 }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: 0, count: size)
        mask = size - 1
        for id in 0..<starts.count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            var placed = false
            for _ in 0..<Self.maxProbe where !placed {
                if slots[i] == 0 { slots[i] = Int32(id + 1); placed = true } else { i = (i + 1) & mask }
            }
            // A line that no longer finds a slot is looked up in vain and read the slow way.
        }
    }

    /// A fast 64-bit hash of a line (eight bytes at a time, multiply and fold).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n { w |= UInt64(base[i]) << shift; shift += 8; i += 1 }
            h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
            h ^= h >> 29
        }
        h = (h ^ (h >> 33)) &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 33)
    }
}
