import AtlasCore
import Contexts
import Foundation

/// One `atlas select` run: one embedding matrix and its texts, scanned once against every
/// target direction; each target becomes a contexts JSONL (and a histogram PNG).
public struct Selection {
    public struct Target: Sendable, Equatable {
        public var direction: String
        /// Header fields given by the user; the rest are inferred (`Selection.info`).
        public var name: String?
        public var title: String?
        public var model: String?
        public var layer: String?
        public var index: String?
        /// The JSONL to write; `nil` means `<name>.jsonl` in `outputFolder`.
        public var output: String?
        /// The histogram PNG; `nil` means beside the output as `<name>.histogram.png`; "" for none.
        public var histogram: String?

        public init(direction: String, name: String? = nil, title: String? = nil, model: String? = nil, layer: String? = nil,
                    index: String? = nil, output: String? = nil, histogram: String? = nil) {
            self.direction = direction; self.name = name; self.title = title; self.model = model; self.layer = layer
            self.index = index; self.output = output; self.histogram = histogram
        }
    }

    /// What was written for one target.
    public struct Outcome: Sendable {
        public var name: String
        public var output: String
        public var histogram: String?
        public var record: SelectionRecord
        public var ignoredFields: [String]
    }

    public var embeddings: String
    public var texts: String
    public var targets: [Target]
    public var settings: SelectSettings
    public var palette: Palette
    public var family: String
    public var outputFolder: String
    public var threads: Int

    public init(embeddings: String, texts: String, targets: [Target], settings: SelectSettings, palette: Palette, family: String,
                outputFolder: String = ".", threads: Int = Parallel.allCores) {
        self.embeddings = embeddings; self.texts = texts; self.targets = targets; self.settings = settings
        self.palette = palette; self.family = family; self.outputFolder = outputFolder; self.threads = threads
    }

    /// Timings of the stages, seconds.
    public struct Timings: Sendable {
        public var open = 0.0, scan = 0.0, write = 0.0, histogram = 0.0
        public init() {}
    }

    public func run(timings: inout Timings, scanned: ((Scan, Matrix) -> Void)? = nil) throws -> [Outcome] {
        var clock = Date()
        func lap() -> Double { let now = Date(); defer { clock = now }; return now.timeIntervalSince(clock) }
        // Everything that can be wrong is checked before the scan.
        let matrix = try MatrixFile.open(embeddings)
        try matrix.requireMatrix()
        let directions = try targets.map { try Direction.read($0.direction) }
        for d in directions where d.dimension != matrix.columns {
            throw SelectError.dimensionMismatch(direction: d.file ?? "'\(d.spec)'", directionDimension: d.dimension,
                                                embeddings: matrix.name, embeddingDimension: matrix.columns)
        }
        let table = try TextTable(path: texts)
        guard table.count == matrix.rows else {
            throw SelectError.rowCountMismatch(texts: texts, lines: table.count, embeddings: matrix.name, rows: matrix.rows)
        }
        let top = min(settings.top, matrix.rows)
        timings.open = lap()
        let scan = try Scanner.scan(matrix, directions: directions, top: top, threads: threads)
        scanned?(scan, matrix)
        timings.scan = lap()
        var outcomes: [Outcome] = []
        var names = Set<String>()
        for (target, result) in zip(targets, scan.results) {
            let info = Self.info(for: result.direction, target: target)
            guard names.insert(info.name).inserted else {
                throw SelectError.badDirection(spec: target.direction, reason: "another direction is also named '\(info.name)'; give each a --name")
            }
            // Every usable score's distribution: recorded in the header (the data browser shows it) and charted.
            let histogram = Histogram(scores: result.scores, top: result.top, statistics: result.statistics, maxBins: settings.maxBins)
            let latent = try SelectedLatent(info: info, result: result, scan: scan, matrix: matrix, texts: table, embeddingsSpec: embeddings,
                                            histogram: histogram)
            let output = target.output ?? (outputFolder as NSString).appendingPathComponent("\(info.name).jsonl")
            try latent.write(to: output)
            timings.write += lap()
            var histogramPath: String?
            if target.histogram != "" {
                let path = target.histogram ?? ((output as NSString).deletingPathExtension + ".histogram.png")
                try HistogramChart(histogram: histogram, record: latent.record, title: info.title ?? info.name, topScores: result.top.map(\.score),
                                   palette: palette, family: family, width: settings.histogramWidth, height: settings.histogramHeight).write(to: path)
                histogramPath = path
                timings.histogram += lap()
            }
            outcomes.append(Outcome(name: info.name, output: output, histogram: histogramPath, record: latent.record, ignoredFields: latent.ignoredFields))
        }
        return outcomes
    }

    /// The header for a direction: what the user gave, else what the files say — a SAELens
    /// `cfg.json` beside the weights (`model_name`, `hook_layer` or `hook_name`), a Gemma Scope
    /// path (`layer_12/…/params.npz`), the row as the index — else a name made from the spec.
    public static func info(for direction: Direction, target: Target) -> SelectedLatent.Info {
        var model: String?, layer: String?
        if let file = direction.file {
            let path = file.components(separatedBy: ":")[0]
            let folder = (path as NSString).deletingLastPathComponent
            let cfg = (folder.isEmpty ? "." : folder as NSString).appendingPathComponent("cfg.json")
            if let data = FileManager.default.contents(atPath: cfg), let v = try? JSONParser.parse(Array(data)) {
                if case let .string(m)? = v.value["model_name"]?.value { model = m }
                if case let .number(l)? = v.value["hook_layer"]?.value { layer = String(Int(l)) }
                else if case let .string(hook)? = v.value["hook_name"]?.value,
                        let n = hook.split(separator: ".").dropFirst().first, Int(n) != nil { layer = String(n) }
            }
            if layer == nil, let part = path.split(separator: "/").last(where: { $0.hasPrefix("layer_") }), Int(part.dropFirst(6)) != nil {
                layer = String(part.dropFirst(6))
            }
        }
        let index = target.index ?? direction.row.map(String.init)
        let name: String
        if let n = target.name { name = n } else if let file = direction.file {
            let parts = file.components(separatedBy: ":")
            let base = ((parts[0] as NSString).lastPathComponent as NSString).deletingPathExtension
            name = ([base] + parts.dropFirst() + (direction.row.map { [String($0)] } ?? [])).joined(separator: "-")
        } else {
            name = "direction"
        }
        return SelectedLatent.Info(name: name, title: target.title, model: target.model ?? model, layer: target.layer ?? layer, index: index)
    }
}
