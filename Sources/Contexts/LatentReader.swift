import AtlasCore
import Foundation

/// Reads latents from the supported input formats (see README "Input formats"). The format is
/// recognised by content (gzip by its magic bytes, then the first record's fields), never by the
/// file's extension alone.
public enum LatentReader {
    public enum Format: String, Sendable, CaseIterable {
        /// LatentAtlas JSONL: one context per line, optional `{"latent": {...}}` header line.
        case contextsJSONL = "jsonl"
        /// A Neuronpedia feature (`/api/feature/…`: a `Neuron` row with `activations` and `explanations`).
        case neuronpediaFeature = "neuronpedia"
        /// Neuronpedia `Activation` rows, one per line (an export's `activations/batch-N.jsonl.gz`); several features.
        case neuronpediaBulk = "neuronpedia-bulk"
        /// SAEDashboard's feature-batch JSON (`batch-N.json`: `model_id`, `layer`, `sae_set`, `features`).
        case saeDashboardBatch = "saedashboard"
        /// A Neuronpedia export's source folder (`<model>/<source>/` with `activations/`, `explanations/`, `features/`).
        case neuronpediaExport = "neuronpedia-export"
        /// Neuronpedia `Explanation` rows (an export's `explanations/`): read beside activations, not an input.
        case neuronpediaExplanations = "neuronpedia-explanations"
        /// Neuronpedia `Neuron` rows without activations (an export's `features/`): read beside activations, not an input.
        case neuronpediaFeatureRows = "neuronpedia-features"

        public var displayName: String {
            switch self {
            case .contextsJSONL: return "LatentAtlas contexts JSONL"
            case .neuronpediaFeature: return "Neuronpedia feature JSON"
            case .neuronpediaBulk: return "Neuronpedia activation rows (JSONL)"
            case .saeDashboardBatch: return "SAEDashboard feature-batch JSON"
            case .neuronpediaExport: return "Neuronpedia export folder"
            case .neuronpediaExplanations: return "Neuronpedia explanation rows (JSONL)"
            case .neuronpediaFeatureRows: return "Neuronpedia feature rows (JSONL)"
            }
        }

        /// Whether `atlas render` reads it as contexts.
        public var isInput: Bool { self != .neuronpediaExplanations && self != .neuronpediaFeatureRows }
    }

    /// The fields a contexts-JSONL line may have.
    public static let contextFields = ["id", "text", "score", "tokens", "activations", "embedding", "position", "cluster"]
    /// The fields a contexts-JSONL header's `latent` object may have.
    public static let headerFields = ["name", "title", "model", "layer", "index", "description", "selection"]

    /// Reads every latent in `path` (a bulk export holds many). Dead latents are returned marked
    /// (`Latent.dead`) so a batch can report them; `render` refuses them.
    public static func read(_ path: String, settings: InputSettings = InputSettings()) throws -> [Latent] {
        if isDirectory(path) {
            do {
                return try NeuronpediaReader.readExportFolder(path, settings: settings)
            } catch let error as InputError {
                throw error.inFormat(Format.neuronpediaExport.displayName)
            }
        }
        return try read(path, data: nil, settings: settings)
    }

    /// Reads `data`, the bytes of the file at `path` as stored (a batch hashes and reads them in one go).
    public static func read(_ path: String, data: Data?, settings: InputSettings = InputSettings()) throws -> [Latent] {
        var format: Format?
        do {
            var file = try data.map { try InputFile(path: path, data: $0) } ?? InputFile(path: path)
            let detected = try detect(&file)
            format = detected
            var latents: [Latent]
            switch detected {
            case .contextsJSONL: latents = [try readContexts(&file, settings: settings)]
            case .neuronpediaFeature: latents = [try NeuronpediaReader.readFeature(&file, settings: settings)]
            case .neuronpediaBulk: latents = try NeuronpediaReader.readBulk(&file, settings: settings)
            case .saeDashboardBatch: latents = try NeuronpediaReader.readSAEDashboard(&file, settings: settings)
            case .neuronpediaExplanations, .neuronpediaFeatureRows:
                throw InputError.notAnInput(file: path, format: detected.displayName,
                                            hint: "it is read beside the activations/ folder of the same export; render the activations file or the export folder")
            case .neuronpediaExport: latents = []
            }
            for i in latents.indices { latents[i].format = detected.displayName }
            for l in latents where l.contexts.isEmpty && l.dead == nil {
                throw InputError.noContexts(file: path, skipped: l.warnings.filter { $0.kind == .emptyText }.count)
            }
            return latents
        } catch let error as InputError {
            throw format.map { error.inFormat($0.displayName) } ?? error
        }
    }

    /// The format of `path`, by content (for `--verbose` and batch discovery); reads only the start of the file.
    public static func format(of path: String) throws -> Format {
        if isDirectory(path) {
            guard NeuronpediaReader.activationFiles(in: path).isEmpty == false else { throw InputError.unknownFormat(file: path) }
            return .neuronpediaExport
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { _ = try InputFile(path: path); throw InputError.unknownFormat(file: path) }
        defer { try? handle.close() }
        var head = [UInt8](handle.readData(ofLength: 1 << 20))
        if Gzip.isGzip(head) {
            // Enough inflated text for a first line; a feature JSON's first record may be long.
            head = (try? Gzip.inflate(head, limit: 1 << 22)) ?? []
        }
        var probe = try InputFile(path: path, data: Data(head))
        return try detect(&probe, sniffing: true)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Works out the format from the first record's fields. `sniffing` (a file's start only) accepts
    /// a first line that is cut off, judging by its leading fields.
    static func detect(_ file: inout InputFile, sniffing: Bool = false) throws -> Format {
        var probe = file
        guard let first = probe.lines().first(where: { !isBlank($0.bytes) }) else {
            throw InputError.noContexts(file: file.path, skipped: 0)
        }
        if let v = try? file.json(first), let format = classify(v.value) { return format }
        let startsObject = first.bytes.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{")
        guard startsObject else {
            // A file named as JSON that is not: its syntax error says more than "unknown format".
            if JSONExtension.matches(file.path) { _ = try file.json(first) }
            throw InputError.unknownFormat(file: file.path)
        }
        // A pretty-printed JSON document: its first line is not a record.
        if (try? file.json(first)) == nil {
            if sniffing {
                let keys = topLevelKeys(file.bytes)
                if keys.contains("features") { return .saeDashboardBatch }
                if keys.contains("activations") || keys.contains("modelId") { return .neuronpediaFeature }
                if keys.contains("tokens") && keys.contains("values") { return .neuronpediaBulk }
                if keys.contains("text") || keys.contains("latent") { return .contextsJSONL }
                throw InputError.unknownFormat(file: file.path)
            }
            // A JSONL line with a syntax error is reported as such, not as an unknown format.
            let root: JSONValue.Located
            do {
                root = try file.json()
            } catch {
                // A line of its own that is broken JSON points at that line; a broken document at its own error.
                if first.bytes.filter({ $0 != 0x20 && $0 != 0x09 }) != [UInt8(ascii: "{")] { _ = try file.json(first) }
                throw error
            }
            if let format = classify(root.value), format == .neuronpediaFeature || format == .saeDashboardBatch { return format }
        }
        throw InputError.unknownFormat(file: file.path)
    }

    /// The format a record's fields say it is, if any.
    static func classify(_ v: JSONValue) -> Format? {
        guard case let .object(fields) = v else { return nil }
        let keys = Set(fields.map(\.key))
        if case .array? = v["features"]?.value, keys.contains("sae_set") || keys.contains("model_id") || keys.count <= 4 { return .saeDashboardBatch }
        if case .array? = v["activations"]?.value, !keys.isDisjoint(with: ["modelId", "layer", "index", "explanations", "maxActApprox"]) {
            return .neuronpediaFeature
        }
        if keys.contains("latent") || keys.contains("text") { return .contextsJSONL }
        if keys.contains("tokens") && keys.contains("values") { return .neuronpediaBulk }
        if keys.contains("tokens") && keys.contains("activations") { return .contextsJSONL }
        if keys.contains("score") { return .contextsJSONL }
        if keys.contains("description") && !keys.isDisjoint(with: ["authorId", "explanationModelName", "typeName"]) { return .neuronpediaExplanations }
        if !keys.isDisjoint(with: ["maxActApprox", "frac_nonzero", "neg_str", "hasVector", "freq_hist_data_bar_heights"]) {
            return .neuronpediaFeatureRows
        }
        return nil
    }

    /// The keys of the outermost object in a (possibly cut-off) JSON text: depth-1 strings followed by ':'.
    static func topLevelKeys(_ bytes: [UInt8]) -> Set<String> {
        var keys = Set<String>()
        var depth = 0, i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                var j = i + 1
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
                if depth == 1 {
                    var k = j + 1
                    while k < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[k]) { k += 1 }
                    if k < bytes.count, bytes[k] == UInt8(ascii: ":"), j <= bytes.count {
                        keys.insert(String(decoding: bytes[(i + 1)..<min(j, bytes.count)], as: UTF8.self))
                    }
                }
                i = j + 1
                continue
            }
            if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") { depth += 1 }
            if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") { depth -= 1 }
            i += 1
        }
        return keys
    }

    static func isBlank(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    /// A name safe for file names: lower case letters, digits, '.', '_' and '-'.
    public static func safeName(_ s: String) -> String {
        let mapped = s.lowercased().unicodeScalars.map { c -> Character in
            (c.properties.isAlphabetic && c.isASCII) || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-" ? Character(c) : "-"
        }
        let collapsed = String(mapped).split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        return collapsed.isEmpty ? "latent" : collapsed
    }

    /// A file's name without the extensions of the formats read (`flags.contexts.jsonl.gz` → `flags.contexts`).
    public static func stem(_ path: String) -> String {
        var name = (path as NSString).lastPathComponent
        for ext in [".gz", ".jsonl", ".ndjson", ".json"] where name.lowercased().hasSuffix(ext) && name.count > ext.count {
            name = String(name.dropLast(ext.count))
        }
        return name
    }

    /// A title for a latent without an explanation or header title: its id in words
    /// (`flags.contexts` → "flags contexts"; a Neuronpedia id → "gemma-2-2b · 20-gemmascope-res-16k · feature 12082").
    public static func readableTitle(name: String, model: String? = nil, layer: String? = nil, index: String? = nil) -> String {
        if let index, model != nil || layer != nil {
            return ([model, layer].compactMap { $0 } + ["feature \(index)"]).joined(separator: " · ")
        }
        let words = name.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" }).joined(separator: " ")
        return words.isEmpty ? name : words
    }

    // MARK: LatentAtlas JSONL

    private struct ContextLine {
        var id: String
        var rawText: String?
        var score: Double?
        var tokens: [String]?
        var activations: [Double]?
        var embedding: [Float]?
        var position: SIMD2<Double>?
        var cluster: Int?
        var line: Int
        var reader: FieldReader
    }

    static func readContexts(_ file: inout InputFile, settings: InputSettings) throws -> Latent {
        let path = file.path
        var latent = Latent(name: stem(path), contexts: [], source: path)
        var headerTitle: String?
        var firstLineOfID: [String: Int] = [:]
        var sawRecord = false
        var tally = WarningTally()
        var lines: [ContextLine] = []
        for line in file.lines() where !isBlank(line.bytes) {
            let v = try file.json(line)
            let r = try FieldReader(file: path, object: v)
            if !sawRecord, let header = r.value("latent") {
                sawRecord = true
                let h = try FieldReader(file: path, object: header, prefix: "latent.")
                latent.name = try h.label("name") ?? latent.name
                headerTitle = try h.string("title")
                latent.model = try h.string("model")
                latent.layer = try h.label("layer")
                latent.index = try h.label("index")
                latent.description = try h.string("description")
                if let selection = h.value("selection") {
                    var selectionWarnings: [InputWarning] = []
                    latent.selection = try readSelection(selection, file: path, warnings: &selectionWarnings)
                    tally.add(selectionWarnings, key: groupKey)
                }
                tally.add(h.unknownFields(known: headerFields), key: groupKey)
                tally.add(r.unknownFields(known: ["latent"]), key: groupKey)
                continue
            }
            sawRecord = true
            tally.add(r.unknownFields(known: contextFields), key: groupKey)
            tally.add(r.ignoredNonFinite(used: contextFields), key: groupKey)
            let id = try r.label("id") ?? String(line.number)
            if let first = firstLineOfID[id] {
                throw InputError.duplicateID(r.location("id", r.value("id")), id: id, firstLine: first)
            }
            firstLineOfID[id] = line.number
            let tokens = try r.strings("tokens")
            var activations = try r.numbers("activations")
            try checkPairs(tokens: tokens, activations: activations, reader: r, tokensKey: "tokens", activationsKey: "activations")
            if settings.zeroFirstToken, activations?.isEmpty == false { activations![0] = 0 }
            var entry = ContextLine(id: id, rawText: try r.string("text"), score: try r.number("score"), tokens: tokens,
                                    activations: activations, line: line.number, reader: r)
            if entry.rawText == nil && tokens == nil {
                throw InputError.missingField(r.location("text"), expected: "the context's text as a string (or 'tokens' and 'activations' to derive it from)")
            }
            if entry.score == nil && activations == nil {
                throw InputError.missingField(r.location("score"), expected: "the context's score as a finite number (or 'activations' to take the largest of)")
            }
            if let e = try r.numbers("embedding") {
                guard !e.isEmpty else { throw InputError.invalidValue(r.location("embedding"), reason: "the embedding is empty", expected: "an array of at least one number") }
                entry.embedding = e.map { Float($0) }
            }
            if let p = try r.numbers("position") {
                guard p.count == 2 else { throw InputError.invalidValue(r.location("position"), reason: "the position has \(p.count) numbers", expected: "[x, y]") }
                entry.position = SIMD2(p[0], p[1])
            }
            entry.cluster = try r.integer("cluster")
            lines.append(entry)
        }
        // One token family for the whole latent.
        let family = lines.contains { $0.tokens != nil } ? TokenFamily.detect(lines.lazy.compactMap(\.tokens).joined()) : nil
        latent.tokenFamily = family
        var derivedText = 0, derivedScore = 0
        var firstDerived: (text: InputLocation?, score: InputLocation?) = (nil, nil)
        for e in lines {
            let r = e.reader
            var text: String
            var spans: [Range<Int>] = []
            var tokens = e.tokens, activations = e.activations
            if let raw = e.rawText {
                let markup = HighlightMarkup.parse(raw)
                if markup.unbalanced {
                    tally.add(InputWarning(kind: .unbalancedMarkup, location: r.location("text"),
                                           message: "highlight braces do not pair up; the text was kept as written (use {word} or {{several words}})"))
                }
                text = markup.text
                spans = markup.spans
            } else {
                text = WordPieces.text(of: WordPieces.words(tokens: tokens!, activations: activations!, family: family))
                derivedText += 1
                if firstDerived.text == nil { firstDerived.text = r.location("text") }
            }
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                tally.add(InputWarning(kind: .emptyText, location: r.location("text"), message: "context '\(e.id)' has empty text and was skipped"),
                          key: "empty|\(e.id)")
                continue
            }
            if text.count > settings.maxTextCharacters {
                let cut = Truncation.cut(text, to: settings.maxTextCharacters)
                tally.add(InputWarning(kind: .textTruncated, location: r.location("text"),
                                       message: "the text of context '\(e.id)' has \(text.count) characters; only the first \(cut.count) were kept (input.max_text_characters is \(settings.maxTextCharacters))"),
                          key: "truncated|\(e.id)")
                text = cut
                spans = spans.compactMap { $0.lowerBound < cut.count ? $0.lowerBound..<min($0.upperBound, cut.count) : nil }
                if let t = tokens, let a = activations {
                    let n = Truncation.tokenCount(t, a, family: family, characters: cut.count)
                    tokens = Array(t.prefix(n))
                    activations = Array(a.prefix(n))
                }
            }
            let score: Double
            if let s = e.score {
                score = s
            } else {
                score = activations?.max() ?? 0
                derivedScore += 1
                if firstDerived.score == nil { firstDerived.score = r.location("score") }
            }
            latent.contexts.append(Context(id: e.id, text: text, score: score, tokens: tokens, activations: activations,
                                           markedSpans: spans, embedding: e.embedding, position: e.position, cluster: e.cluster,
                                           line: e.line))
        }
        if let dims = latent.contexts.first(where: { $0.embedding != nil })?.embedding?.count {
            for c in latent.contexts where c.embedding?.count != dims {
                throw InputError.invalidValue(InputLocation(file: path, line: c.line, field: "embedding"),
                                              reason: c.embedding == nil ? "this context has no embedding but others do" : "the embedding has \(c.embedding!.count) numbers, others have \(dims)",
                                              expected: "every context to have an embedding of \(dims) numbers, or none to have one")
            }
        }
        latent.title = headerTitle ?? latent.description ?? readableTitle(name: latent.name, model: latent.model, layer: latent.layer, index: latent.index)
        if !latent.contexts.isEmpty, latent.contexts.allSatisfy({ $0.score <= 0 && ($0.activations?.allSatisfy { $0 <= 0 } ?? true) }) {
            latent.dead = "every one of its \(latent.contexts.count) contexts has score and activations 0 or below"
        }
        latent.warnings = file.warnings + tally.warnings
        return latent
    }

    /// The header's `selection` record, written by `atlas select`.
    static func readSelection(_ v: JSONValue.Located, file: String, warnings: inout [InputWarning]) throws -> SelectionRecord {
        let r = try FieldReader(file: file, object: v, prefix: "latent.selection.")
        func need<T>(_ key: String, _ value: T?) throws -> T {
            guard let value else { throw InputError.missingField(r.location(key), expected: "the selection's '\(key)' as `atlas select` writes it") }
            return value
        }
        warnings += r.unknownFields(known: SelectionRecord.keys)
        let embeddings = try need("embeddings", r.string("embeddings")), texts = try need("texts", r.string("texts"))
        let direction = try need("direction", r.string("direction")), dtype = try need("dtype", r.string("dtype"))
        let rows: Int = try need("rows", r.integer("rows")), dimension: Int = try need("dimension", r.integer("dimension"))
        let skipped: Int = try need("skipped_rows", r.integer("skipped_rows")), top: Int = try need("top", r.integer("top"))
        let threshold: Double = try need("threshold", r.number("threshold")), mean: Double = try need("mean", r.number("mean"))
        let std: Double = try need("std", r.number("std")), topScore: Double = try need("top_score", r.number("top_score"))
        let tool = try need("tool", r.string("tool"))
        // Optional (older selections have none): every usable score's distribution.
        var histogram: SelectionRecord.ScoreHistogram?
        if let h = r.value("histogram") {
            let hr = try FieldReader(file: file, object: h, prefix: "latent.selection.histogram.")
            let lower: Double = try need("histogram.lower", hr.number("lower")), width: Double = try need("histogram.width", hr.number("width"))
            let counts = try need("histogram.counts", hr.numbers("counts"))
            guard width > 0, !counts.isEmpty, counts.allSatisfy({ $0 >= 0 && $0 == $0.rounded() }) else {
                throw InputError.wrongType(r.location("histogram", h), expected: "a histogram with width > 0 and whole counts", got: "width \(width), \(counts.count) counts")
            }
            histogram = SelectionRecord.ScoreHistogram(lower: lower, width: width, counts: counts.map { Int($0) })
        }
        return SelectionRecord(embeddings: embeddings, texts: texts, direction: direction, rows: rows, dimension: dimension, dtype: dtype,
                               skippedRows: skipped, top: top, threshold: threshold, mean: mean, std: std, topScore: topScore, tool: tool,
                               histogram: histogram)
    }

    /// Groups a warning's repeats across records and array items.
    static func groupKey(_ w: InputWarning) -> String { w.kind.rawValue + "|" + w.message.withoutIndices }

    static func checkPairs(tokens: [String]?, activations: [Double]?, reader r: FieldReader, tokensKey: String, activationsKey: String) throws {
        switch (tokens, activations) {
        case let (t?, a?) where t.count != a.count:
            throw InputError.lengthMismatch(r.location(activationsKey, r.value(activationsKey)), tokens: t.count, activations: a.count)
        case (nil, _?):
            throw InputError.missingField(r.location(tokensKey), expected: "a '\(tokensKey)' array to go with '\(activationsKey)'")
        case (_?, nil):
            throw InputError.missingField(r.location(activationsKey), expected: "an '\(activationsKey)' array to go with '\(tokensKey)'")
        default: break
        }
    }
}

/// Cutting an overlong text at a word, and the tokens that spell the kept part.
enum Truncation {
    static func cut(_ text: String, to limit: Int) -> String {
        let head = text.prefix(limit)
        if let space = head.lastIndex(where: { $0.isWhitespace }), head.distance(from: head.startIndex, to: space) > limit / 2 {
            return String(head[..<space])
        }
        return String(head)
    }

    /// How many leading tokens spell at most `characters` characters of text.
    static func tokenCount(_ tokens: [String], _ activations: [Double], family: TokenFamily?, characters: Int) -> Int {
        let words = WordPieces.words(tokens: tokens, activations: activations, family: family)
        var length = 0
        for (i, w) in words.enumerated() {
            length += (i == 0 ? 0 : w.separator.count) + w.text.count
            if length > characters { return w.tokens.lowerBound }
        }
        return tokens.count
    }
}

extension InputError {
    /// The same error, naming the detected format.
    func inFormat(_ format: String) -> InputError {
        func f(_ l: InputLocation) -> InputLocation { var l = l; if l.format == nil { l.format = format }; return l }
        switch self {
        case let .unreadable(l, r): return .unreadable(f(l), reason: r)
        case let .invalidUTF8(l, o): return .invalidUTF8(f(l), byteOffset: o)
        case let .invalidJSON(l, c, r): return .invalidJSON(f(l), column: c, reason: r)
        case let .wrongType(l, e, g): return .wrongType(f(l), expected: e, got: g)
        case let .missingField(l, e): return .missingField(f(l), expected: e)
        case let .notFinite(l): return .notFinite(f(l))
        case let .lengthMismatch(l, t, a): return .lengthMismatch(f(l), tokens: t, activations: a)
        case let .duplicateID(l, id, first): return .duplicateID(f(l), id: id, firstLine: first)
        case let .invalidValue(l, r, e): return .invalidValue(f(l), reason: r, expected: e)
        case .noContexts, .unknownFormat, .notAnInput, .deadFeature: return self
        }
    }
}

enum JSONExtension {
    static func matches(_ path: String) -> Bool {
        var n = path.lowercased()
        if n.hasSuffix(".gz") { n = String(n.dropLast(3)) }
        return n.hasSuffix(".jsonl") || n.hasSuffix(".ndjson") || n.hasSuffix(".json")
    }
}
