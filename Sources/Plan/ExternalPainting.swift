import AtlasCore
import Foundation
import Graphics

/// An image painted outside the tool (a diffusion model, a person) for one plan, standing in for the
/// built-in decoder. It must carry the plan's fingerprint — in its `latentatlas:plan-fingerprint`
/// PNG text chunk or a side file `<stem>.plan-fingerprint` — or it is composited with a warning.
/// A painting of another size than the canvas is resampled (with a warning).
public struct ExternalPainting: Sendable {
    public static let textKey = "latentatlas:plan-fingerprint"
    public static let sideFileExtension = "plan-fingerprint"

    public let path: String
    /// FNV-1a 64 of the file's bytes: part of the render's fingerprint.
    public let hash: String
    public let width: Int
    public let height: Int
    /// Resampled, no fingerprint: said once, not fatal.
    public let warnings: [String]
    /// RGB, 8-bit sRGB, at the canvas size.
    let pixels: [UInt8]

    /// Reads `path` for `plan`; `planName` names the plan in errors (its file, or the input and latent).
    public static func load(_ path: String, for plan: RegionPlan, planName: String) throws -> ExternalPainting {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw PlanError.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        let contents: PNGContents
        do { contents = try PNGFile.read(path) } catch {
            throw PlanError.unreadable(path: path, reason: "it is not a PNG the tool can decode (\(error))")
        }
        var warnings: [String] = []
        if let recorded = recordedFingerprint(path: path, text: contents.text) {
            guard recorded == plan.fingerprint else {
                throw PlanError.fingerprintMismatch(painting: path, paintingFingerprint: recorded, plan: planName,
                                                    planFingerprint: plan.fingerprint)
            }
        } else {
            warnings.append("\(path) records no plan fingerprint (no \(textKey) text chunk, no .\(sideFileExtension) side file); compositing it as the painting of \(planName) unchecked")
        }
        let image = contents.image
        let w = plan.canvas.width, h = plan.canvas.height
        var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
        for i in 0..<(image.width * image.height) {
            rgb[i * 3] = image.pixels[i * 4]; rgb[i * 3 + 1] = image.pixels[i * 4 + 1]; rgb[i * 3 + 2] = image.pixels[i * 4 + 2]
        }
        if image.width != w || image.height != h {
            let aspect = abs(Double(image.width) / Double(image.height) / (Double(w) / Double(h)) - 1)
            warnings.append("\(path) is \(image.width)×\(image.height) but the canvas is \(w)×\(h); resampled"
                + (aspect > 0.01 ? String(format: " (aspect ratio off by %.0f %%, so it is stretched)", aspect * 100) : ""))
            rgb = Resample.rgb8(rgb, width: image.width, height: image.height, toWidth: w, toHeight: h)
        }
        return ExternalPainting(path: path, hash: StableHash.hex(StableHash.fnv1a(bytes)), width: w, height: h,
                                warnings: warnings, pixels: rgb)
    }

    /// The fingerprint recorded in the text chunk, else in the side file; nil when neither has one.
    public static func recordedFingerprint(path: String, text: [String: String]) -> String? {
        if let value = text[textKey]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty { return value }
        let side = sideFile(for: path)
        guard let data = FileManager.default.contents(atPath: side), let value = String(data: data, encoding: .utf8)?
            .trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// `<folder>/<stem>.plan-fingerprint` beside the painting.
    public static func sideFile(for path: String) -> String {
        (path as NSString).deletingPathExtension + "." + sideFileExtension
    }

    /// sRGB floats of `rect` (clamped to the canvas at its edges): a painting source for the compositor.
    public func render(_ rect: PixelRect) -> FloatImage {
        var out = FloatImage(width: rect.width, height: rect.height)
        pixels.withUnsafeBufferPointer { src in
            out.values.withUnsafeMutableBufferPointer { dst in
                for y in 0..<rect.height {
                    let sy = min(max(rect.y + y, 0), height - 1)
                    for x in 0..<rect.width {
                        let sx = min(max(rect.x + x, 0), width - 1)
                        let s = (sy * width + sx) * 3, d = (y * rect.width + x) * 3
                        dst[d] = Float(src[s]) / 255; dst[d + 1] = Float(src[s + 1]) / 255; dst[d + 2] = Float(src[s + 2]) / 255
                    }
                }
            }
        }
        return out
    }
}

/// Where the paintings of a render come from: one file, or a folder holding `<latent>.png` or
/// `<latent>/painting.png` (the layout `--export-plan` and the painters write).
public enum PaintingInput: Sendable, Equatable {
    case file(String)
    case folder(String)

    /// A folder when `path` is one, else a file.
    public init(path: String) {
        var isFolder: ObjCBool = false
        self = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue ? .folder(path) : .file(path)
    }

    /// The painting of `latent`; a file serves exactly one latent.
    public func path(for latent: String, among latents: [String]) throws -> String {
        switch self {
        case let .file(path):
            guard latents.count == 1 else { throw PlanError.onePaintingForMany(painting: path, latents: latents) }
            return path
        case let .folder(folder):
            let candidates = Self.candidates(folder: folder, latent: latent)
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw PlanError.missingPainting(folder: folder, latent: latent, expected: candidates.joined(separator: " or "))
            }
            return found
        }
    }

    static func candidates(folder: String, latent: String) -> [String] {
        let f = folder as NSString
        return [f.appendingPathComponent("\(latent).png"), f.appendingPathComponent("\(latent)/painting.png")]
    }

    /// One hash over the paintings of `latents` (a missing one counts as missing), for the render's
    /// fingerprint: changing any painting, or its side file, makes the render stale.
    public func hash(latents: [String]) -> String {
        var h = StableHash.of("paintings")
        for latent in latents {
            guard let path = try? self.path(for: latent, among: [latent]) else {
                h = StableHash.combine(h, StableHash.of("missing"))
                continue
            }
            h = StableHash.combine(h, FileManager.default.contents(atPath: path).map { StableHash.fnv1a($0) } ?? StableHash.of("missing"))
            if let side = FileManager.default.contents(atPath: ExternalPainting.sideFile(for: path)) {
                h = StableHash.combine(h, StableHash.fnv1a(side))
            }
        }
        return StableHash.hex(h)
    }
}
