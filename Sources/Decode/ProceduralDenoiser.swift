#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AtlasCore

/// The built-in denoiser: no weights, CPU only, deterministic.
///
/// Conditioning is the context itself: its own words typeset into its cell (the glyph coverage of
/// the window, rasterised at latent resolution by the sampler), a paper texture whose family and
/// parameters come from the embedding (`RegionLook`) and whose phase comes from the region's noise
/// stream, the hue family of its cluster, and the highlight on its highlighted words' glyphs with a
/// modest glow. Each step it predicts the clean window by reading a low-pass of the current noisy
/// sample, shrunk by how much signal that sample can hold at this noise level (a Wiener estimate),
/// letting it push the paper texture, then laying the ink of the letters over it. Early steps see
/// mostly noise; the letters are what the prediction keeps pulling toward, so over the steps the
/// words emerge from the noise.
public struct ProceduralDenoiser: Denoiser {
    public init() {}

    public struct Conditioning: Sendable {
        let look: RegionLook
        /// Per window texel, 0…1.
        let structure: [Float]
        /// Per window texel: ink coverage and highlight amount (glyph × weight, with its glow).
        let letters: [SIMD2<Float>]
        /// Low-pass radius in latent pixels.
        let blurRadius: Int
        let sampleMix: Float
    }

    public func condition(on window: RegionWindow, palette: Palette, settings: DecodeSettings) -> Conditioning {
        let look = RegionLook(features: window.region.features, cluster: window.region.cluster,
                              families: RegionLook.families(palette), settings: settings)
        // Texture period in latent pixels: a fraction of the canvas, so the picture keeps its
        // composition at any output size and only gains detail.
        let period = Float(settings.textureScale) * Float(min(window.canvasWidth, window.canvasHeight)) / 20
            / look.frequency
        let structure = ProceduralDenoiser.structureField(window: window, look: look, period: max(period, 1))
        // The glow: the highlighted glyphs spread by a fraction of the type size, below the glyphs' own strength.
        var letters = window.letters
        let strength = Float(settings.highlightStrength)
        if settings.highlightGlow > 0, letters.contains(where: { $0.y > 0 }) {
            let glowRadius = max(1, Int((window.typeSize * 0.12).rounded()))
            var glow = letters.map { SIMD4<Float>($0.y, 0, 0, 0) }
            var scratch = glow
            let w = window.rect.width, h = window.rect.height
            glow.withUnsafeMutableBufferPointer { g in
                scratch.withUnsafeMutableBufferPointer { s in BoxBlur.apply(g, width: w, height: h, radius: glowRadius, rounds: 2, scratch: s) }
            }
            let amount = Float(settings.highlightGlow)
            for i in letters.indices {
                letters[i].y = min(max(letters[i].y, glow[i].x * amount * 2) * strength, 1)
            }
        } else {
            for i in letters.indices { letters[i].y = min(letters[i].y * strength, 1) }
        }
        return Conditioning(
            look: look, structure: structure, letters: letters,
            blurRadius: max(1, Int((period * 0.3).rounded())),
            sampleMix: Float(settings.sampleMix))
    }

    public func predict(_ noisy: LatentWindow, at step: DenoiseStep, conditioning c: Conditioning,
                        into prediction: inout LatentWindow) {
        let width = noisy.rect.width, height = noisy.rect.height, count = width * height
        var cue = noisy.texels
        var scratch = [SIMD4<Float>](repeating: .zero, count: count)
        cue.withUnsafeMutableBufferPointer { cue in
            scratch.withUnsafeMutableBufferPointer { scratch in
                BoxBlur.apply(cue, width: width, height: height, radius: c.blurRadius, rounds: 2, scratch: scratch)
            }
        }
        // Wiener gain of the low-passed sample: x_t = √ᾱ·x₀ + √(1−ᾱ)·ε, clean structure variance ≈ 0.25,
        // noise variance after a 2-round box filter of width n ≈ (2/(3n))².
        let alphaBar = Float(step.alphaBar)
        let n = Float(2 * c.blurRadius + 1)
        let noiseVariance = (2 / (3 * n)) * (2 / (3 * n))
        let gain = alphaBar.squareRoot() * 0.25 / (alphaBar * 0.25 + (1 - alphaBar) * noiseVariance)
        let mean = c.look.meanTexel
        let look = c.look
        let push = c.sampleMix * 0.35
        let steep = look.steepness
        let norm = 1 / RegionLook.tanhApprox(steep * 0.5)
        let one = SIMD4<Float>(repeating: 1), minusOne = -one
        let ink = look.ink
        cue.withUnsafeBufferPointer { cue in
            c.structure.withUnsafeBufferPointer { structure in
                c.letters.withUnsafeBufferPointer { letters in
                    prediction.texels.withUnsafeMutableBufferPointer { out in
                        for i in 0..<count {
                            let deviation = (gain * (cue[i] - mean)).clamped(lowerBound: minusOne, upperBound: one)
                            let field = structure[i] + push * deviation.x
                            let t = 0.5 + 0.5 * norm * RegionLook.tanhApprox(steep * (field - 0.5))
                            var texel = look.color(t)
                            // Colour bleeds a little along the forms the sample already holds.
                            texel.y += push * 0.3 * deviation.y
                            texel.z += push * 0.3 * deviation.z
                            let g = letters[i]
                            texel += (ink - texel) * g.x
                            texel.w = g.y * 2 - 1
                            out[i] = texel
                        }
                    }
                }
            }
        }
    }

    /// The region's structure field 0…1: strata, mottling and veins (mixed by the look) on a
    /// domain-warped, rotated and stretched frame, over coarse forms at the region's scale and a
    /// slight glow toward its centre.
    static func structureField(window: RegionWindow, look: RegionLook, period: Float) -> [Float] {
        let rect = window.rect
        var field = [Float](repeating: 0.5, count: rect.width * rect.height)
        let seed = window.region.seed
        let warpNoise = LatticeNoise(seed: seed, stream: 11)
        let textureNoise = LatticeNoise(seed: seed, stream: 12)
        let veinNoise = LatticeNoise(seed: seed, stream: 13)
        let formNoise = LatticeNoise(seed: seed, stream: 14)
        let cx = Float(window.center.x), cy = Float(window.center.y)
        let radius = max(Float(window.radius), 1)
        let cosA = cos(look.angle), sinA = sin(look.angle)
        let stretch = 1 / look.anisotropy
        let family = look.family
        field.withUnsafeMutableBufferPointer { out in
            for y in 0..<rect.height {
                for x in 0..<rect.width {
                    let qx = Float(rect.x + x) + 0.5 - cx, qy = Float(rect.y + y) + 0.5 - cy
                    let ux = (qx * cosA + qy * sinA) / period * stretch
                    let uy = (-qx * sinA + qy * cosA) / period
                    let wx = ux + look.warp * warpNoise.fractal(ux * 0.5, uy * 0.5, octaves: 2)
                    let wy = uy + look.warp * warpNoise.fractal(ux * 0.5 + 31.7, uy * 0.5 - 12.9, octaves: 2)
                    let strata = 0.5 + 0.5 * sin(2 * .pi * wy)
                    let mottle = 0.5 + 0.6 * textureNoise.fractal(wx, wy, octaves: 5)
                    let ridge = 1 - abs(veinNoise.fractal(wx * 0.7, wy * 0.7, octaves: 4))
                    let veins = ridge * ridge * ridge
                    let texture = family.x * strata + family.y * mottle + family.z * veins
                    let form = 0.5 + 0.6 * formNoise.fractal(qx / (radius * 0.55), qy / (radius * 0.55), octaves: 2)
                    let d2 = (qx * qx + qy * qy) / (radius * radius)
                    let glow = max(1 - d2, 0) - 0.5
                    let v = 0.5 + look.contrast * (0.55 * (texture - 0.5) + 0.5 * (form - 0.5)) + 0.12 * glow
                    out[y * rect.width + x] = min(max(v, 0), 1)
                }
            }
        }
        return field
    }
}

extension RegionLook {
    /// Padé approximant of tanh, exact enough on the clamped range and much cheaper.
    @inline(__always)
    static func tanhApprox(_ x: Float) -> Float {
        let x = min(max(x, -3), 3)
        return x * (27 + x * x) / (27 + 9 * x * x)
    }
}
