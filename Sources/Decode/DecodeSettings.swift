import AtlasCore

/// The ᾱ (cumulative signal fraction) curve the sampler walks from noise to image.
public enum NoiseSchedule: String, Codable, Sendable, CaseIterable {
    case cosine
    case scaledLinear = "scaled_linear"
}

/// The `decode` section of a style. Keys in YAML are the snake_case property names; keys a style
/// leaves out take their `standard` value.
public struct DecodeSettings: Codable, Sendable, Equatable, SettingsChecked {
    /// Latent canvas size as a fraction of the output size.
    public var latentScale: Double
    /// Denoising steps (≥ 1).
    public var steps: Int
    public var schedule: NoiseSchedule
    /// DDIM stochasticity: 0 is deterministic DDIM, 1 is DDPM-like.
    public var eta: Double
    /// Leading steps in which each region is denoised against a flat random background
    /// (more than `steps` means all of them).
    public var bootstrapSteps: Int
    /// Width of the soft mask edge as a fraction of the radius; 0 is a hard edge.
    public var feather: Double
    /// How strongly, where regions overlap, the one nearer its centre leads the fusion:
    /// 0 is MultiDiffusion's plain mask-weighted average, higher keeps each region legible.
    public var blendSharpness: Double
    /// Irregularity of region outlines as a fraction of the radius; 0 is a perfect circle.
    public var edgeWobble: Double
    /// How much of the low-pass of the current sample the denoiser mixes into its prediction:
    /// the higher, the more the forms are chosen by the noise.
    public var sampleMix: Double
    /// Strength of the semantic-highlight motifs (1 = full highlight colour at activation 1).
    public var highlightStrength: Double
    /// Size of the region textures (1 = about 1/20 of the canvas per texture period).
    public var textureScale: Double
    /// Strength of the decoder's procedural print-resolution detail.
    public var detail: Double
    /// Weight of the background colour against the region masks where their edges fade out.
    public var backgroundPrior: Double

    public init(latentScale: Double, steps: Int, schedule: NoiseSchedule, eta: Double, bootstrapSteps: Int,
                feather: Double, blendSharpness: Double, edgeWobble: Double, sampleMix: Double, highlightStrength: Double,
                textureScale: Double, detail: Double, backgroundPrior: Double) {
        self.latentScale = latentScale
        self.steps = steps
        self.schedule = schedule
        self.eta = eta
        self.bootstrapSteps = bootstrapSteps
        self.feather = feather
        self.blendSharpness = blendSharpness
        self.edgeWobble = edgeWobble
        self.sampleMix = sampleMix
        self.highlightStrength = highlightStrength
        self.textureScale = textureScale
        self.detail = detail
        self.backgroundPrior = backgroundPrior
    }

    public static let standard = DecodeSettings(
        latentScale: 0.25, steps: 30, schedule: .cosine, eta: 0.3, bootstrapSteps: 3,
        feather: 0.35, blendSharpness: 8, edgeWobble: 0.12, sampleMix: 0.6, highlightStrength: 1,
        textureScale: 1, detail: 1, backgroundPrior: 0.15)

    public func check(_ check: inout SettingsCheck) {
        check.range("latent_scale", latentScale, 0.02...1)
        check.range("steps", steps, 1...1000)
        check.range("eta", eta, 0...1)
        check.range("bootstrap_steps", bootstrapSteps, 0...1000)
        check.range("feather", feather, 0...1)
        check.range("blend_sharpness", blendSharpness, 0...50)
        check.range("edge_wobble", edgeWobble, 0...0.5)
        check.range("sample_mix", sampleMix, 0...2)
        check.range("highlight_strength", highlightStrength, 0...2)
        check.range("texture_scale", textureScale, 0.05...20)
        check.range("detail", detail, 0...2)
        check.range("background_prior", backgroundPrior, 0...1)
    }

    private enum CodingKeys: String, CodingKey {
        case latentScale, steps, schedule, eta, bootstrapSteps, feather, blendSharpness, edgeWobble, sampleMix
        case highlightStrength, textureScale, detail, backgroundPrior
    }

    public init(from decoder: any Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let s = DecodeSettings.standard
        latentScale = try c.decodeIfPresent(Double.self, forKey: .latentScale) ?? s.latentScale
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? s.steps
        schedule = try c.decodeIfPresent(NoiseSchedule.self, forKey: .schedule) ?? s.schedule
        eta = try c.decodeIfPresent(Double.self, forKey: .eta) ?? s.eta
        bootstrapSteps = try c.decodeIfPresent(Int.self, forKey: .bootstrapSteps) ?? s.bootstrapSteps
        feather = try c.decodeIfPresent(Double.self, forKey: .feather) ?? s.feather
        blendSharpness = try c.decodeIfPresent(Double.self, forKey: .blendSharpness) ?? s.blendSharpness
        edgeWobble = try c.decodeIfPresent(Double.self, forKey: .edgeWobble) ?? s.edgeWobble
        sampleMix = try c.decodeIfPresent(Double.self, forKey: .sampleMix) ?? s.sampleMix
        highlightStrength = try c.decodeIfPresent(Double.self, forKey: .highlightStrength) ?? s.highlightStrength
        textureScale = try c.decodeIfPresent(Double.self, forKey: .textureScale) ?? s.textureScale
        detail = try c.decodeIfPresent(Double.self, forKey: .detail) ?? s.detail
        backgroundPrior = try c.decodeIfPresent(Double.self, forKey: .backgroundPrior) ?? s.backgroundPrior
    }
}
