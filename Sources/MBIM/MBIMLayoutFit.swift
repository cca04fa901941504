/// How well a reply's bytes fit one of its two layouts, MBIM 1.0 or MBIMEx v3 (which adds
/// fields before the offset/size pairs). The reply does not say which it is: the function
/// answers in the version ModemManager negotiated, which tmdiag does not ask for, so the
/// layout is read from the bytes, by the same rule for every reply that has two.
struct MBIMLayoutFit {
    /// Every offset/size pair points inside the buffer.
    var fits: Bool
    /// The data part starts right after the fixed part (or, with no data, the fixed part is
    /// the whole buffer), as libmbim and the devices write it.
    var exact: Bool

    static let none = MBIMLayoutFit(fits: false, exact: false)

    /// 1 or 3, the layout that fits; when both do, MBIM 1.0 unless only v3 is exact; nil when
    /// neither does.
    static func choose(v1: MBIMLayoutFit, v3: MBIMLayoutFit) -> Int? {
        if v1.fits && v3.fits { return v3.exact && !v1.exact ? 3 : 1 }
        if v1.fits { return 1 }
        if v3.fits { return 3 }
        return nil
    }
}
