import Testing
@testable import Server

@Suite struct SyslogFramerTests {
    /// (chunks as received, messages expected)
    static let cases: [([String], [String])] = [
        (["<13>a\n<13>b\n"], ["<13>a", "<13>b"]),
        (["<13>a\r\n", "<13>b"], ["<13>a"]),
        (["<13>par", "tial\n"], ["<13>partial"]),
        (["11 <13>1 hello9 <13>1 abc"], ["<13>1 hello", "<13>1 abc"]),
        (["11 <13>1 he", "llo"], ["<13>1 hello"]),
        (["1", "1 <13>1 hello"], ["<13>1 hello"]),
        (["11 <13>1 two\nx"], ["<13>1 two\nx"]),
        (["\n\n<13>x\n"], ["<13>x"]),
        (["20 <13>short"], []),
    ]

    @Test(arguments: cases) func frames(_ chunks: [String], _ expected: [String]) {
        var f = SyslogFramer()
        var got: [String] = []
        for c in chunks { got += f.append(Array(c.utf8)).map { String(decoding: $0, as: UTF8.self) } }
        #expect(got == expected)
    }

    @Test func longFramesAreCut() {
        var f = SyslogFramer(maxFrame: 8)
        let octet = f.append(Array("14 <13>1234567890".utf8))
        #expect(octet.map { String(decoding: $0, as: UTF8.self) } == ["<13>1234"])
        #expect(f.append(Array("<13>x\n".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["<13>x"])
        var g = SyslogFramer(maxFrame: 8)
        #expect(g.append(Array("<13>123456789".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["<13>1234"])
        #expect(g.append(Array("rest\n<13>y\n".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["<13>y"])
    }

    @Test func aLastLineWithoutNewlineIsKeptAtTheEnd() {
        var f = SyslogFramer()
        #expect(f.append(Array("<13>tail".utf8)).isEmpty)
        #expect(f.finish().map { String(decoding: $0, as: UTF8.self) } == "<13>tail")
    }
}
