import AtlasCore

/// The test-image formulas of Benchmarks/compare/patterns.py, line for line in integer arithmetic so
/// both languages make identical bytes (the reference numbers were computed on the Python side).
enum TestPatterns {
    typealias RGB = SIMD3<Int>

    /// A pixel formula over (x, y).
    struct Picture {
        let width: Int
        let height: Int
        let pixel: (Int, Int) -> RGB

        func map(_ f: @escaping (Int, Int, RGB) -> RGB) -> Picture {
            let pixel = pixel
            return Picture(width: width, height: height) { x, y in f(x, y, pixel(x, y)) }
        }

        func opaque() -> RGBAImage { rgba { _, _ in 255 } }

        /// Alpha 255, 191, 127 or 63 from hash noise.
        func withAlpha(seed: Int) -> RGBAImage {
            rgba { x, y in 255 - Int(TestPatterns.noise(seed, x, y, 3) % 4) * 64 }
        }

        private func rgba(_ alpha: (Int, Int) -> Int) -> RGBAImage {
            var px = [UInt8](repeating: 0, count: width * height * 4)
            for y in 0..<height {
                for x in 0..<width {
                    let c = pixel(x, y), i = (y * width + x) * 4
                    px[i] = UInt8(c.x); px[i + 1] = UInt8(c.y); px[i + 2] = UInt8(c.z); px[i + 3] = UInt8(alpha(x, y))
                }
            }
            return RGBAImage(width: width, height: height, pixels: px)
        }
    }

    static func hash32(_ value: UInt32) -> UInt32 {
        var v = value
        v ^= v >> 16
        v &*= 0x7feb_352d
        v ^= v >> 15
        v &*= 0x846c_a68b
        v ^= v >> 16
        return v
    }

    static func noise(_ seed: Int, _ x: Int, _ y: Int, _ channel: Int) -> UInt32 {
        let n = UInt64(truncatingIfNeeded: seed) &* 0x9e37_79b1 &+ UInt64(truncatingIfNeeded: (y * 4099 + x) * 4 + channel)
        return hash32(UInt32(truncatingIfNeeded: n))
    }

    static func gradient(_ width: Int, _ height: Int) -> Picture {
        Picture(width: width, height: height) { x, y in
            RGB(x * 255 / (width - 1), y * 255 / (height - 1), (x + y) * 255 / (width + height - 2))
        }
    }

    /// Disc coverage 0…16 by 4×4 supersampling; centre and radius in 1/8 pixels.
    static func coverage(_ x: Int, _ y: Int, cx8: Int, cy8: Int, r8: Int) -> Int {
        var k = 0
        for sy in 0..<4 {
            for sx in 0..<4 {
                let dx = 8 * x + 2 * sx + 1 - cx8, dy = 8 * y + 2 * sy + 1 - cy8
                if dx * dx + dy * dy <= r8 * r8 { k += 1 }
            }
        }
        return k
    }

    static func over(_ c: RGB, _ k: Int, _ colour: RGB) -> RGB {
        (c &* (16 - k) &+ colour &* k) / 16
    }

    static func scene(_ width: Int, _ height: Int, shift8: Int = 0) -> Picture {
        gradient(width, height).map { x, y, c in
            var rgb = over(c, coverage(x, y, cx8: 8 * width / 3 + shift8, cy8: 8 * height / 2, r8: 8 * height / 4), RGB(30, 30, 60))
            rgb = over(rgb, coverage(x, y, cx8: 8 * width * 2 / 3 + shift8, cy8: 8 * height / 3, r8: 8 * height / 6), RGB(250, 220, 40))
            return x % 16 == 5 || y % 16 == 11 ? rgb &* 3 / 4 : rgb
        }
    }

    static func withNoise(_ p: Picture, seed: Int, amplitude: Int) -> Picture {
        p.map { x, y, c in
            let n = RGB((0..<3).map { Int(noise(seed, x, y, $0)) % (2 * amplitude + 1) - amplitude })
            return (c &+ n).clamped(lowerBound: RGB(repeating: 0), upperBound: RGB(repeating: 255))
        }
    }

    static func random(_ width: Int, _ height: Int, seed: Int) -> Picture {
        Picture(width: width, height: height) { x, y in RGB((0..<3).map { Int(noise(seed, x, y, $0) % 256) }) }
    }

    static func boxBlur(_ p: Picture) -> Picture {
        Picture(width: p.width, height: p.height) { x, y in
            var sum = RGB(repeating: 0)
            for dy in -1...1 {
                for dx in -1...1 {
                    sum &+= p.pixel(min(max(x + dx, 0), p.width - 1), min(max(y + dy, 0), p.height - 1))
                }
            }
            return sum / 9
        }
    }

    static func recolourBlock(_ p: Picture, x0: Int, y0: Int, x1: Int, y1: Int, _ colour: RGB) -> Picture {
        p.map { x, y, c in (x0..<x1).contains(x) && (y0..<y1).contains(y) ? colour : c }
    }

    /// The pairs of `patterns.pairs()`, by name.
    static func pair(_ name: String) -> (RGBAImage, RGBAImage) {
        let w = 96, h = 72, base = scene(w, h)
        switch name {
        case "identical": return (base.opaque(), base.opaque())
        case "gradient_noise3": return (gradient(w, h).opaque(), withNoise(gradient(w, h), seed: 7, amplitude: 3).opaque())
        case "scene_noise24": return (base.opaque(), withNoise(base, seed: 11, amplitude: 24).opaque())
        case "subpixel_shift": return (base.opaque(), scene(w, h, shift8: 3).opaque())
        case "one_pixel_shift": return (base.opaque(), scene(w, h, shift8: 8).opaque())
        case "blurred": return (base.opaque(), boxBlur(base).opaque())
        case "block_recolour": return (base.opaque(), recolourBlock(base, x0: 20, y0: 10, x1: 40, y1: 30, RGB(200, 40, 40)).opaque())
        case "random_vs_random": return (random(w, h, seed: 1).opaque(), random(w, h, seed: 2).opaque())
        case "odd_size": return (scene(37, 23).opaque(), withNoise(scene(37, 23, shift8: 5), seed: 3, amplitude: 2).opaque())
        case "tall_blurred": return (scene(40, 300).opaque(), boxBlur(scene(40, 300, shift8: 2)).opaque())
        case "translucent": return (base.withAlpha(seed: 5), withNoise(base, seed: 13, amplitude: 4).withAlpha(seed: 6))
        default: fatalError("no test pair named \(name)")
        }
    }
}
