import AtlasCore
import Foundation

/// Reads latents from the supported input formats (see README "Input formats").
public enum LatentReader {
    public enum Format: String, Sendable, CaseIterable {
        /// LatentAtlas JSONL: one context per line, optional `{"latent": {...}}` header line.
        case contextsJSONL = "jsonl"
        /// A Neuronpedia feature export (`modelId`, `layer`, `index`, `explanations`, `activations`).
        case neuronpediaFeature = "neuronpedia"
        /// Neuronpedia bulk-export activation rows, one per line; may hold several features.
        case neuronpediaBulk = "neuronpedia-bulk"
    }

    /// The fields a contexts-JSONL line may have.
    public static let contextFields = ["id", "text", "score", "tokens", "activations", "embedding", "position", "cluster"]
    /// The fields a contexts-JSONL header's `latent` object may have.
    public static let headerFields = ["name", "title", "model", "layer", "index", "description", "selection"]
    static let activationFields = ["tokens", "values", "maxValue", "maxValueTokenIndex", "id", "modelId", "layer", "index",
                                   "binMin", "binMax", "binContains", "dataIndex", "dataSource", "creatorId", "createdAt",
                                   "lossValues", "logitContributions", "dfaValues", "dfaTargetIndex", "dfaMaxValue",
                                   "qualifyingTokenIndex", "featureIndex", "explanation"]

    /// Reads every latent in `path` (a bulk export may hold several).
    public static func read(_ path: String) throws -> [Latent] {
        var file = try InputFile(path: path)
        let format = try detect(&file)
        let latents: [Latent]
        switch format {
        case .contextsJSONL: latents = [try readContexts(&file)]
        case .neuronpediaFeature: latents = [try readFeature(&file)]
        case .neuronpediaBulk: latents = try readBulk(&file)
        }
        for l in latents where l.contexts.isEmpty {
            throw InputError.noContexts(file: path, skipped: l.warnings.filter { $0.kind == .emptyText }.count)
        }
        return latents
    }

    /// Works out the format from the extension and the first record.
    static func detect(_ file: inout InputFile) throws -> Format {
        let ext = (file.path as NSString).pathExtension.lowercased()
        if ext == "json" { return .neuronpediaFeature }
        guard ext == "jsonl" || ext == "ndjson" else { throw InputError.unknownFormat(file: file.path) }
        var probe = file
        guard let first = probe.lines().first(where: { !isBlank($0.bytes) }) else {
            throw InputError.noContexts(file: file.path, skipped: 0)
        }
        let v = try file.json(first)
        if v.value["text"] == nil, v.value["latent"] == nil, v.value["values"] != nil, v.value["tokens"] != nil {
            return .neuronpediaBulk
        }
        return .contextsJSONL
    }

    static func isBlank(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 } }

    // MARK: LatentAtlas JSONL

    static func readContexts(_ file: inout InputFile) throws -> Latent {
        let path = file.path
        var latent = Latent(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension, contexts: [], source: path)
        var firstLineOfID: [String: Int] = [:]
        var sawRecord = false
        var warnings: [InputWarning] = []
        for line in file.lines() where !isBlank(line.bytes) {
            let v = try file.json(line)
            let r = try FieldReader(file: path, object: v)
            if !sawRecord, let header = r.value("latent") {
                sawRecord = true
                let h = try FieldReader(file: path, object: header, prefix: "latent.")
                latent.name = try h.label("name") ?? latent.name
                latent.title = try h.string("title")
                latent.model = try h.string("model")
                latent.layer = try h.label("layer")
                latent.index = try h.label("index")
                latent.description = try h.string("description")
                if let selection = h.value("selection") { latent.selection = try readSelection(selection, file: path, warnings: &warnings) }
                warnings += h.unknownFields(known: headerFields)
                warnings += r.unknownFields(known: ["latent"])
                continue
            }
            sawRecord = true
            warnings += r.unknownFields(known: contextFields)
            guard let rawText = try r.string("text") else {
                throw InputError.missingField(r.location("text"), expected: "the context's text as a string")
            }
            guard let score = try r.number("score") else {
                throw InputError.missingField(r.location("score"), expected: "the context's score as a finite number")
            }
            let id = try r.label("id") ?? String(line.number)
            if let first = firstLineOfID[id] {
                throw InputError.duplicateID(r.location("id", r.value("id")), id: id, firstLine: first)
            }
            firstLineOfID[id] = line.number
            let markup = HighlightMarkup.parse(rawText)
            if markup.unbalanced {
                warnings.append(InputWarning(kind: .unbalancedMarkup, location: r.location("text"),
                                             message: "highlight braces do not pair up; the text was kept as written (use {word} or {{several words}})"))
            }
            if markup.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                warnings.append(InputWarning(kind: .emptyText, location: r.location("text"), message: "context '\(id)' has empty text and was skipped"))
                continue
            }
            let tokens = try r.strings("tokens")
            let activations = try r.numbers("activations")
            try checkPairs(tokens: tokens, activations: activations, reader: r, tokensKey: "tokens", activationsKey: "activations")
            var context = Context(id: id, text: markup.text, score: score, tokens: tokens, activations: activations,
                                  markedSpans: markup.spans, line: line.number)
            if let e = try r.numbers("embedding") {
                guard !e.isEmpty else { throw InputError.invalidValue(r.location("embedding"), reason: "the embedding is empty", expected: "an array of at least one number") }
                context.embedding = e.map { Float($0) }
            }
            if let p = try r.numbers("position") {
                guard p.count == 2 else { throw InputError.invalidValue(r.location("position"), reason: "the position has \(p.count) numbers", expected: "[x, y]") }
                context.position = SIMD2(p[0], p[1])
            }
            context.cluster = try r.integer("cluster")
            latent.contexts.append(context)
        }
        if let dims = latent.contexts.first(where: { $0.embedding != nil })?.embedding?.count {
            for c in latent.contexts where c.embedding?.count != dims {
                throw InputError.invalidValue(InputLocation(file: path, line: c.line, field: "embedding"),
                                              reason: c.embedding == nil ? "this context has no embedding but others do" : "the embedding has \(c.embedding!.count) numbers, others have \(dims)",
                                              expected: "every context to have an embedding of \(dims) numbers, or none to have one")
            }
        }
        latent.warnings = file.warnings + warnings
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
        return SelectionRecord(embeddings: embeddings, texts: texts, direction: direction, rows: rows, dimension: dimension, dtype: dtype,
                               skippedRows: skipped, top: top, threshold: threshold, mean: mean, std: std, topScore: topScore, tool: tool)
    }

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

    // MARK: Neuronpedia

    /// One Neuronpedia activation record → a context whose text is the detokenised tokens.
    static func context(fromActivation v: JSONValue.Located, file: String, prefix: String, fallbackID: String,
                        warnings: inout [InputWarning]) throws -> Context? {
        let r = try FieldReader(file: file, object: v, prefix: prefix)
        warnings += r.unknownFields(known: activationFields)
        guard let tokens = try r.strings("tokens") else { throw InputError.missingField(r.location("tokens"), expected: "an array of token strings") }
        guard let values = try r.numbers("values") else { throw InputError.missingField(r.location("values"), expected: "an array of activation values, one per token") }
        guard tokens.count == values.count else { throw InputError.lengthMismatch(r.location("values", r.value("values")), tokens: tokens.count, activations: values.count) }
        let score = try r.number("maxValue") ?? values.max() ?? 0
        if let top = try r.integer("maxValueTokenIndex"), !(0..<max(tokens.count, 1)).contains(top) {
            throw InputError.invalidValue(r.location("maxValueTokenIndex", r.value("maxValueTokenIndex")),
                                          reason: "index \(top) is outside the \(tokens.count) tokens", expected: "an index from 0 to \(max(tokens.count - 1, 0))")
        }
        let text = WordPieces.text(of: WordPieces.words(tokens: tokens, activations: values))
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            warnings.append(InputWarning(kind: .emptyText, location: r.location("tokens"), message: "activation has no text and was skipped"))
            return nil
        }
        return Context(id: try r.label("id") ?? fallbackID, text: text, score: score, tokens: tokens, activations: values, line: v.line)
    }

    static func readFeature(_ file: inout InputFile) throws -> Latent {
        let path = file.path
        let root = try file.json()
        let r = try FieldReader(file: path, object: root)
        let model = try r.string("modelId")
        let layer = try r.label("layer")
        let index = try r.label("index")
        guard let acts = try r.array("activations") else {
            throw InputError.missingField(r.location("activations"), expected: "an array of activation records (Neuronpedia feature JSON)")
        }
        var warnings: [InputWarning] = []
        var description: String?
        if let ex = try r.array("explanations"), let first = ex.first {
            description = try FieldReader(file: path, object: first, prefix: "explanations[0].").string("description")
        }
        var contexts: [Context] = []
        var firstLine: [String: Int] = [:]
        for (i, a) in acts.enumerated() {
            guard let c = try context(fromActivation: a, file: path, prefix: "activations[\(i)].", fallbackID: String(i), warnings: &warnings) else { continue }
            if let f = firstLine[c.id] {
                throw InputError.duplicateID(InputLocation(file: path, line: c.line, field: "activations[\(i)].id"), id: c.id, firstLine: f)
            }
            firstLine[c.id] = c.line
            contexts.append(c)
        }
        let name = [model, layer, index].compactMap { $0 }.joined(separator: "-")
        let fallback = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return Latent(name: name.isEmpty ? fallback : name, title: description, model: model, layer: layer, index: index,
                      description: description, contexts: contexts, source: path, warnings: file.warnings + warnings)
    }

    static func readBulk(_ file: inout InputFile) throws -> [Latent] {
        let path = file.path
        var order: [String] = []
        var latents: [String: Latent] = [:]
        var firstLine: [String: [String: Int]] = [:]
        var warnings: [InputWarning] = []
        for line in file.lines() where !isBlank(line.bytes) {
            let v = try file.json(line)
            let r = try FieldReader(file: path, object: v)
            let model = try r.string("modelId"), layer = try r.label("layer"), index = try r.label("index")
            let key = [model, layer, index].map { $0 ?? "" }.joined(separator: "-")
            guard let c = try context(fromActivation: v, file: path, prefix: "", fallbackID: String(line.number), warnings: &warnings) else { continue }
            if latents[key] == nil {
                order.append(key)
                latents[key] = Latent(name: key, model: model, layer: layer, index: index, contexts: [], source: path)
            }
            if let f = firstLine[key]?[c.id] {
                throw InputError.duplicateID(r.location("id", r.value("id")), id: c.id, firstLine: f)
            }
            firstLine[key, default: [:]][c.id] = line.number
            latents[key]!.contexts.append(c)
        }
        var out = order.map { latents[$0]! }
        if out.isEmpty { throw InputError.noContexts(file: path, skipped: warnings.filter { $0.kind == .emptyText }.count) }
        out[0].warnings = file.warnings + warnings
        return out
    }
}
