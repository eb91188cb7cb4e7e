/// x^b for the SGD's a/b curve, eight lanes at once, inlined: the optimiser's inner loop did little
/// but wait on `powf` calls (and spill its registers around them). Plain IEEE arithmetic and
/// integer bit operations (no libm, no FMA), so the same bits on every machine; relative error
/// below 1e-5 while x is a normal Float and x^b stays within 1e-37…1e38 (a test holds it).
///
/// Lane selection goes through sign masks (`Lanes`): the standard library's `replacing(with:where:)`,
/// `clamped` and `pointwiseMin` are generic lane-by-lane loops that are not inlined.
enum FastPower {
    typealias V = SIMD8<Float>
    private static let ln2Hi: Float = 0.693_145_75
    private static let ln2Lo: Float = 1.428_606_8e-6
    private static let log2e: Float = 1.442_695_04
    /// 1.5 · 2²³: adding and subtracting it rounds a Float of magnitude < 2²² to an integer
    /// (baseline x86-64 has no vector round instruction), and its bits carry the integer.
    private static let roundingMagic: Float = 12_582_912
    private static let magicBits = Int32(bitPattern: roundingMagic.bitPattern)

    /// `x` must be positive, finite and normal in every lane (callers raise tiny squared distances
    /// to 1e-30). Every operation is vector by vector: Swift's vector-by-scalar operators run lane
    /// by lane on baseline x86-64.
    @inline(__always)
    static func power(_ x: V, _ b: Float) -> V {
        let one = V(repeating: 1), two = V(repeating: 2)
        // x = m · 2^e with m in [√½, √2) (musl's logf split).
        let bits = Lanes.bits(x)
        let e = (bits &- Lanes.Mask(repeating: 0x3f35_04f3)) &>> 23
        let m = Lanes.float(bits &- (e &<< 23))
        // ln m = 2·atanh(s), s = (m − 1)/(m + 1), |s| < 0.172: three odd terms leave < 1.3e-6.
        let s = (m - one) / (m + one)
        let s2 = s * s
        var series = s2 * V(repeating: 1 / 5) + V(repeating: 1 / 3)
        series = series * s2 + one
        let lnm = two * s * series
        // Int32 → Float through the rounding constant's bits (|e| < 2²²; no generic conversion).
        let magic = V(repeating: roundingMagic), magicBits = Lanes.Mask(repeating: magicBits)
        let exponent = Lanes.float(e &+ magicBits) - magic
        let hi = V(repeating: ln2Hi), lo = V(repeating: ln2Lo)
        let lnx = exponent * hi + (exponent * lo + lnm)
        // Kept where e^y is a normal Float (below, a result of 1e-38 stands for "nothing").
        let y = Lanes.clamp(V(repeating: b) * lnx, -87, 88)
        // e^y = 2^n · e^r with n = round(y / ln 2) in −126…127, |r| ≤ ln2 / 2: Taylor to r⁵ leaves < 2.5e-6.
        let shifted = y * V(repeating: log2e) + magic
        let n = shifted - magic
        let r = (y - n * hi) - n * lo
        var er = r * V(repeating: 1 / 120) + V(repeating: 1 / 24)
        er = er * r + V(repeating: 1 / 6)
        er = er * r + V(repeating: 1 / 2)
        er = er * r + one
        er = er * r + one
        // 2^n from n's bits in `shifted` (its low mantissa bits are n + 2²²).
        let scale = Lanes.float((Lanes.bits(shifted) &- magicBits &+ Lanes.Mask(repeating: 127)) &<< 23)
        return er * scale
    }

    @inline(__always)
    static func power(_ x: Float, _ b: Float) -> Float {
        power(V(repeating: x), b)[0]
    }
}

/// Branch-free lane masks for `SIMD8<Float>`: a mask lane is all ones (−1) or zero.
enum Lanes {
    typealias V = SIMD8<Float>
    typealias Mask = SIMD8<Int32>

    @inline(__always) static func bits(_ v: V) -> Mask { unsafeBitCast(v, to: Mask.self) }
    @inline(__always) static func float(_ m: Mask) -> V { unsafeBitCast(m, to: V.self) }

    /// −1 where `v < limit` (the sign of v − limit, exact for finite values).
    @inline(__always) static func below(_ v: V, _ limit: Float) -> Mask { bits(v - V(repeating: limit)) &>> 31 }

    /// −1 where the lane is not zero.
    @inline(__always) static func nonzero(_ m: Mask) -> Mask { (m | (Mask.zero &- m)) &>> 31 }

    /// `a` where `mask`, else `b`.
    @inline(__always) static func select(_ mask: Mask, _ a: V, _ b: V) -> V {
        float((bits(a) & mask) | (bits(b) & ~mask))
    }

    @inline(__always) static func clamp(_ v: V, _ low: Float, _ high: Float) -> V {
        let capped = select(below(v, high), v, V(repeating: high))
        return select(below(capped, low), V(repeating: low), capped)
    }
}
