/// Collects warnings that repeat (the same unknown field on every row of a 1 024-feature batch, a NaN
/// in `dfaMaxValue` of every activation) into one warning each: the first occurrence, with a count.
struct WarningTally {
    private var order: [String] = []
    private var first: [String: InputWarning] = [:]
    private var counts: [String: Int] = [:]

    /// `key` groups repeats (e.g. kind + field name without array indices).
    mutating func add(_ warning: InputWarning, key: String? = nil) {
        let k = key ?? "\(warning.kind.rawValue)|\(warning.message)"
        if first[k] == nil {
            order.append(k)
            first[k] = warning
        }
        counts[k, default: 0] += 1
    }

    mutating func add(_ warnings: [InputWarning], key: (InputWarning) -> String) {
        for w in warnings { add(w, key: key(w)) }
    }

    var isEmpty: Bool { order.isEmpty }

    /// One warning per group; repeated ones say how often and that the location is the first.
    var warnings: [InputWarning] {
        order.map { k in
            var w = first[k]!
            let n = counts[k]!
            if n > 1 { w.message += " (\(n) times; the first is shown)" }
            return w
        }
    }
}

extension String {
    /// `activations[12].dfaMaxValue` → `activations[].dfaMaxValue`: groups one field across array items.
    var withoutIndices: String {
        var out = ""
        var inBracket = false
        for c in self {
            if c == "[" { inBracket = true; out.append(c); continue }
            if c == "]" { inBracket = false }
            if !inBracket { out.append(c) }
        }
        return out
    }
}
