import AtlasCore
import Foundation

/// MultiDiffusion (Bar-Tal et al., 2023) on the latent canvas: each step every region predicts its
/// window, the predictions are fused per texel as a mask-weighted average (with a background prior
/// where the masks fade out; the highlight channel by maximum) and one DDIM update moves the whole
/// canvas toward the fused prediction.
///
/// Determinism: all noise is counter-based (a pure function of seed, step and texel), every task
/// writes only its own slots, and each texel sums its regions in list order, so the bytes are the
/// same at any thread count.
struct MultiDiffusionSampler<D: Denoiser> {
    let denoiser: D
    let settings: DecodeSettings
    let palette: Palette
    let threads: Int

    /// Rows per fusion task.
    private static var bandHeight: Int { 16 }

    func run(windows: [RegionWindow], canvasWidth: Int, canvasHeight: Int, seed: UInt64,
             output: (width: Int, height: Int), onStep: ((Int, Painting) -> Void)?) -> Painting {
        var timings = DecodeTimings()
        let decoding = Painting.Decoding(palette: palette, settings: settings, seed: seed)

        var clock = Date()
        let masks = parallelMap(windows) { RegionMask(window: $0, settings: settings) }
        let conditionings = parallelMap(windows) { denoiser.condition(on: $0, palette: palette, settings: settings) }
        let bands = bandMembers(windows, canvasHeight: canvasHeight)
        timings.conditioning = -clock.timeIntervalSinceNow

        var canvas = [SIMD4<Float>](repeating: .zero, count: canvasWidth * canvasHeight)
        let start = TexelNoise(seed: seed, stream: 0)
        canvas.withUnsafeMutableBufferPointer { x in
            WorkQueue.run(bands.count, threads: threads) { band in
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
                    WorkQueue.run(windows.count, threads: threads) { r in
                        let noisy = window(of: windows[r], canvas: x, canvasWidth: canvasWidth,
                                           bootstrap: bootstrap ? masks[r].coverage : nil, step: step)
                        denoiser.predict(noisy, at: step, conditioning: conditionings[r], into: &out[r])
                    }
                }
            }
            timings.denoise -= clock.timeIntervalSinceNow

            clock = Date()
            let update = DDIMUpdate(step: step, eta: settings.eta, seed: seed)
            canvas.withUnsafeMutableBufferPointer { x in
                WorkQueue.run(bands.count, threads: threads) { band in
                    fuseAndUpdate(band: band, members: bands[band], windows: windows, masks: masks,
                                  predictions: predictions, background: background, update: update,
                                  canvas: x, canvasWidth: canvasWidth, canvasHeight: canvasHeight)
                }
            }
            timings.fusion -= clock.timeIntervalSinceNow
            timings.steps = k + 1

            if let onStep {
                onStep(k + 1, Painting(width: output.width, height: output.height, latent: canvas,
                                       latentWidth: canvasWidth, latentHeight: canvasHeight,
                                       decoding: decoding, threads: threads, timings: timings))
            }
        }
        return Painting(width: output.width, height: output.height, latent: canvas, latentWidth: canvasWidth,
                        latentHeight: canvasHeight, decoding: decoding, threads: threads, timings: timings)
    }

    /// The noisy texels under a region's window. While bootstrapping, what lies outside the region's
    /// mask is replaced by a flat random colour noised to the current level, so neighbours do not
    /// leak into the region's first, boundary-setting predictions.
    private func window(of region: RegionWindow, canvas: UnsafeBufferPointer<SIMD4<Float>>, canvasWidth: Int,
                        bootstrap mask: [Float]?, step: DenoiseStep) -> LatentWindow {
        let rect = region.rect
        var noisy = LatentWindow(rect: rect)
        noisy.texels.withUnsafeMutableBufferPointer { out in
            for y in 0..<rect.height {
                let source = (rect.y + y) * canvasWidth + rect.x
                for x in 0..<rect.width { out[y * rect.width + x] = canvas[source + x] }
            }
            guard let mask else { return }
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

    private func fuseAndUpdate(band: Int, members: [Int], windows: [RegionWindow], masks: [RegionMask],
                               predictions: [LatentWindow], background: SIMD4<Float>, update: DDIMUpdate,
                               canvas: UnsafeMutableBufferPointer<SIMD4<Float>>, canvasWidth: Int, canvasHeight: Int) {
        let y0 = band * Self.bandHeight, y1 = min(y0 + Self.bandHeight, canvasHeight)
        var sum = [SIMD4<Float>](repeating: .zero, count: canvasWidth)
        var weight = [Float](repeating: 0, count: canvasWidth)
        var cover = [Float](repeating: 0, count: canvasWidth)
        var lit = [Float](repeating: 0, count: canvasWidth)
        let prior = Float(max(settings.backgroundPrior, 0.01))
        for y in y0..<y1 {
            for x in 0..<canvasWidth { sum[x] = .zero; weight[x] = 0; cover[x] = 0; lit[x] = 0 }
            for r in members {
                let rect = windows[r].rect
                guard y >= rect.y, y < rect.maxY else { continue }
                let row = (y - rect.y) * rect.width
                masks[r].coverage.withUnsafeBufferPointer { coverage in
                    masks[r].weight.withUnsafeBufferPointer { w in
                        predictions[r].texels.withUnsafeBufferPointer { p in
                            for x in 0..<rect.width where coverage[row + x] > 0 {
                                sum[rect.x + x] += p[row + x] * w[row + x]
                                weight[rect.x + x] += w[row + x]
                                cover[rect.x + x] = max(cover[rect.x + x], coverage[row + x])
                                let amount = max(p[row + x].w + 1, 0) * 0.5 * coverage[row + x]
                                lit[rect.x + x] = max(lit[rect.x + x], amount)
                            }
                        }
                    }
                }
            }
            for x in 0..<canvasWidth {
                let regions = weight[x] > 0 ? sum[x] / weight[x] : background
                // The strongest mask, not the sum, sets the coverage: two identical regions fuse to one.
                let c = cover[x], b = prior * (1 - c)
                var fused = (regions * c + background * b) / (c + b)
                // Highlight fuses by maximum: a motif stays as strong as its activation says
                // instead of being diluted by the regions around it.
                fused.w = lit[x] * 2 - 1
                let i = y * canvasWidth + x
                canvas[i] = update.apply(x: canvas[i], predicted: fused, index: i)
            }
        }
    }

    private func bandMembers(_ windows: [RegionWindow], canvasHeight: Int) -> [[Int]] {
        let count = (canvasHeight + Self.bandHeight - 1) / Self.bandHeight
        var members = [[Int]](repeating: [], count: count)
        for (r, w) in windows.enumerated() {
            for band in (w.rect.y / Self.bandHeight)...((w.rect.maxY - 1) / Self.bandHeight) { members[band].append(r) }
        }
        return members
    }

    private func bandRange(_ band: Int, width: Int, height: Int) -> Range<Int> {
        (band * Self.bandHeight * width)..<(min((band + 1) * Self.bandHeight, height) * width)
    }

    private func parallelMap<T>(_ windows: [RegionWindow], _ body: (RegionWindow) -> T) -> [T] {
        var results = [T?](repeating: nil, count: windows.count)
        results.withUnsafeMutableBufferPointer { out in
            WorkQueue.run(windows.count, threads: threads) { out[$0] = body(windows[$0]) }
        }
        return results.map { $0! }
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
