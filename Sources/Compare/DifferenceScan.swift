import AtlasCore

/// One parallel pass over an aligned pair that gathers every per-pixel metric at once: pixelmatch's
/// classification, the largest channel difference, the squared error for PSNR and the ΔE₀₀ of each
/// changed pixel. Pixels whose four bytes are equal (most of a golden comparison) cost one compare.
struct DifferenceScan {
    /// What pixelmatch decided for one pixel.
    enum Verdict: UInt8 {
        case same = 0, differing, antialiased
    }

    private(set) var differingPixels = 0
    private(set) var antialiasedPixels = 0
    private(set) var maxChannelDifference = 0
    /// Sum of squared RGB differences after compositing on white.
    private(set) var squaredError = 0.0
    private(set) var deltaE = DeltaESummary.zero
    /// One `Verdict` raw value per pixel, row-major; empty unless asked for (the diff image needs it).
    private(set) var verdicts: [UInt8]

    init(_ pair: AlignedPair, tolerance: Tolerance, keepVerdicts: Bool) {
        let width = pair.width, height = pair.height
        let maxDelta = PixelMatch.maxDelta(threshold: tolerance.threshold)
        let includeAA = tolerance.includeAntialiasing
        var verdicts = [UInt8](repeating: Verdict.same.rawValue, count: keepVerdicts ? width * height : 0)
        // Pixels as 32-bit words: one compare tells equal pixels apart.
        let bands = pair.a.pixels.withUnsafeBufferPointer { bytesA in
            pair.b.pixels.withUnsafeBufferPointer { bytesB in
                bytesA.withMemoryRebound(to: UInt32.self) { wordsA in
                    bytesB.withMemoryRebound(to: UInt32.self) { wordsB in
                        verdicts.withUnsafeMutableBufferPointer { verdictBuffer in
                            let a = wordsA.baseAddress!, b = wordsB.baseAddress!
                            let match = PixelMatch(a: a, b: b, width: width, height: height)
                            let verdictOut = keepVerdicts ? verdictBuffer.baseAddress : nil
                            return Parallel.map(rows: 0..<height, bandHeight: 64, threads: Parallel.allCores) { rows in
                                var band = BandTotals()
                                for y in rows {
                                    for x in 0..<width {
                                        let i = y * width + x
                                        if a[i] == b[i] { continue }
                                        band.measure(a, b, i)
                                        guard PixelMatch.colorDelta(a, i, b, i) > maxDelta else { continue }
                                        let isAA = !includeAA && match.isAntialiased(x: x, y: y)
                                        if isAA { band.antialiased += 1 } else { band.differing += 1 }
                                        verdictOut?[i] = (isAA ? Verdict.antialiased : .differing).rawValue
                                    }
                                }
                                return band
                            }
                        }
                    }
                }
            }
        }
        var nonZeroDeltaE = [Double]()
        for band in bands {
            differingPixels += band.differing
            antialiasedPixels += band.antialiased
            maxChannelDifference = max(maxChannelDifference, band.maxChannelDifference)
            squaredError += band.squaredError
            nonZeroDeltaE += band.deltaE
        }
        self.verdicts = verdicts
        deltaE = DeltaESummary(nonZero: &nonZeroDeltaE, pixelCount: pair.comparedPixels)
    }

    /// What one row band accumulates for the pixels whose bytes differ.
    private struct BandTotals {
        var differing = 0
        var antialiased = 0
        var maxChannelDifference = 0
        var squaredError = 0.0
        var deltaE: [Double] = []
        var labCache = LabCache()

        @inline(__always)
        mutating func measure(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, _ i: Int) {
            for c in 0..<4 {
                let ca = PixelMatch.byte(a, i, c), cb = PixelMatch.byte(b, i, c)
                maxChannelDifference = max(maxChannelDifference, abs(Int(ca) - Int(cb)))
            }
            let (r1, g1, b1) = PixelMatch.blendedRGB(a, i)
            let (r2, g2, b2) = PixelMatch.blendedRGB(b, i)
            squaredError += (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2) + (b1 - b2) * (b1 - b2)
            let e = CIEDE2000.deltaE(labCache.lab(a[i], r1, g1, b1), labCache.lab(b[i], r2, g2, b2))
            if e > 0 { deltaE.append(e) }
        }
    }
}
