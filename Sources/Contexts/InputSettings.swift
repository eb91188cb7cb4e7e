import AtlasCore

/// How inputs are read (the style's `input` section).
public struct InputSettings: Codable, Sendable, Equatable, SettingsChecked {
    /// Neuronpedia/SAEDashboard activation-range bin samples (`binMin` ≥ 0) join the top activations
    /// (`binMin` -1). Off by default: bins are samples across the range, not what activates the latent most.
    public var includeBins: Bool
    /// Sets every context's first-token activation to 0 before anything uses it (Gemma's BOS is
    /// conventionally zeroed before display).
    public var zeroFirstToken: Bool
    /// Longer context texts are cut (at a word) to this many characters, with a warning naming the line.
    public var maxTextCharacters: Int

    public init(includeBins: Bool = false, zeroFirstToken: Bool = false, maxTextCharacters: Int = 2000) {
        self.includeBins = includeBins
        self.zeroFirstToken = zeroFirstToken
        self.maxTextCharacters = maxTextCharacters
    }

    public func check(_ check: inout SettingsCheck) {
        check.range("max_text_characters", maxTextCharacters, 16...1_000_000)
    }
}
