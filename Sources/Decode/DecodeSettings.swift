import AtlasCore

/// The ᾱ (cumulative signal fraction) curve the sampler walks from noise to image.
public enum NoiseSchedule: String, Codable, Sendable, CaseIterable {
    case cosine
    case scaledLinear = "scaled_linear"
}

/// The `decode` section of a style. Keys in YAML are the snake_case property names; every key is
/// required, as in every other section (the base style gives them all).
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
    /// Half-width of the soft seam between neighbouring cells, as a fraction of the atlas radius.
    public var seam: Double
    /// How much of the low-pass of the current sample the denoiser mixes into its prediction:
    /// the higher, the more the forms are chosen by the noise.
    public var sampleMix: Double
    /// Strength of the semantic highlight on the highlighted words' glyphs (1 = full highlight
    /// colour at activation 1).
    public var highlightStrength: Double
    /// The glow around highlighted glyphs, relative to the glyphs' own highlight.
    public var highlightGlow: Double
    /// Size of the paper textures (1 = about 1/20 of the canvas per texture period).
    public var textureScale: Double
    /// How much the paper texture varies the lightness (0 = flat paper).
    public var textureStrength: Double
    /// Strength of the decoder's procedural print-resolution grain.
    public var detail: Double
    /// Font family and weight the regions' words are typeset in (one of the pinned fonts).
    public var textFamily: String
    public var textWeight: Int
    /// Smallest and largest type, as fractions of the page's short side.
    public var textMinimum: Double
    public var textMaximum: Double
    /// Space kept between the words and their cell's border, in em.
    public var textPadding: Double
    /// Line spacing as a multiple of the font's own.
    public var lineHeight: Double
    /// Cells with room to spare at the largest size repeat their text until they are full.
    public var textFill: Bool
    /// Lightness difference between a region's paper and its ink (OKLab L).
    public var inkContrast: Double

    public init(latentScale: Double, steps: Int, schedule: NoiseSchedule, eta: Double, bootstrapSteps: Int,
                seam: Double, sampleMix: Double, highlightStrength: Double, highlightGlow: Double,
                textureScale: Double, textureStrength: Double, detail: Double, textFamily: String, textWeight: Int,
                textMinimum: Double, textMaximum: Double, textPadding: Double, lineHeight: Double, textFill: Bool,
                inkContrast: Double) {
        self.latentScale = latentScale
        self.steps = steps
        self.schedule = schedule
        self.eta = eta
        self.bootstrapSteps = bootstrapSteps
        self.seam = seam
        self.sampleMix = sampleMix
        self.highlightStrength = highlightStrength
        self.highlightGlow = highlightGlow
        self.textureScale = textureScale
        self.textureStrength = textureStrength
        self.detail = detail
        self.textFamily = textFamily
        self.textWeight = textWeight
        self.textMinimum = textMinimum
        self.textMaximum = textMaximum
        self.textPadding = textPadding
        self.lineHeight = lineHeight
        self.textFill = textFill
        self.inkContrast = inkContrast
    }

    /// The values Styles/_base.yaml gives (a test keeps the two equal).
    public static let standard = DecodeSettings(
        latentScale: 0.25, steps: 30, schedule: .cosine, eta: 0.3, bootstrapSteps: 3,
        seam: 0.004, sampleMix: 0.6, highlightStrength: 1, highlightGlow: 0.35,
        textureScale: 1, textureStrength: 0.5, detail: 0.6, textFamily: "Inter", textWeight: 600,
        textMinimum: 0.0012, textMaximum: 0.05, textPadding: 0.3, lineHeight: 1, textFill: true,
        inkContrast: 0.5)

    public func check(_ check: inout SettingsCheck) {
        check.range("latent_scale", latentScale, 0.02...1)
        check.range("steps", steps, 1...1000)
        check.range("eta", eta, 0...1)
        check.range("bootstrap_steps", bootstrapSteps, 0...1000)
        check.range("seam", seam, 0...0.1)
        check.range("sample_mix", sampleMix, 0...2)
        check.range("highlight_strength", highlightStrength, 0...1)
        check.range("highlight_glow", highlightGlow, 0...1)
        check.range("texture_scale", textureScale, 0.05...20)
        check.range("texture_strength", textureStrength, 0...2)
        check.range("detail", detail, 0...2)
        check.require(!textFamily.isEmpty, "text_family", "must name a font family")
        check.range("text_weight", textWeight, 100...1000)
        check.range("text_minimum", textMinimum, 0.0005...0.2)
        check.range("text_maximum", textMaximum, 0.0005...0.5)
        check.require(textMaximum >= textMinimum, "text_maximum", "must be at least text_minimum (\(textMinimum))")
        check.range("text_padding", textPadding, 0...3)
        check.range("line_height", lineHeight, 0.7...3)
        check.range("ink_contrast", inkContrast, 0...0.9)
    }

    private enum CodingKeys: String, CodingKey {
        case latentScale, steps, schedule, eta, bootstrapSteps, seam, sampleMix, highlightStrength, highlightGlow
        case textureScale, textureStrength, detail, textFamily, textWeight, textMinimum, textMaximum, textPadding
        case lineHeight, textFill, inkContrast
    }
}
