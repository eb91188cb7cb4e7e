import AtlasCore
import Foundation

/// What a render was made from and where every context landed. Written as JSON beside each render.
public struct Manifest: Codable, Sendable, Equatable {
    public struct Input: Codable, Sendable, Equatable {
        public var path: String
        /// FNV-1a 64 of the input file's bytes.
        public var hash: String
        public var format: String

        public init(path: String, hash: String, format: String) {
            self.path = path; self.hash = hash; self.format = format
        }
    }

    public struct LatentInfo: Codable, Sendable, Equatable {
        public var name: String
        public var title: String?
        public var model: String?
        public var layer: String?
        public var index: String?
        public var description: String?

        public init(name: String, title: String?, model: String?, layer: String?, index: String?, description: String?) {
            self.name = name; self.title = title; self.model = model; self.layer = layer; self.index = index
            self.description = description
        }
    }

    public struct StyleInfo: Codable, Sendable, Equatable {
        public var name: String
        public var hash: String
        public var overrides: [String]

        public init(name: String, hash: String, overrides: [String]) {
            self.name = name; self.hash = hash; self.overrides = overrides
        }
    }

    public struct CanvasInfo: Codable, Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var dpi: Double
        public var widthCentimetres: Double
        public var heightCentimetres: Double

        public init(width: Int, height: Int, dpi: Double, widthCentimetres: Double, heightCentimetres: Double) {
            self.width = width; self.height = height; self.dpi = dpi
            self.widthCentimetres = widthCentimetres; self.heightCentimetres = heightCentimetres
        }
    }

    /// The atlas disc in output pixels (y down).
    public struct Disc: Codable, Sendable, Equatable {
        public var center: [Double]
        public var radius: Double

        public init(center: [Double], radius: Double) {
            self.center = center; self.radius = radius
        }
    }

    /// A highlighted word as painted: its weight and the boxes (x, y, width, height in output
    /// pixels, y down) of each place its glyphs were painted.
    public struct HighlightedWord: Codable, Sendable, Equatable {
        public var word: String
        public var weight: Double
        public var boxes: [[Double]]

        public init(word: String, weight: Double, boxes: [[Double]]) {
            self.word = word; self.weight = weight; self.boxes = boxes
        }
    }

    public struct ContextEntry: Codable, Sendable, Equatable {
        public var id: String
        public var score: Double
        /// In the unit disc, y up.
        public var position: [Double]
        /// Region radius in unit-disc units.
        public var radius: Double
        public var cluster: Int?
        /// The text with `{{…}}` around the highlighted words.
        public var markedText: String
        /// Region centre and radius in output pixels (y down).
        public var centerPx: [Double]?
        public var radiusPx: Double?
        /// The highlighted words where they were painted (absent when nothing was painted).
        public var highlighted: [HighlightedWord]?

        public init(id: String, score: Double, position: [Double], radius: Double, cluster: Int?, markedText: String,
                    centerPx: [Double]? = nil, radiusPx: Double? = nil, highlighted: [HighlightedWord]? = nil) {
            self.id = id; self.score = score; self.position = position; self.radius = radius
            self.cluster = cluster; self.markedText = markedText
            self.centerPx = centerPx; self.radiusPx = radiusPx; self.highlighted = highlighted
        }
    }

    public var tool: String
    public var version: String
    /// Fingerprint of (input bytes, resolved style, seed, tool version): equal fingerprints render equal bytes.
    public var fingerprint: String
    public var input: Input
    public var latent: LatentInfo
    public var style: StyleInfo
    public var seed: UInt64
    public var canvas: CanvasInfo
    /// Where the atlas disc sits on the page.
    public var atlas: Disc?
    public var outputs: [String]
    public var warnings: [String]
    public var contexts: [ContextEntry]
    /// Seconds per stage. The only part of a manifest that changes between identical runs.
    public var timings: [String: Double]

    public init(fingerprint: String, input: Input, latent: LatentInfo, style: StyleInfo, seed: UInt64, canvas: CanvasInfo,
                atlas: Disc? = nil, outputs: [String], warnings: [String], contexts: [ContextEntry], timings: [String: Double]) {
        tool = ToolVersion.name
        version = ToolVersion.current
        self.fingerprint = fingerprint
        self.input = input
        self.latent = latent
        self.style = style
        self.seed = seed
        self.canvas = canvas
        self.atlas = atlas
        self.outputs = outputs
        self.warnings = warnings
        self.contexts = contexts
        self.timings = timings
    }

    public func jsonData() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return try e.encode(self)
    }

    public static func read(_ path: String) throws -> Manifest {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try d.decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
