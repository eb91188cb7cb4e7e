import AtlasCore

/// Seeded gradient noise and its fractal sums, in Float, as pure functions of (key, position):
/// the same value whatever thread, tile or order asks for it.
struct LatticeNoise: Sendable {
    let key: UInt64

    init(seed: UInt64, stream: UInt64) {
        key = StableHash.combine(StableHash.mix(seed), stream)
    }

    /// Perlin-style gradient noise, roughly −1…1, smooth (quintic fade).
    @inline(__always)
    func gradient(_ x: Float, _ y: Float) -> Float {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let ix = Int32(truncatingIfNeeded: Int(fx)), iy = Int32(truncatingIfNeeded: Int(fy))
        let dx = x - fx, dy = y - fy
        let n00 = corner(ix, iy, dx, dy)
        let n10 = corner(ix &+ 1, iy, dx - 1, dy)
        let n01 = corner(ix, iy &+ 1, dx, dy - 1)
        let n11 = corner(ix &+ 1, iy &+ 1, dx - 1, dy - 1)
        let u = fade(dx), v = fade(dy)
        let top = n00 + (n10 - n00) * u
        let bottom = n01 + (n11 - n01) * u
        return (top + (bottom - top) * v) * 1.4
    }

    /// Sum of `octaves` gradient-noise octaves (each twice the frequency, half the amplitude), −1…1.
    @inline(__always)
    func fractal(_ x: Float, _ y: Float, octaves: Int) -> Float {
        var sum: Float = 0, amplitude: Float = 1, norm: Float = 0
        var x = x, y = y
        for _ in 0..<octaves {
            sum += gradient(x, y) * amplitude
            norm += amplitude
            amplitude *= 0.5
            // The rotation keeps octaves from lining up on the lattice axes.
            (x, y) = (x * 1.6 - y * 1.2 + 17.3, x * 1.2 + y * 1.6 - 5.1)
        }
        return sum / norm
    }

    @inline(__always)
    private func corner(_ ix: Int32, _ iy: Int32, _ dx: Float, _ dy: Float) -> Float {
        let h = StableHash.mix(key ^ (UInt64(UInt32(bitPattern: ix)) | UInt64(UInt32(bitPattern: iy)) << 32))
        let gx = Float(Int16(truncatingIfNeeded: h)) * (1 / 32768)
        let gy = Float(Int16(truncatingIfNeeded: h >> 16)) * (1 / 32768)
        return gx * dx + gy * dy
    }

    @inline(__always)
    private func fade(_ t: Float) -> Float { t * t * t * (t * (t * 6 - 15) + 10) }
}

/// Unit-variance noise per latent texel: each channel sums four 16-bit uniforms (Irwin–Hall),
/// close enough to Gaussian for the sampler and far cheaper than Box–Muller.
struct TexelNoise: Sendable {
    let key: UInt64

    init(seed: UInt64, stream: UInt64) {
        key = StableHash.combine(StableHash.mix(seed), stream)
    }

    @inline(__always)
    func sample(_ index: Int) -> SIMD4<Float> {
        let base = key ^ StableHash.mix(UInt64(truncatingIfNeeded: index))
        return SIMD4(channel(base, 1), channel(base, 2), channel(base, 3), channel(base, 4))
    }

    @inline(__always)
    private func channel(_ base: UInt64, _ c: UInt64) -> Float {
        let h = StableHash.mix(base &+ c &* 0x9e37_79b9_7f4a_7c15)
        let sum = Float(h & 0xffff) + Float((h >> 16) & 0xffff) + Float((h >> 32) & 0xffff) + Float(h >> 48)
        // Mean 2·65535, variance 4·65536²/12.
        return (sum - 131_070) * (1.7320508 / 65_536)
    }
}
