import Query

/// A small deterministic generator (SplitMix64) so random tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Free text: `value` with no field.
func text(_ value: String) -> QueryNode { .is(field: nil, value: .literal(value)) }

/// `field:value` with an unquoted literal value.
func match(_ field: FieldName, _ value: String) -> QueryNode { .is(field: field, value: .literal(value)) }

/// `field:"value"`.
func phrase(_ field: FieldName?, _ value: String) -> QueryNode { .is(field: field, value: .phrase(value)) }

/// `field:pattern` where every `*` of `glob` is a wildcard.
func wildcard(_ field: FieldName?, _ glob: String) -> QueryNode { .is(field: field, value: .wildcard(WildcardPattern(glob: glob))) }

