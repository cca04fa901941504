/// Bytes as lower-case hex digits, for names of ids tmdiag does not know and for the bytes
/// quoted in protocol errors (`message type 0x80000009`, `7e 00 13 37`).
public enum Hex {
    /// `0a` for 10.
    public static func byte(_ b: UInt8) -> String {
        String(decoding: [digits[Int(b >> 4)], digits[Int(b & 0xF)]], as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)
}
