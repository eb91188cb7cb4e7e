import AtlasCore
import Foundation

/// MultiDiffusion (Bar-Tal et al., 2023) on the latent canvas: each step every region predicts its
/// window, the predictions are fused per texel as a mask-weighted average — the masks are the power
/// cells, so a texel takes its owner's prediction, shared with the neighbour across a soft seam, and
/// the background outside the disc — and one DDIM update moves the whole canvas toward the fused
/// prediction.
///
/// Determinism: all noise is counter-based (a pure function of seed, step and texel), every task
/// writes only its own slots, and each texel's sum is taken in a fixed order, so the bytes are the
/// same at any thread count.
struct MultiDiffusionSampler<D: Denoiser> {
    let denoiser: D
    let settings: DecodeSettings
    let palette: Palette
    let threads: Int

    /// Rows per fusion task.
    private static var bandHeight: Int { 16 }

    func run(windows: [RegionWindow], cells: LatentCells, canvasWidth: Int, canvasHeight: Int, seed: UInt64,
             output: (width: Int, height: Int), context: Painting.Context, planning: Double,
             onStep: ((Int, Painting) -> Void)?) -> Painting {
        var timings = DecodeTimings()
        let decoding = Painting.Decoding(palette: palette, settings: settings, seed: seed)

        var clock = Date()
        let conditionings = Parallel.map(windows.count, threads: threads) {
            denoiser.condition(on: windows[$0], palette: palette, settings: settings)
        }
        timings.planning = planning
        timings.conditioning = -clock.timeIntervalSinceNow
        let bands = (canvasHeight + Self.bandHeight - 1) / Self.bandHeight

        var canvas = [SIMD4<Float>](repeating: .zero, count: canvasWidth * canvasHeight)
        let start = TexelNoise(seed: seed, stream: 0)
        canvas.withUnsafeMutableBufferPointer { x in
            Parallel.forEach(bands, threads: threads) { band in
                for i in bandRange(band, width: canvasWidth, height: canvasHeight) { x[i] = start.sample(i) }
            }
        }
        var predictions = windows.map { LatentWindow(rect: $0.rect) }
        let background = LatentColor.encode(palette.background)

        for k in 0..<settings.steps {
            let t = 1 - Double(k) / Double(settings.steps)
            let tNext = 1 - Double(k + 1) / Double(settings.steps)
            let alphaBar = settings.schedule.alphaBar(t)
            // The last step lands on the clean image (ᾱ = 1), as DDIM's final step does.
            let alphaBarNext = k == settings.steps - 1 ? 1 : settings.schedule.alphaBar(tNext)
            let step = DenoiseStep(index: k, count: settings.steps, alphaBar: alphaBar, alphaBarNext: alphaBarNext)

            clock = Date()
            let bootstrap = k < settings.bootstrapSteps
            canvas.withUnsafeBufferPointer { x in
                predictions.withUnsafeMutableBufferPointer { out in
                    Parallel.forEach(windows.count, threads: threads) { r in
                        let noisy = window(of: windows[r], canvas: x, canvasWidth: canvasWidth,
                                           bootstrap: bootstrap, step: step)
                        denoiser.predict(noisy, at: step, conditioning: conditionings[r], into: &out[r])
                    }
                }
            }
            timings.denoise -= clock.timeIntervalSinceNow

            clock = Date()
            let update = DDIMUpdate(step: step, eta: settings.eta, seed: seed)
            canvas.withUnsafeMutableBufferPointer { x in
                Parallel.forEach(bands, threads: threads) { band in
                    fuseAndUpdate(band: band, cells: cells, windowOfCell: context.windowOfCell, windows: windows,
                                  predictions: predictions, background: background, update: update,
                                  canvas: x, canvasWidth: canvasWidth, canvasHeight: canvasHeight)
                }
            }
            timings.fusion -= clock.timeIntervalSinceNow
            timings.steps = k + 1

            if let onStep {
                onStep(k + 1, Painting(width: output.width, height: output.height, latent: canvas,
                                       latentWidth: canvasWidth, latentHeight: canvasHeight, context: context,
                                       decoding: decoding, threads: threads, timings: timings))
            }
        }
        return Painting(width: output.width, height: output.height, latent: canvas, latentWidth: canvasWidth,
                        latentHeight: canvasHeight, context: context, decoding: decoding, threads: threads, timings: timings)
    }

    /// The noisy texels under a region's window. While bootstrapping, what lies outside the region's
    /// cell is replaced by a flat random colour noised to the current level, so neighbours do not
    /// leak into the region's first, boundary-setting predictions.
    private func window(of region: RegionWindow, canvas: UnsafeBufferPointer<SIMD4<Float>>, canvasWidth: Int,
                        bootstrap: Bool, step: DenoiseStep) -> LatentWindow {
        let rect = region.rect
        var noisy = LatentWindow(rect: rect)
        noisy.texels.withUnsafeMutableBufferPointer { out in
            for y in 0..<rect.height {
                let source = (rect.y + y) * canvasWidth + rect.x
                for x in 0..<rect.width { out[y * rect.width + x] = canvas[source + x] }
            }
            guard bootstrap else { return }
            let mask = region.coverage
            let pick = CounterRandom(seed: region.region.seed, stream: 0xb007 &+ UInt64(step.index))
            let flat = LatentColor.encode(oklab: SIMD3(Float(0.25 + 0.65 * pick.uniform(0)),
                                                       Float(pick.uniform(1) * 0.3 - 0.15),
                                                       Float(pick.uniform(2) * 0.3 - 0.15)), highlight: 0)
            let noise = TexelNoise(seed: region.region.seed, stream: 0xb007 &+ UInt64(step.index))
            let signal = Float(step.alphaBar.squareRoot()), spread = Float((1 - step.alphaBar).squareRoot())
            for i in 0..<out.count where mask[i] < 1 {
                let m = mask[i]
                out[i] = out[i] * m + (flat * signal + noise.sample(i) * spread) * (1 - m)
            }
        }
        return noisy
    }

    private func fuseAndUpdate(band: Int, cells: LatentCells, windowOfCell: [Int32], windows: [RegionWindow],
                               predictions: [LatentWindow], background: SIMD4<Float>, update: DDIMUpdate,
                               canvas: UnsafeMutableBufferPointer<SIMD4<Float>>, canvasWidth: Int, canvasHeight: Int) {
        let y0 = band * Self.bandHeight, y1 = min(y0 + Self.bandHeight, canvasHeight)
        @inline(__always) func predicted(_ cell: Int32, x: Int, y: Int) -> SIMD4<Float>? {
            guard cell >= 0 else { return nil }
            let w = Int(windowOfCell[Int(cell)])
            guard w >= 0 else { return nil }
            let rect = windows[w].rect
            guard x >= rect.x, x < rect.maxX, y >= rect.y, y < rect.maxY else { return nil }
            return predictions[w].texels[(y - rect.y) * rect.width + x - rect.x]
        }
        for y in y0..<y1 {
            for x in 0..<canvasWidth {
                let i = y * canvasWidth + x
                var fused = background
                if let own = predicted(cells.owner[i], x: x, y: y) {
                    fused = own
                    if let other = predicted(cells.runnerUp[i], x: x, y: y) {
                        let w = cells.weight[i]
                        fused = own * w + other * (1 - w)
                    }
                    // The disc's rim, antialiased over one texel.
                    let c = min(max(cells.rim[i] + 0.5, 0), 1)
                    fused = fused * c + background * (1 - c)
                }
                canvas[i] = update.apply(x: canvas[i], predicted: fused, index: i)
            }
        }
    }

    private func bandRange(_ band: Int, width: Int, height: Int) -> Range<Int> {
        (band * Self.bandHeight * width)..<(min((band + 1) * Self.bandHeight, height) * width)
    }
}

/// The power cells of the whole latent canvas, per texel.
struct LatentCells: Sendable {
    let width: Int
    let height: Int
    let owner: [Int32]
    let weight: [Float]
    let runnerUp: [Int32]
    let rim: [Float]

    init(width: Int, height: Int, bands: [PowerDiagram.CellMap]) {
        self.width = width
        self.height = height
        owner = bands.flatMap(\.owner)
        weight = bands.flatMap(\.weight)
        runnerUp = bands.flatMap(\.runnerUp)
        rim = bands.flatMap(\.rim)
    }

    /// The share cell `c` has of texel `i`.
    @inline(__always)
    func share(of c: Int32, at i: Int) -> Float {
        if owner[i] == c { return weight[i] }
        if runnerUp[i] == c { return 1 - weight[i] }
        return 0
    }
}

/// One DDIM step (Song et al., 2021) with stochasticity η, as per-texel scalar coefficients:
/// x_next = a·x̂₀ + b·x_t + σ·z.
struct DDIMUpdate {
    let predictedWeight: Float
    let sampleWeight: Float
    let sigma: Float
    let noise: TexelNoise

    init(step: DenoiseStep, eta: Double, seed: UInt64) {
        let a = step.alphaBar, next = step.alphaBarNext
        let sigma = eta * ((1 - next) / max(1 - a, 1e-12)).squareRoot() * max(1 - a / next, 0).squareRoot()
        let direction = max(1 - next - sigma * sigma, 0).squareRoot()
        let noiseScale = max(1 - a, 1e-12).squareRoot()
        // ε̂ = (x_t − √ᾱ·x̂₀)/√(1−ᾱ), folded into the two weights.
        sampleWeight = Float(direction / noiseScale)
        predictedWeight = Float(next.squareRoot() - direction * a.squareRoot() / noiseScale)
        self.sigma = Float(sigma)
        noise = TexelNoise(seed: seed, stream: UInt64(step.index) + 1)
    }

    @inline(__always)
    func apply(x: SIMD4<Float>, predicted: SIMD4<Float>, index: Int) -> SIMD4<Float> {
        let moved = predicted * predictedWeight + x * sampleWeight
        return sigma > 0 ? moved + noise.sample(index) * sigma : moved
    }
}
