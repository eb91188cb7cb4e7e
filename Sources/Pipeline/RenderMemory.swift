import Foundation
import Encode
import Graphics
import Styles

/// How much memory a render will need, worked out from the style before anything is read or drawn,
/// and how big its streamed bands may be so the whole render stays within its budget.
///
/// The stages and what they hold at their peak (bytes, calibrated by `make bench ARGS=memory`, which
/// measures peak RSS of real renders):
/// - the process itself, fonts, the input and its layout: `fixedBytes` plus `inputBytesFactor` × the
///   input file's size;
/// - decoding (when the `painting` layer is on): `decodeBytesPerTexel` per latent texel
///   (canvas × `decode.latent_scale`²) while the sampler runs, of which `retainedBytesPerTexel` stay for
///   the bands to decode from; `--save-steps` adds a full-page float image while decoding;
/// - the bands in flight: `bandBytesPerPixel` per band pixel (float tile, the painting's glyph
///   coverage, Cairo surface, PNG rows), `threads + 1` bands of `bandPixels / threads` at once, and
///   no band larger than `AtlasWriter.fastestBandPixels`; a PNG and a PDF written together carry
///   each band's quantised raster for the PDF too (3 bytes a pixel per 8 bits of depth);
/// - a PDF's image streams through the same bands (nothing page-sized is held);
/// - layer files: written one after another through the same bands, so nothing more.
///
/// Whatever the budget leaves after the rest goes to the bands. When even one-row bands do not fit, or
/// decoding alone needs more than the budget, the render is refused with the estimate.
public struct RenderMemory: Sendable, Equatable {
    // Calibrated on the current decoder (Benchmarks/memory/peak-rss.sh, `poster` style,
    // sea-light.jsonl, 2 threads): 4096² peaked at 219 MB (the painted bands' stage: a million
    // pixels a band), 8192² at 437 MB (decoding: ~89 bytes a texel over the process), 8192² and
    // 16384² without a painting at 172 and 181 MB (the bands alone). Each constant is rounded up
    // from those with 10-25 % to spare (repeated runs vary by up to 10 %), so the estimate stays
    // above every measured peak; `RenderMemoryCalibrationTests` holds the whole table (16384², 1431
    // MB, and the exhibition preset, 441 MB, too).
    public static let fixedBytes: UInt64 = 64 << 20
    public static let inputBytesFactor: UInt64 = 8
    public static let decodeBytesPerTexel: Double = 110
    public static let retainedBytesPerTexel: Double = 16
    public static let bandBytesPerPixel: Double = 56
    public static let stepImageBytesPerPixel: Double = 16

    /// The budget the render must fit in.
    public var budget: UInt64
    /// Everything but the bands: process, input, the decoded canvas kept for the bands.
    public var baseBytes: UInt64
    /// The decoding stage's peak, process and input included (0 without a painting).
    public var decodePeak: UInt64
    /// Bytes for one band pixel in flight (`threads + 1` bands of `bandPixels / threads` pixels).
    public var bytesPerBandPixel: Double
    /// The smallest bands possible: one row per thread.
    public var minimumBandPixels: Int
    /// The whole page: bands larger than it buy nothing.
    public var pagePixels: Int

    /// The largest bands worth having: `threads` bands of `AtlasWriter.fastestBandPixels`, or the page.
    public var fastestBandPixels: Int
    /// Pixels of the bands rendered at once, set within the budget (at least the minimum, at most
    /// the fastest).
    public var bandPixels: Int {
        let room = budget > baseBytes ? Double(budget - baseBytes) : 0
        return min(fastestBandPixels, max(minimumBandPixels, Int(room / bytesPerBandPixel)))
    }

    /// The render's estimated peak with the bands it will use.
    public var peak: UInt64 {
        max(decodePeak, baseBytes + UInt64(Double(bandPixels) * bytesPerBandPixel))
    }

    /// The smallest peak possible (one-row bands): what the render needs at the least.
    public var needed: UInt64 {
        max(decodePeak, baseBytes + UInt64(Double(minimumBandPixels) * bytesPerBandPixel))
    }

    public var fits: Bool { needed <= budget }

    /// Estimates a render of `style` writing `formats` (and the layer files, and every `saveSteps`-th
    /// step) on `threads` threads within `budget` bytes (default: the style's `output.memory_budget_mb`).
    public init(style: Style, formats: [OutputFormat]? = nil, layerFiles: Bool? = nil, saveSteps: Int? = nil, threads: Int,
                inputBytes: UInt64 = 0, budget: UInt64? = nil) {
        let s = style.settings
        let width = s.canvas.width, height = s.canvas.height
        let pixels = Double(width) * Double(height)
        let threads = max(1, threads)
        self.budget = budget ?? UInt64(s.output.memoryBudgetMb) << 20
        let process = Self.fixedBytes + Self.inputBytesFactor * inputBytes
        var base = Double(process)
        var decode = 0.0
        if s.layers.contains(.painting) {
            let texels = pixels * s.decode.latentScale * s.decode.latentScale
            decode = Double(process) + texels * Self.decodeBytesPerTexel
            if let n = saveSteps, n > 0 { decode += pixels * Self.stepImageBytesPerPixel }
            base += texels * Self.retainedBytesPerTexel
        }
        let written = formats ?? s.output.formats
        let pdfRaster = written.contains(.pdf) && (written.contains(.png) || written.contains(.html)) ? Double(3 * s.output.bitDepth / 8) : 0
        baseBytes = UInt64(base)
        decodePeak = UInt64(decode)
        bytesPerBandPixel = (Self.bandBytesPerPixel + pdfRaster) * Double(threads + 1) / Double(threads)
        minimumBandPixels = width * threads
        pagePixels = width * height
        fastestBandPixels = max(minimumBandPixels, min(pagePixels, threads * AtlasWriter.fastestBandPixels))
    }

    /// Throws `MemoryError.doesNotFit` when even the smallest bands do not fit the budget.
    public func check(raise: String) throws {
        guard fits else { throw MemoryError.doesNotFit(needed: needed, budget: budget, raise: raise) }
    }
}

/// A render that cannot fit its memory budget, refused before anything is read or drawn.
public enum MemoryError: Error, Equatable, CustomStringConvertible {
    /// `raise` names what the user can raise (`--memory or output.memory_budget_mb`).
    case doesNotFit(needed: UInt64, budget: UInt64, raise: String)

    public var description: String {
        switch self {
        case let .doesNotFit(needed, budget, raise):
            return "this render needs ~\(Self.size(needed)); budget \(Self.size(budget)); raise \(raise), or make the canvas smaller."
        }
    }

    /// `1.5 GB`, `300 MB`, `12 KB`.
    public static func size(_ bytes: UInt64) -> String {
        let b = Double(bytes)
        if b >= Double(1 << 30) { return String(format: b >= 10 * Double(1 << 30) ? "%.0f GB" : "%.1f GB", b / Double(1 << 30)) }
        if b >= Double(1 << 20) { return String(format: "%.0f MB", b / Double(1 << 20)) }
        return String(format: "%.0f KB", max(1, b / 1024))
    }
}
