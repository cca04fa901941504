import TMDiagCore

/// `lookup imei 35693803***3809`: the masked form tmdiag prints (TAC + last 4) names a few
/// IMEIs at most; an agent holding a ticket should be able to find them.
public struct MaskedIMEI: Sendable, Hashable {
    public var tac: String
    public var lastFour: String

    /// `35693803***3809`, `35693803*******3809`, `35693803…3809`: 8 digits, a mask, 4 digits.
    public init?(_ raw: String) {
        let s = raw.trimmingSpaces.filter { !" -/.".contains($0) }
        guard s.contains(where: { $0 == Mask.mark || $0 == "…" || $0 == "x" || $0 == "X" }) else { return nil }
        let head = s.prefix { $0.isASCIIDigit }
        let tail = s.reversed().prefix { $0.isASCIIDigit }
        guard head.count == 8, tail.count == 4 else { return nil }
        tac = String(head)
        lastFour = String(tail.reversed())
    }

    public var shown: String { tac + "*******" + lastFour }
}

extension HistoryStore {
    /// The full IMEIs the store knows (lines, past line identities, events, reports) that the
    /// masked form could stand for, sorted.
    public func imeis(matching m: MaskedIMEI) throws(TMDiagError) -> [String] {
        // `_` is LIKE's one-character wildcard: three of them stand for the masked digits.
        try backend.imeis(like: m.tac + "___" + m.lastFour)
    }
}
