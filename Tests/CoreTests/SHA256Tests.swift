import Testing
import TMDiagCore

/// Our SHA-256 against the example messages of FIPS 180-4 (NIST's published digests), so that
/// a report's digest means what any other SHA-256 says it means.
@Suite("SHA-256 (FIPS 180-4 examples)")
struct SHA256Tests {
    static let examples: [(message: String, digest: String)] = [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        // 448 bits: the padding no longer fits the message's last block.
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        // 896 bits: two whole blocks of message.
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ]

    @Test(arguments: examples)
    func exampleMessage(_ example: (message: String, digest: String)) {
        #expect(SHA256.hex(Array(example.message.utf8)) == example.digest)
    }

    @Test func oneMillionTimesTheLetterA() {
        // Fed in uneven pieces, so that block boundaries fall inside updates.
        var s = SHA256()
        let piece = [UInt8](repeating: 0x61, count: 999)
        var left = 1_000_000
        while left > 0 {
            let n = min(left, piece.count)
            s.update(piece.prefix(n))
            left -= n
        }
        let hex = s.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
