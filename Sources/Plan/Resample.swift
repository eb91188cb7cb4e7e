/// Resizes 8-bit RGB with a separable triangle filter whose support widens when shrinking (area-like
/// averaging, no aliasing) and is bilinear when enlarging.
enum Resample {
    static func rgb8(_ src: [UInt8], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [UInt8] {
        let columns = taps(from: width, to: toWidth), rows = taps(from: height, to: toHeight)
        // Horizontal pass into floats, then vertical into bytes.
        var mid = [Float](repeating: 0, count: height * toWidth * 3)
        for y in 0..<height {
            for (x, tap) in columns.enumerated() {
                var acc = SIMD3<Float>.zero
                for (i, w) in zip(tap.first..., tap.weights) {
                    let s = (y * width + i) * 3
                    acc += SIMD3(Float(src[s]), Float(src[s + 1]), Float(src[s + 2])) * w
                }
                let d = (y * toWidth + x) * 3
                mid[d] = acc.x; mid[d + 1] = acc.y; mid[d + 2] = acc.z
            }
        }
        var out = [UInt8](repeating: 0, count: toWidth * toHeight * 3)
        for (y, tap) in rows.enumerated() {
            for x in 0..<toWidth {
                var acc = SIMD3<Float>.zero
                for (j, w) in zip(tap.first..., tap.weights) {
                    let s = (j * toWidth + x) * 3
                    acc += SIMD3(mid[s], mid[s + 1], mid[s + 2]) * w
                }
                let d = (y * toWidth + x) * 3
                for c in 0..<3 { out[d + c] = UInt8(min(max(acc[c], 0), 255).rounded()) }
            }
        }
        return out
    }

    struct Tap { var first: Int; var weights: [Float] }

    /// Normalised filter taps for each output sample.
    static func taps(from n: Int, to m: Int) -> [Tap] {
        let scale = Double(n) / Double(m)
        let support = max(1, scale)
        return (0..<m).map { o in
            let centre = (Double(o) + 0.5) * scale - 0.5
            let lo = max(0, Int((centre - support).rounded(.down)) + 1), hi = min(n - 1, Int((centre + support).rounded(.up)) - 1)
            var weights = (max(lo, 0)...max(hi, lo)).map { Float(max(0, 1 - abs(Double($0) - centre) / support)) }
            var first = lo
            if weights.allSatisfy({ $0 == 0 }) { first = min(max(Int(centre.rounded()), 0), n - 1); weights = [1] }
            let sum = weights.reduce(0, +)
            return Tap(first: first, weights: weights.map { $0 / sum })
        }
    }
}
