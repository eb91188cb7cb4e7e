/// Wall-clock seconds spent in each stage of `LatentDecoder.paint`, so later work knows where time goes.
/// Decoding to pixels happens later, per tile, and is timed by whoever calls `Painting.render`.
public struct DecodeTimings: Sendable, Equatable {
    /// The power cells (balanced), the lettering of every cell and the latent-resolution letter masks.
    public var planning: Double = 0
    /// Looks, paper structure and glow, worked out once per region.
    public var conditioning: Double = 0
    /// All denoiser predictions over all steps.
    public var denoise: Double = 0
    /// Mask-weighted fusion plus the DDIM update over all steps.
    public var fusion: Double = 0
    public var steps: Int = 0

    public init() {}

    public var total: Double { planning + conditioning + denoise + fusion }
}
