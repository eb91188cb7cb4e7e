import ArgumentParser
import AtlasCore
import Compare
import Styles

/// Comparison tolerances: a settings file first, then any flag given on top.
struct ToleranceOptions: ParsableArguments {
    @Option(name: .long, help: "Tolerance settings file (YAML: threshold, include_antialiasing, max_differing_share, min_ssim, masks).")
    var tolerance: String?

    @Option(name: .long, help: "pixelmatch colour threshold 0…1 (default 0.1); smaller is stricter.")
    var threshold: Double?

    @Option(name: .customLong("max-differing"), help: "Share of pixels (0…1) allowed to differ (default 0.001).")
    var maxDifferingShare: Double?

    @Option(name: .customLong("min-ssim"), help: "Fail when SSIM is below this.")
    var minSSIM: Double?

    @Flag(name: .customLong("include-aa"), help: "Count anti-aliased edge pixels as differences too.")
    var includeAntialiasing = false

    @Option(name: .long, help: ArgumentHelp("Ignore a rectangle (repeatable).", valueName: "x,y,width,height"))
    var mask: [String] = []

    func validate() throws {
        if let t = threshold, !(0...1).contains(t) { throw ValidationError("--threshold \(t) is out of range; expected 0…1.") }
        if let m = maxDifferingShare, !(0...1).contains(m) { throw ValidationError("--max-differing \(m) is out of range; expected 0…1.") }
        for m in mask where rect(m) == nil { throw ValidationError("--mask '\(m)' is not x,y,width,height with whole numbers.") }
    }

    func rect(_ s: String) -> PixelRect? {
        let v = s.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard v.count == 4, v[2] > 0, v[3] > 0 else { return nil }
        return PixelRect(x: v[0], y: v[1], width: v[2], height: v[3])
    }

    /// `fallbackFile` is a golden folder's own `tolerance.yaml`, used when no `--tolerance` is given.
    func resolve(fallbackFile: String? = nil) throws -> Tolerance {
        var t = Tolerance.standard
        if let file = tolerance ?? fallbackFile { t = try ToleranceFile.load(file) }
        if let v = threshold { t.threshold = v }
        if let v = maxDifferingShare { t.maxDifferingShare = v }
        if let v = minSSIM { t.minSSIM = v }
        if includeAntialiasing { t.includeAntialiasing = true }
        t.masks += mask.compactMap(rect)
        return t
    }
}
