import Testing
@testable import Filters

/// The one-pass literal scan finds exactly the literals a search for each one finds, whatever their length (one
/// byte, two or three bytes in the two-byte table, four and more in the hashed one) and case.
@Suite struct LiteralScannerTests {
    static let literalSets: [[Literal]] = [
        // The signal gates' mix: long ones, short ones, caseless ones.
        [Literal("eyJ"), Literal("pwd", caseless: true), Literal("${"), Literal("AKIA"), Literal("password", caseless: true), Literal("version", caseless: true)],
        // Short ones only, of one, two and three bytes.
        [Literal("a"), Literal("Z"), Literal("ab"), Literal("AB", caseless: true), Literal("@`"), Literal("[{"), Literal("xyz")],
        // Long ones only.
        [Literal("Sync operation to "), Literal("ulled image"), Literal("401 Unauthorized")],
        // Literals sharing their first two bytes.
        [Literal("ab"), Literal("abc"), Literal("abcd"), Literal("aB", caseless: true), Literal("")],
    ]

    static let alphabet = Array("abcdxyzABZ@`[{$eyJpwdPWD 0AKIAkiaSync operation to ulled image401 Unauthorizedversion".utf8)

    @Test(arguments: 0..<literalSets.count)
    func scanFindsWhatEachSearchFinds(_ set: Int) {
        let literals = Self.literalSets[set]
        let scanner = LiteralScanner(literals)
        var rng = SplitMix(seed: UInt64(set) + 11)
        for round in 0..<4000 {
            let n = round < 200 ? round % 8 : Int(rng.next() % 80)
            var text: [UInt8] = (0..<n).map { _ in Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }
            // Plant a literal now and then, at the very end too.
            if n > 0, rng.next() % 3 == 0 {
                let lit = literals[Int(rng.next() % UInt64(literals.count))].bytes
                let at = rng.next() % 2 == 0 ? max(0, n - lit.count) : Int(rng.next() % UInt64(n))
                for (k, b) in lit.enumerated() where at + k < n { text[at + k] = rng.next() % 2 == 0 ? b : asciiUpper(b) }
            }
            text.withUnsafeBufferPointer { t in
                var hits = [UInt64](repeating: 0, count: scanner.wordCount)
                hits.withUnsafeMutableBufferPointer { scanner.scan(t, into: $0.baseAddress!) }
                for (id, lit) in literals.enumerated() {
                    let expected = lit.occurs(in: t) && t.baseAddress != nil
                    let found = hits.withUnsafeMutableBufferPointer { hitTest($0.baseAddress!, id) }
                    #expect(found == expected, "literal \(String(decoding: lit.bytes, as: UTF8.self).debugDescription) in \(String(decoding: t, as: UTF8.self).debugDescription)")
                }
            }
        }
    }
}
