import Foundation

/// Neuronpedia's and SAEDashboard's formats, from their public schema and export code:
/// Neuronpedia's Prisma `Activation`, `Neuron` and `Explanation` models (`apps/webapp/prisma/schema.prisma`),
/// its `export-data.py` (`<model>/<source>/{activations,explanations,features}/batch-N.jsonl.gz`) and
/// SAEDashboard's `neuronpedia_converter.py` / `neuronpedia_export.py` (feature-batch JSON → export).
enum NeuronpediaReader {
    // MARK: Schema

    /// Every field of Neuronpedia's `Activation` (columns and relations), and `zIndices` from SAEDashboard's copy of it.
    static let activationFields = [
        "id", "tokens", "dataIndex", "index", "layer", "modelId", "dataSource", "maxValue", "maxValueTokenIndex", "minValue",
        "values", "dfaValues", "dfaTargetIndex", "dfaMaxValue", "zQIndices", "zKIndices", "zValues", "zIndices", "neuron",
        "explanations", "savedSearch", "creatorId", "creator", "createdAt", "lossValues", "logitContributions", "lists",
        "binMin", "binMax", "binContains", "qualifyingTokenIndex",
    ]
    /// What the reader takes from an activation; NaN in any other field is only a warning.
    static let usedActivationFields = ["id", "tokens", "values", "maxValue", "maxValueTokenIndex", "binMin", "modelId", "layer", "index"]
    /// Every field of Neuronpedia's `Neuron` (a feature), with the relations the API nests.
    static let featureFields = [
        "modelId", "layer", "index", "lists", "source", "sourceSetName", "sourceSet", "creatorId", "creator", "createdAt",
        "activations", "explanations", "comments", "bookmarks", "model", "steerOutputs", "maxActApprox", "hasVector", "vector",
        "vectorLabel", "vectorDefaultSteerStrength", "hookName", "topkCosSimIndices", "topkCosSimValues",
        "neuron_alignment_indices", "neuron_alignment_values", "neuron_alignment_l1", "correlated_neurons_indices",
        "correlated_neurons_pearson", "correlated_neurons_l1", "correlated_features_indices", "correlated_features_pearson",
        "correlated_features_l1", "neg_str", "neg_values", "pos_str", "pos_values", "frac_nonzero", "freq_hist_data_bar_heights",
        "freq_hist_data_bar_values", "logits_hist_data_bar_heights", "logits_hist_data_bar_values", "decoder_weights_dist",
        "umap_cluster", "umap_log_feature_sparsity", "umap_x", "umap_y",
    ]
    static let usedFeatureFields = ["modelId", "layer", "index", "activations", "explanations"]
    /// Every field of Neuronpedia's `Explanation`.
    static let explanationFields = [
        "id", "modelId", "layer", "index", "embedding", "description", "authorId", "author", "triggeredByUserId",
        "triggeredByUser", "notes", "model", "neuron", "votes", "scoreV1", "scoreV2", "umap_x", "umap_y", "umap_cluster",
        "umap_log_feature_sparsity", "type", "typeName", "explanationModelName", "explanationModelType", "scores",
        "createdAt", "updatedAt", "activationsV1",
    ]
    /// SAEDashboard's `NeuronpediaDashboardBatch`, `…Feature` and `…Activation` (`to_dict`).
    static let saeBatchFields = ["model_id", "layer", "sae_set", "features", "sae_id_suffix", "settings"]
    static let saeFeatureFields = [
        "feature_index", "neuron_alignment_indices", "neuron_alignment_values", "neuron_alignment_l1",
        "correlated_neurons_indices", "correlated_neurons_l1", "correlated_neurons_pearson", "correlated_features_indices",
        "correlated_features_l1", "correlated_features_pearson", "neg_str", "neg_values", "pos_str", "pos_values",
        "frac_nonzero", "freq_hist_data_bar_values", "freq_hist_data_bar_heights", "logits_hist_data_bar_heights",
        "logits_hist_data_bar_values", "n_prompts_total", "n_tokens_in_prompt", "dataset", "decoder_weights_dist",
        "activations", "vector",
    ]
    static let saeActivationFields = [
        "bin_min", "bin_max", "bin_contains", "tokens", "values", "dfa_values", "dfa_maxValue", "dfa_targetIndex",
        "qualifying_token_index", "loss_values", "logit_contributions",
    ]
    static let usedSAEActivationFields = ["tokens", "values", "bin_min"]

    /// Neuronpedia's export batches hold this many features (`ACTIVATIONS_BATCH_SIZE` in `export-data.py`).
    static let exportBatchSize = 1024

    // MARK: Activation records

    struct Raw {
        var id: String?
        var tokens: [String]
        var values: [Double]
        var line: Int
        var location: InputLocation
        var isBin: Bool
        /// Names the record when it has no id: its index in the feature, or its line in a bulk file.
        var ordinal: Int
    }

    enum Dialect { case neuronpedia, saeDashboard }

    /// One activation record; schema problems go to `schema`, data problems to `data`.
    static func raw(_ v: JSONValue.Located, ordinal: Int, file: String, prefix: String, dialect: Dialect,
                    schema: inout WarningTally, data: inout WarningTally) throws -> Raw {
        let r = try FieldReader(file: file, object: v, prefix: prefix)
        let known = dialect == .neuronpedia ? activationFields : saeActivationFields
        let used = dialect == .neuronpedia ? usedActivationFields : usedSAEActivationFields
        schema.add(r.unknownFields(known: known), key: LatentReader.groupKey)
        schema.add(r.ignoredNonFinite(used: used), key: LatentReader.groupKey)
        guard let tokens = try r.strings("tokens") else { throw InputError.missingField(r.location("tokens"), expected: "an array of token strings") }
        guard let values = try r.numbers("values") else { throw InputError.missingField(r.location("values"), expected: "an array of activation values, one per token") }
        guard tokens.count == values.count else { throw InputError.lengthMismatch(r.location("values", r.value("values")), tokens: tokens.count, activations: values.count) }
        let largest = values.max()
        let top = largest.flatMap { m in values.firstIndex(of: m) }
        if dialect == .neuronpedia {
            if let given = try r.number("maxValue"), let largest, abs(given - largest) > 0.01 + 0.01 * abs(largest) {
                data.add(InputWarning(kind: .inconsistentMaxValue, location: r.location("maxValue", r.value("maxValue")),
                                      message: "maxValue is \(given) but the largest of 'values' is \(largest); the score is \(largest), recomputed from 'values'"),
                         key: "maxValue")
            }
            if let index = try r.integer("maxValueTokenIndex"), !(0..<tokens.count).contains(index) {
                let replacement = top.map { "the largest value's index, \($0), is used instead" } ?? "it was ignored"
                data.add(InputWarning(kind: .maxValueTokenIndex, location: r.location("maxValueTokenIndex", r.value("maxValueTokenIndex")),
                                      message: "maxValueTokenIndex \(index) is outside the \(tokens.count) tokens (0…\(max(tokens.count - 1, 0))); \(replacement)"),
                         key: "maxValueTokenIndex")
            }
        }
        // Top activations have binMin -1 (SAEDashboard's "TOP ACTIVATIONS" group); older rows have none.
        let binMin = try r.number(dialect == .neuronpedia ? "binMin" : "bin_min")
        let id = dialect == .neuronpedia ? try r.label("id") : nil
        return Raw(id: id, tokens: tokens, values: values, line: v.line, location: r.location(dialect == .neuronpedia ? "binMin" : "bin_min"),
                   isBin: binMin.map { $0 >= 0 } ?? false, ordinal: ordinal)
    }

    /// A latent from its activation records: bins left out (unless asked for), duplicates removed,
    /// one token family, text decoded from the tokens, score = the largest activation.
    static func latent(name: String, model: String?, layer: String?, index: String?, explanation: String?, raws: [Raw],
                       file: String, settings: InputSettings, data: inout WarningTally) throws -> Latent {
        var raws = raws
        let bins = raws.filter(\.isBin)
        if settings.includeBins {
            raws = raws.filter { !$0.isBin } + bins
        } else if let first = bins.first {
            raws.removeAll(where: \.isBin)
            data.add(InputWarning(kind: .binsLeftOut, location: first.location,
                                  message: "\(bins.count) of \(bins.count + raws.count) activations are activation-range bin samples (binMin ≥ 0), not top activations, and were left out; set input.include_bins: true to include them"))
        }
        if settings.zeroFirstToken {
            for i in raws.indices where !raws[i].values.isEmpty { raws[i].values[0] = 0 }
        }
        var seen = Set<[String]>()
        var duplicates: [Raw] = []
        raws = raws.filter { r in
            if seen.insert(r.tokens).inserted { return true }
            duplicates.append(r)
            return false
        }
        if let first = duplicates.first {
            data.add(InputWarning(kind: .duplicateContext, location: InputLocation(file: file, line: first.line, field: first.location.field.map { String($0.prefix { $0 != "." }) }),
                                  message: "\(duplicates.count) activation(s) repeat the token sequence of an earlier one and were left out"))
        }
        let family = raws.isEmpty ? nil : TokenFamily.detect(raws.lazy.flatMap(\.tokens))
        var out = Latent(name: name, title: explanation ?? LatentReader.readableTitle(name: name, model: model, layer: layer, index: index),
                         model: model, layer: layer, index: index, description: explanation, contexts: [], source: file)
        out.tokenFamily = family
        var firstLine: [String: Int] = [:]
        for r in raws {
            var tokens = r.tokens, values = r.values
            var text = WordPieces.text(of: WordPieces.words(tokens: tokens, activations: values, family: family))
            let id = r.id ?? String(r.ordinal)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                data.add(InputWarning(kind: .emptyText, location: InputLocation(file: file, line: r.line, field: "tokens"),
                                      message: "an activation has no text and was skipped"), key: "empty")
                continue
            }
            if text.count > settings.maxTextCharacters {
                let cut = Truncation.cut(text, to: settings.maxTextCharacters)
                let k = Truncation.tokenCount(tokens, values, family: family, characters: cut.count)
                tokens = Array(tokens.prefix(k))
                values = Array(values.prefix(k))
                data.add(InputWarning(kind: .textTruncated, location: InputLocation(file: file, line: r.line, field: "tokens"),
                                      message: "the text of activation '\(id)' has \(text.count) characters; only the first \(k) tokens (\(cut.count) characters) were kept (input.max_text_characters is \(settings.maxTextCharacters))"),
                         key: "truncated|\(r.line)|\(id)")
                text = WordPieces.text(of: WordPieces.words(tokens: tokens, activations: values, family: family))
            }
            if let f = firstLine[id] {
                throw InputError.duplicateID(InputLocation(file: file, line: r.line, field: "id"), id: id, firstLine: f)
            }
            firstLine[id] = r.line
            out.contexts.append(Context(id: id, text: text, score: values.max() ?? 0, tokens: tokens, activations: values, line: r.line))
        }
        if raws.isEmpty && bins.isEmpty {
            out.dead = "it has no activation records"
        } else if out.contexts.allSatisfy({ $0.score <= 0 }) {
            out.dead = "all \(out.contexts.count) of its activations are 0"
        }
        if let dead = out.dead {
            data.add(InputWarning(kind: .deadFeature, location: InputLocation(file: file), message: "latent '\(name)' is dead (\(dead)); it is not rendered"))
        }
        return out
    }

    static func key(_ model: String?, _ layer: String?, _ index: String?) -> String {
        [model, layer, index].map { $0 ?? "" }.joined(separator: "|")
    }

    static func name(_ model: String?, _ layer: String?, _ index: String?, fallback: String) -> String {
        let parts = [model, layer, index].compactMap { $0 }.filter { !$0.isEmpty }
        return LatentReader.safeName(parts.isEmpty ? fallback : parts.joined(separator: "-"))
    }

    // MARK: Feature JSON (the API's `/api/feature/<model>/<layer>/<index>`)

    static func readFeature(_ file: inout InputFile, settings: InputSettings) throws -> Latent {
        let path = file.path
        let root = try file.json()
        let r = try FieldReader(file: path, object: root)
        var schema = WarningTally(), data = WarningTally()
        schema.add(r.unknownFields(known: featureFields), key: LatentReader.groupKey)
        schema.add(r.ignoredNonFinite(used: usedFeatureFields), key: LatentReader.groupKey)
        let model = try r.string("modelId")
        let layer = try r.label("layer")
        let index = try r.label("index")
        guard let acts = try r.array("activations") else {
            throw InputError.missingField(r.location("activations"), expected: "an array of activation records")
        }
        var explanation: String?
        if let ex = try r.array("explanations") {
            for (i, e) in ex.enumerated() {
                let er = try FieldReader(file: path, object: e, prefix: "explanations[\(i)].")
                schema.add(er.unknownFields(known: explanationFields), key: LatentReader.groupKey)
                if explanation == nil { explanation = try er.string("description") }
            }
        }
        let raws = try acts.enumerated().map { i, a in
            try raw(a, ordinal: i, file: path, prefix: "activations[\(i)].", dialect: .neuronpedia, schema: &schema, data: &data)
        }
        var latent = try self.latent(name: name(model, layer, index, fallback: LatentReader.stem(path)), model: model, layer: layer, index: index,
                                     explanation: explanation, raws: raws, file: path, settings: settings, data: &data)
        latent.warnings = file.warnings + schema.warnings + data.warnings
        return latent
    }

    // MARK: Activation rows (an export's activations/batch-N.jsonl.gz)

    static func readBulk(_ file: inout InputFile, settings: InputSettings) throws -> [Latent] {
        let path = file.path
        var order: [String] = []
        var groups: [String: (model: String?, layer: String?, index: String?, raws: [Raw], data: WarningTally)] = [:]
        var schema = WarningTally()
        for line in file.lines() where !LatentReader.isBlank(line.bytes) {
            let v = try file.json(line)
            let r = try FieldReader(file: path, object: v)
            let model = try r.string("modelId"), layer = try r.label("layer"), index = try r.label("index")
            let k = key(model, layer, index)
            if groups[k] == nil {
                order.append(k)
                groups[k] = (model, layer, index, [], WarningTally())
            }
            var data = groups[k]!.data
            let a = try raw(v, ordinal: line.number, file: path, prefix: "", dialect: .neuronpedia, schema: &schema, data: &data)
            groups[k]!.raws.append(a)
            groups[k]!.data = data
        }
        let side = ExportSideData.beside(path)
        var latents: [Latent] = []
        var seen = Set<String>()
        for k in order {
            var g = groups[k]!
            seen.insert(k)
            var l = try latent(name: name(g.model, g.layer, g.index, fallback: "latent"), model: g.model, layer: g.layer, index: g.index,
                               explanation: side?.explanations[k], raws: g.raws, file: path, settings: settings,
                               data: &g.data)
            l.warnings = g.data.warnings
            latents.append(l)
        }
        // Features of this batch with no activation rows at all are dead (the export keeps their feature rows).
        if let side, let batch = ExportSideData.batchNumber(path) {
            let range = (batch * exportBatchSize)..<((batch + 1) * exportBatchSize)
            for f in side.features where !seen.contains(f.key) {
                guard let i = Int(f.index), range.contains(i) else { continue }
                if let model = latents.first?.model, f.model != model { continue }
                if let layer = latents.first?.layer, f.layer != layer { continue }
                var data = WarningTally()
                var l = try latent(name: name(f.model, f.layer, f.index, fallback: "latent"), model: f.model, layer: f.layer, index: f.index,
                                   explanation: side.explanations[f.key], raws: [], file: path, settings: settings, data: &data)
                l.warnings = data.warnings
                latents.append(l)
            }
        }
        if latents.isEmpty { throw InputError.noContexts(file: path, skipped: 0) }
        latents[0].warnings = file.warnings + schema.warnings + latents[0].warnings
        return latents
    }

    // MARK: SAEDashboard feature-batch JSON

    static func readSAEDashboard(_ file: inout InputFile, settings: InputSettings) throws -> [Latent] {
        let path = file.path
        let root = try file.json()
        let r = try FieldReader(file: path, object: root)
        var schema = WarningTally()
        schema.add(r.unknownFields(known: saeBatchFields), key: LatentReader.groupKey)
        let model = try r.string("model_id").flatMap { $0.isEmpty ? nil : $0 }
        let layerNumber = try r.label("layer")
        let set = try r.string("sae_set").flatMap { $0.isEmpty ? nil : $0 }
        // Neuronpedia's source id for the batch: "<layer>-<set>" (`_build_source_id` in neuronpedia_export.py).
        let layer = [layerNumber, set].compactMap { $0 }.joined(separator: "-")
        guard let features = try r.array("features") else {
            throw InputError.missingField(r.location("features"), expected: "an array of features")
        }
        var latents: [Latent] = []
        for (i, f) in features.enumerated() {
            let fr = try FieldReader(file: path, object: f, prefix: "features[\(i)].")
            schema.add(fr.unknownFields(known: saeFeatureFields), key: LatentReader.groupKey)
            schema.add(fr.ignoredNonFinite(used: ["feature_index", "activations"]), key: LatentReader.groupKey)
            guard let index = try fr.label("feature_index") else {
                throw InputError.missingField(fr.location("feature_index"), expected: "the feature's index")
            }
            let acts = try fr.array("activations") ?? []
            var data = WarningTally()
            let raws = try acts.enumerated().map { j, a in
                try raw(a, ordinal: j, file: path, prefix: "features[\(i)].activations[\(j)].", dialect: .saeDashboard, schema: &schema, data: &data)
            }
            var l = try latent(name: name(model, layer.isEmpty ? nil : layer, index, fallback: LatentReader.stem(path)), model: model,
                               layer: layer.isEmpty ? nil : layer, index: index, explanation: nil, raws: raws, file: path,
                               settings: settings, data: &data)
            l.warnings = data.warnings
            latents.append(l)
        }
        if latents.isEmpty { throw InputError.noContexts(file: path, skipped: 0) }
        latents[0].warnings = file.warnings + schema.warnings + latents[0].warnings
        return latents
    }

    // MARK: Export folders

    /// The activation batches of an export source folder (`<model>/<source>/activations/batch-N.jsonl.gz`), in batch order.
    static func activationFiles(in folder: String) -> [String] {
        let dir = (folder as NSString).appendingPathComponent("activations")
        return ExportSideData.batchFiles(in: dir)
    }

    static func readExportFolder(_ folder: String, settings: InputSettings) throws -> [Latent] {
        let files = activationFiles(in: folder)
        guard !files.isEmpty else { throw InputError.unknownFormat(file: folder) }
        var out: [Latent] = []
        for f in files { out += try LatentReader.read(f, settings: settings) }
        return out
    }
}

/// An export's explanations (for titles and descriptions) and feature rows (for the features that
/// have no activations), read once per export folder and shared by every activation batch in it.
final class ExportSideData: @unchecked Sendable {
    struct Feature { var model: String?; var layer: String?; var index: String; var key: String }

    let explanations: [String: String]
    let features: [Feature]

    private init(explanations: [String: String], features: [Feature]) {
        self.explanations = explanations
        self.features = features
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: ExportSideData] = [:]

    /// The side data of the export `path` (an activations batch file) belongs to, if it is in one.
    static func beside(_ path: String) -> ExportSideData? {
        let dir = (path as NSString).deletingLastPathComponent
        guard (dir as NSString).lastPathComponent == "activations" else { return nil }
        let root = (dir as NSString).deletingLastPathComponent
        let explanationFiles = batchFiles(in: (root as NSString).appendingPathComponent("explanations"))
        let featureFiles = batchFiles(in: (root as NSString).appendingPathComponent("features"))
        guard !explanationFiles.isEmpty || !featureFiles.isEmpty else { return nil }
        let stamp = (explanationFiles + featureFiles).map { f -> String in
            let a = try? FileManager.default.attributesOfItem(atPath: f)
            return "\(f):\((a?[.size] as? NSNumber)?.intValue ?? 0):\((a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        }.joined(separator: "\n")
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[stamp] { return cached }
        var explanations: [String: String] = [:]
        for f in explanationFiles {
            forEachRow(f) { r in
                guard let d = try? r.string("description"), let i = try? r.label("index") else { return }
                let k = NeuronpediaReader.key(try? r.string("modelId"), try? r.label("layer"), i)
                if explanations[k] == nil { explanations[k] = d }
            }
        }
        var features: [Feature] = []
        for f in featureFiles {
            forEachRow(f) { r in
                guard let i = try? r.label("index") else { return }
                let m = try? r.string("modelId"), l = try? r.label("layer")
                features.append(Feature(model: m, layer: l, index: i, key: NeuronpediaReader.key(m, l, i)))
            }
        }
        let data = ExportSideData(explanations: explanations, features: features)
        cache = [stamp: data]
        return data
    }

    private static func forEachRow(_ path: String, _ body: (FieldReader) -> Void) {
        guard var file = try? InputFile(path: path) else { return }
        for line in file.lines() where !LatentReader.isBlank(line.bytes) {
            guard let v = try? file.json(line), let r = try? FieldReader(file: path, object: v) else { continue }
            body(r)
        }
    }

    /// `batch-N.jsonl[.gz]` files of a folder, by N.
    static func batchFiles(in dir: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { n in
            let l = n.lowercased()
            return !n.hasPrefix(".") && (l.hasSuffix(".jsonl") || l.hasSuffix(".jsonl.gz") || l.hasSuffix(".ndjson") || l.hasSuffix(".ndjson.gz"))
        }
        .sorted { (batchNumber($0) ?? Int.max, $0) < (batchNumber($1) ?? Int.max, $1) }
        .map { (dir as NSString).appendingPathComponent($0) }
    }

    /// N of `batch-N.jsonl.gz`.
    static func batchNumber(_ path: String) -> Int? {
        let name = LatentReader.stem(path)
        guard name.hasPrefix("batch-") else { return nil }
        return Int(name.dropFirst(6))
    }
}
