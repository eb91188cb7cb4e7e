import AtlasCore
import Foundation

/// What a painter needs to paint one latent's atlas, and nothing about how the tool draws over it:
/// the canvas, the atlas disc, and per region its text, highlighted words, size, place and seed,
/// with masks that tile the disc. `atlas render --export-plan` writes it, a diffusion model (or
/// `atlas paint`) paints it, and `atlas render --painting` composites the painting.
///
/// The JSON schema is versioned (`schema`, `version`); keys are snake_case and written sorted, so
/// the same plan is the same bytes. Pixel coordinates are output pixels of the canvas, origin at
/// the top left, y down, pixel centres at +0.5.
public struct RegionPlan: Codable, Equatable, Sendable {
    public static let schemaName = "latentatlas.region-plan"
    public static let currentVersion = 1

    public var schema: String = RegionPlan.schemaName
    public var version: Int = RegionPlan.currentVersion
    /// Hash of every field that changes the painting (all but this one and `style`): a painting
    /// records it, and compositing checks it against the plan the render computes.
    public var fingerprint: String
    /// The latent's name (the render's file stem) and title.
    public var latent: String
    public var title: String
    /// The style the plan was made with (informational; not part of the fingerprint).
    public var style: StyleInfo
    /// The render's seed; every region has its own seed derived from its id.
    public var seed: UInt64
    public var canvas: Canvas
    public var disc: Disc
    /// Half-width in pixels of the soft seam between neighbouring cells.
    public var seam: Double
    public var background: Background
    /// The colour the built-in decoder paints highlighted words in.
    public var highlightColor: String
    public var masks: Masks
    /// Strongest first (`rank` 0); `label` is the region's value in the label map.
    public var regions: [Region]

    public struct StyleInfo: Codable, Equatable, Sendable {
        public var name: String
        public var hash: String
        public init(name: String, hash: String) { self.name = name; self.hash = hash }
    }

    public struct Canvas: Codable, Equatable, Sendable {
        /// The painting's size in pixels (the whole page raster, bleed included).
        public var width: Int
        public var height: Int
        public var dpi: Double
        public init(width: Int, height: Int, dpi: Double) { self.width = width; self.height = height; self.dpi = dpi }
    }

    public struct Disc: Codable, Equatable, Sendable {
        public var center: [Double]
        public var radius: Double
        public init(center: SIMD2<Double>, radius: Double) { self.center = [center.x, center.y]; self.radius = radius }
        public var centerPoint: SIMD2<Double> { SIMD2(center[0], center[1]) }
    }

    public struct Background: Codable, Equatable, Sendable {
        /// A prompt for everything outside the atlas disc (label 0).
        public var prompt: String
        /// The style's background colour, `#rrggbb`.
        public var color: String
        public init(prompt: String, color: String) { self.prompt = prompt; self.color = color }
    }

    /// How the masks are stored: two PNGs, 8-bit RGB, where `R + 256·G` is a region's `label`
    /// (0 = outside the disc / no runner-up) and `B/255` its soft weight there. A region's mask is
    /// the owner file's weight where it owns the pixel plus the runner-up file's weight where it is
    /// the runner-up; inside the disc the masks of all regions sum to 1.
    public struct Masks: Codable, Equatable, Sendable {
        public var encoding: String
        public var owner: String
        public var runnerUp: String
        public static let standard = Masks(encoding: "rgb8:label=r+256g,weight=b/255", owner: "labels.png", runnerUp: "runner-up.png")
        public init(encoding: String, owner: String, runnerUp: String) { self.encoding = encoding; self.owner = owner; self.runnerUp = runnerUp }
        enum CodingKeys: String, CodingKey { case encoding, owner, runnerUp = "runner_up" }
    }

    /// One word of a region's text, in reading order, with its highlight weight (0 = not highlighted).
    public struct Word: Codable, Equatable, Sendable {
        public var text: String
        public var weight: Double
        public init(text: String, weight: Double) { self.text = text; self.weight = weight }
    }

    public struct Highlight: Codable, Equatable, Sendable {
        public var word: String
        /// Normalised activation 0…1.
        public var weight: Double
        public init(word: String, weight: Double) { self.word = word; self.weight = weight }
    }

    public struct Region: Codable, Equatable, Sendable {
        /// The context's id in the input.
        public var id: String
        /// Its value in the label map (`index + 1`; 0 is the background).
        public var label: Int
        public var text: String
        /// The text with highlighted runs wrapped in `{{…}}`.
        public var markedText: String
        /// The text's words as the built-in decoder letters them.
        public var words: [Word]
        /// The highlighted words, strongest first.
        public var highlights: [Highlight]
        public var score: Double
        /// 0 = strongest score.
        public var rank: Int
        public var cluster: Int
        public var clusterLabel: String
        /// The cluster's palette colour, `#rrggbb`.
        public var color: String
        public var center: [Double]
        public var radius: Double
        /// Its weight w in the power diagram (px²): pixel p belongs to the region minimising |p − centre|² − w.
        /// Balanced so each cell's area follows radius², as the built-in decoder paints them.
        public var powerWeight: Double
        /// The region's own noise seed.
        public var seed: UInt64

        public init(id: String, label: Int, text: String, markedText: String, words: [Word], highlights: [Highlight], score: Double,
                    rank: Int, cluster: Int, clusterLabel: String, color: String, center: SIMD2<Double>, radius: Double,
                    powerWeight: Double, seed: UInt64) {
            self.id = id
            self.label = label
            self.text = text
            self.markedText = markedText
            self.words = words
            self.highlights = highlights
            self.score = score
            self.rank = rank
            self.cluster = cluster
            self.clusterLabel = clusterLabel
            self.color = color
            self.center = [center.x, center.y]
            self.radius = radius
            self.powerWeight = powerWeight
            self.seed = seed
        }

        public var centerPoint: SIMD2<Double> { SIMD2(center[0], center[1]) }

        enum CodingKeys: String, CodingKey {
            case id, label, text, markedText = "marked_text", highlights, score, rank, cluster, clusterLabel = "cluster_label"
            case words, color, center, radius, powerWeight = "power_weight", seed
        }
    }

    enum CodingKeys: String, CodingKey {
        case schema, version, fingerprint, latent, title, style, seed, canvas, disc, seam, background
        case highlightColor = "highlight_color", masks, regions
    }

    /// A plan with its fingerprint worked out.
    public init(latent: String, title: String, style: StyleInfo, seed: UInt64, canvas: Canvas, disc: Disc, seam: Double,
                background: Background, highlightColor: String, masks: Masks = .standard, regions: [Region]) {
        fingerprint = ""
        self.latent = latent
        self.title = title
        self.style = style
        self.seed = seed
        self.canvas = canvas
        self.disc = disc
        self.seam = seam
        self.background = background
        self.highlightColor = highlightColor
        self.masks = masks
        self.regions = regions
        fingerprint = computedFingerprint()
    }

    /// FNV-1a 64 of the plan's JSON without its fingerprint and style: what the painting depends on.
    public func computedFingerprint() -> String {
        var bare = self
        bare.fingerprint = ""
        bare.style = StyleInfo(name: "", hash: "")
        return StableHash.hex(StableHash.fnv1a(bare.jsonData()))
    }

    /// Sorted keys, two-space indent: the same plan is the same bytes.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain values into JSON cannot fail (no non-finite numbers reach here: they are checked on decode and build).
        return (try? encoder.encode(self)) ?? Data()
    }
}
