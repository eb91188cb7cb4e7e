import AtlasCore

/// Predicts the clean latent of one region's window from the noisy window at one step, conditioned
/// on the region. The sampler calls it per window (never per pixel), so a neural model can stand in
/// for the built-in procedural one without touching the sampler.
public protocol Denoiser: Sendable {
    /// Everything about a region that does not change between steps, worked out once.
    associatedtype Conditioning: Sendable

    func condition(on region: RegionWindow, palette: Palette, settings: DecodeSettings) -> Conditioning

    /// Writes the predicted clean texels for `noisy.rect` into `prediction` (same rect and size).
    func predict(_ noisy: LatentWindow, at step: DenoiseStep, conditioning: Conditioning,
                 into prediction: inout LatentWindow)
}

/// A rectangle of latent texels: OKLab L, a, b and a highlight amount, in latent units
/// (see `LatentWindow.encode`), row by row.
public struct LatentWindow: Sendable, Equatable {
    /// Position on the latent canvas, in latent pixels.
    public let rect: PixelRect
    /// `rect.width * rect.height` texels, row-major.
    public var texels: [SIMD4<Float>]

    public init(rect: PixelRect, fill: SIMD4<Float> = .zero) {
        self.rect = rect
        texels = [SIMD4<Float>](repeating: fill, count: max(rect.width, 0) * max(rect.height, 0))
    }

    /// Latent units of an OKLab colour with a highlight amount 0…1 (clean colours span about −1…1).
    public static func encode(oklab: SIMD3<Double>, highlight: Double) -> SIMD4<Float> {
        LatentColor.encode(oklab: SIMD3(Float(oklab.x), Float(oklab.y), Float(oklab.z)), highlight: Float(highlight))
    }
}

/// A region placed on the latent canvas: what a denoiser needs to know about where it paints.
public struct RegionWindow: Sendable {
    /// The context being painted.
    public let region: Region
    /// Index of the region in the caller's list.
    public let index: Int
    /// Centre and radius in latent pixels.
    public let center: SIMD2<Double>
    public let radius: Double
    /// The texels the region's cell reaches (with its seams), clipped to the canvas (non-empty).
    public let rect: PixelRect
    /// Latent canvas size in pixels.
    public let canvasWidth: Int
    public let canvasHeight: Int
    /// The region's share of each window texel (1 inside its cell, fading across seams, 0 elsewhere).
    public let coverage: [Float]
    /// Per window texel: the coverage of the region's typeset words (ink) and of its highlighted
    /// words times their weight, rasterised at latent resolution.
    public let letters: [SIMD2<Float>]
    /// Size of the region's type in latent pixels (0 when it has no words).
    public let typeSize: Double
}

/// Where the sampler is on its way from noise to image.
public struct DenoiseStep: Sendable {
    /// 0 for the first (noisiest) step.
    public let index: Int
    public let count: Int
    /// ᾱ of the current sample (≈0 pure noise, 1 clean) and of the sample this step produces.
    public let alphaBar: Double
    public let alphaBarNext: Double
}
