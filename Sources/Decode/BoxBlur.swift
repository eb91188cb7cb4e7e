/// Separable box blur of a texel window with edges clamped, by running sums: the cost does not
/// depend on the radius. Two rounds give a tent filter, smooth enough for a low-pass.
enum BoxBlur {
    /// Blurs `texels` (width × height) in place, `rounds` times; `scratch` has as many texels.
    static func apply(_ texels: UnsafeMutableBufferPointer<SIMD4<Float>>, width: Int, height: Int, radius: Int,
                      rounds: Int, scratch: UnsafeMutableBufferPointer<SIMD4<Float>>) {
        guard radius > 0, width > 0, height > 0 else { return }
        for _ in 0..<rounds {
            horizontal(texels, into: scratch, width: width, height: height, radius: radius)
            vertical(scratch, into: texels, width: width, height: height, radius: radius)
        }
    }

    private static func horizontal(_ src: UnsafeMutableBufferPointer<SIMD4<Float>>,
                                   into dst: UnsafeMutableBufferPointer<SIMD4<Float>>,
                                   width: Int, height: Int, radius: Int) {
        let norm = SIMD4<Float>(repeating: 1 / Float(2 * radius + 1))
        for y in 0..<height {
            let row = y * width
            var sum = SIMD4<Float>.zero
            for k in -radius...radius { sum += src[row + min(max(k, 0), width - 1)] }
            for x in 0..<width {
                dst[row + x] = sum * norm
                sum += src[row + min(x + radius + 1, width - 1)] - src[row + max(x - radius, 0)]
            }
        }
    }

    /// Column running sums advanced a whole row at a time, so memory is read in order.
    private static func vertical(_ src: UnsafeMutableBufferPointer<SIMD4<Float>>,
                                 into dst: UnsafeMutableBufferPointer<SIMD4<Float>>,
                                 width: Int, height: Int, radius: Int) {
        let norm = SIMD4<Float>(repeating: 1 / Float(2 * radius + 1))
        // The first output row doubles as the running-sum line.
        for x in 0..<width { dst[x] = .zero }
        for k in -radius...radius {
            let row = min(max(k, 0), height - 1) * width
            for x in 0..<width { dst[x] += src[row + x] }
        }
        for y in 1..<max(height, 1) {
            let ahead = min(y + radius, height - 1) * width
            let behind = max(y - radius - 1, 0) * width
            let previous = (y - 1) * width, current = y * width
            for x in 0..<width { dst[current + x] = dst[previous + x] + src[ahead + x] - src[behind + x] }
        }
        for i in 0..<(width * height) { dst[i] *= norm }
    }
}
