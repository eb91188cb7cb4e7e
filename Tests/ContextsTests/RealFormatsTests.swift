import Foundation
import Testing
@testable import Contexts

// Fixtures in the real formats, built from the public schema: Neuronpedia's Prisma `Activation`
// (every column, as `export-data.py` writes it with Python's `json.dumps`, NaN included), the API's
// feature JSON (a `Neuron` with nested relations), SAEDashboard's feature-batch JSON
// (`NeuronpediaDashboardBatch.to_dict`) and the export tree `<model>/<source>/{activations,explanations,features}/`.

/// gzip-compresses `text` with the system's gzip (what Python's `gzip.compress` writes).
func gzipped(_ text: String) throws -> [UInt8] {
    let input = try temporaryFile("plain", text)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/gzip")
    p.arguments = ["-c", "-5", input]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return [UInt8](data)
}

/// A Neuronpedia `Activation` row with every exported column.
func activationRow(index: Int, id: String, tokens: [String], values: [Double], maxValue: Double? = nil, maxIndex: Int? = nil,
                   binMin: Double = -1, model: String = "gpt2-small", layer: String = "8-res-jb", dfaMaxValue: String = "NaN") -> String {
    func list(_ xs: [String]) -> String { "[" + xs.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(separator: ", ") + "]" }
    let m = maxValue ?? values.max() ?? 0
    let mi = maxIndex ?? values.firstIndex(of: values.max() ?? 0) ?? 0
    return """
    {"id": "\(id)", "modelId": "\(model)", "layer": "\(layer)", "index": "\(index)", "creatorId": "clkht01d40000jv08hvalcvly", \
    "dataSource": null, "tokens": \(list(tokens)), "maxValue": \(m), "minValue": \(values.min() ?? 0), \
    "values": [\(values.map { String($0) }.joined(separator: ", "))], "maxValueTokenIndex": \(mi), "dfaValues": [], \
    "dfaMaxValue": \(dfaMaxValue), "dfaTargetIndex": null, "binContains": \(binMin < 0 ? -1 : 0.02), "binMin": \(binMin), "binMax": \(binMin < 0 ? 99 : binMin + 1)}
    """
}

@Suite("Real formats: gzip and detection")
struct GzipAndDetectionTests {
    // Issue 11.1: `atlas render batch-0.jsonl.gz` said "unknown input format".
    @Test func readsGzipActivationRows() throws {
        let rows = [activationRow(index: 0, id: "a", tokens: ["The", "Ġsea"], values: [0.1, 2]),
                    activationRow(index: 1, id: "b", tokens: ["A", "Ġboat"], values: [0.2, 3])]
        let path = try temporaryFile("batch-0.jsonl.gz", try gzipped(rows.joined(separator: "\n") + "\n"))
        let latents = try LatentReader.read(path)
        #expect(latents.map(\.name) == ["gpt2-small-8-res-jb-0", "gpt2-small-8-res-jb-1"])
        #expect(latents[0].contexts.map(\.text) == ["The sea"])
        #expect(latents[0].format == "Neuronpedia activation rows (JSONL)")
        #expect(try LatentReader.format(of: path) == .neuronpediaBulk)
    }

    @Test func corruptGzipNamesTheFile() throws {
        var bytes = try gzipped(String(repeating: activationRow(index: 0, id: "a", tokens: ["x"], values: [1]) + "\n", count: 20))
        bytes = Array(bytes.prefix(bytes.count / 2))
        let path = try temporaryFile("batch-1.jsonl.gz", bytes)
        #expect(throws: InputError.self) { try LatentReader.read(path) }
        do { _ = try LatentReader.read(path) } catch { #expect(String(describing: error).contains("gzip")) }
    }

    // Issue 11.7: any .json was taken as a Neuronpedia feature.
    @Test func detectsSAEDashboardBatchByContent() throws {
        let json = """
        {"model_id": "gpt2-small", "layer": 8, "sae_set": "res-jb", "features": [
          {"feature_index": 5, "neuron_alignment_indices": [], "neg_str": [], "frac_nonzero": 0.01, "n_prompts_total": 24576,
           "n_tokens_in_prompt": 128, "dataset": "Skylion007/openwebtext", "decoder_weights_dist": [],
           "activations": [{"bin_min": -1, "bin_max": 4.9, "bin_contains": -1, "tokens": ["there", "âĢĻs", "Ġa", "Ġstorm"], "values": [0, 1, 0.5, 4.9]},
                           {"bin_min": 0.5, "bin_max": 1.0, "bin_contains": 0.02, "tokens": ["Ġcalm"], "values": [0.7]}]}]}
        """
        let path = try temporaryFile("batch-0.json", json)
        #expect(try LatentReader.format(of: path) == .saeDashboardBatch)
        let latents = try LatentReader.read(path)
        #expect(latents.map(\.name) == ["gpt2-small-8-res-jb-5"])
        #expect(latents[0].contexts.map(\.text) == ["there’s a storm"])
        #expect(latents[0].warnings.filter { $0.kind == .unknownField }.isEmpty)
        // A format error names the detected format.
        let broken = try temporaryFile("batch-1.json", json.replacingOccurrences(of: "\"tokens\": [\"Ġcalm\"]", with: "\"tokens\": \"Ġcalm\""))
        do { _ = try LatentReader.read(broken); Issue.record("expected an error") } catch {
            #expect(String(describing: error).hasSuffix("(read as SAEDashboard feature-batch JSON)."))
        }
    }

    @Test func explanationRowsAreNotAnInput() throws {
        let path = try temporaryFile("batch-0.jsonl", #"{"id": "e1", "modelId": "m", "layer": "l", "index": "0", "authorId": "x", "description": "rain", "embedding": null, "typeName": "oai_token-act-pair", "explanationModelName": "gpt-4o-mini", "umap_x": 0, "umap_y": 0, "umap_cluster": 0, "umap_log_feature_sparsity": 0}"#)
        #expect(throws: InputError.notAnInput(file: path, format: "Neuronpedia explanation rows (JSONL)",
                                             hint: "it is read beside the activations/ folder of the same export; render the activations file or the export folder")) {
            try LatentReader.read(path)
        }
    }
}

@Suite("Real formats: Neuronpedia schema")
struct NeuronpediaSchemaTests {
    /// A real-shaped API response: every `Neuron` field, nested relations, top activations and bins, a duplicate.
    static func feature(values: [[Double]] = [[0, 0.3, 4.91], [0, 2, 0.5]], maxValue: Double? = nil, maxIndex: Int? = nil) -> String {
        let top = values.enumerated().map { i, v in
            activationRow(index: 7, id: "t\(i)", tokens: ["<|endoftext|>", "Ġrain" + String(i), "Ġfalls"], values: v,
                          maxValue: i == 0 ? maxValue : nil, maxIndex: i == 0 ? maxIndex : nil)
        }
        let bins = [activationRow(index: 7, id: "b0", tokens: ["<|endoftext|>", "Ġrain0", "Ġfalls"], values: [0, 0.3, 1.2], binMin: 0.9),
                    activationRow(index: 7, id: "b1", tokens: ["<|endoftext|>", "Ġdrizzle"], values: [0, 0.8], binMin: 0.4)]
        return """
        {"modelId": "gpt2-small", "layer": "8-res-jb", "index": "7", "sourceSetName": "res-jb", "creatorId": "x", "createdAt": "2024-03-01T00:00:00",
         "maxActApprox": 4.91, "hasVector": false, "vector": [], "vectorLabel": null, "vectorDefaultSteerStrength": 10, "hookName": null,
         "topkCosSimIndices": [], "topkCosSimValues": [], "neuron_alignment_indices": [1], "neuron_alignment_values": [0.1],
         "neuron_alignment_l1": [0.1], "correlated_neurons_indices": [], "correlated_neurons_pearson": [], "correlated_neurons_l1": [],
         "correlated_features_indices": [], "correlated_features_pearson": [], "correlated_features_l1": [], "neg_str": ["Ġsun"],
         "neg_values": [-1], "pos_str": ["Ġrain"], "pos_values": [1], "frac_nonzero": 0.001, "freq_hist_data_bar_heights": [1],
         "freq_hist_data_bar_values": [1], "logits_hist_data_bar_heights": [1], "logits_hist_data_bar_values": [1],
         "decoder_weights_dist": [], "umap_cluster": null, "umap_log_feature_sparsity": null, "umap_x": null, "umap_y": null,
         "source": {"id": "8-res-jb"}, "model": {"id": "gpt2-small"}, "comments": [], "lists": [],
         "explanations": [{"id": "e", "modelId": "gpt2-small", "layer": "8-res-jb", "index": "7", "description": "rain falling",
                           "authorId": "a", "scoreV1": 0, "typeName": "oai_token-act-pair", "explanationModelName": "gpt-4"}],
         "activations": [\((top + bins).joined(separator: ",\n"))]}
        """
    }

    // Issue 11.2: one feature gave 152 "unknown field" warnings; NaN in dfaMaxValue was fatal.
    @Test func standardFieldsDoNotWarnAndUnusedNaNIsAWarning() throws {
        let path = try temporaryFile("f.json", Self.feature())
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.warnings.filter { $0.kind == .unknownField }.isEmpty)
        let nan = latent.warnings.filter { $0.kind == .ignoredNonFinite }
        #expect(nan.count == 1)
        #expect(nan.first?.message.contains("dfaMaxValue") == true && nan.first?.message.contains("4 times") == true)
        // NaN in a field that is used stays an error.
        let bad = try temporaryFile("g.json", Self.feature().replacingOccurrences(of: "\"values\": [0.0, 0.3, 4.91]", with: "\"values\": [0.0, NaN, 4.91]"))
        do { _ = try LatentReader.read(bad); Issue.record("expected an error") } catch let e as InputError {
            guard case let .notFinite(l) = e else { Issue.record("got \(e)"); return }
            #expect(l.field == "activations[0].values[1]" && l.format == "Neuronpedia feature JSON")
        }
        // A field that really is unknown still warns.
        let typo = try temporaryFile("h.json", Self.feature().replacingOccurrences(of: "\"frac_nonzero\"", with: "\"frac_nonzer\""))
        #expect(try LatentReader.read(typo)[0].warnings.filter { $0.kind == .unknownField }.count == 1)
    }

    // Issue 11.3: bin samples passed as top activations; repeats were painted twice.
    @Test func binsAreLeftOutAndDuplicatesCounted() throws {
        let path = try temporaryFile("f.json", Self.feature())
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.contexts.map(\.id) == ["t0", "t1"])
        #expect(latent.warnings.first { $0.kind == .binsLeftOut }?.message.hasPrefix("2 of 4 activations") == true)
        let all = try #require(try LatentReader.read(path, settings: InputSettings(includeBins: true)).first)
        #expect(all.contexts.map(\.id) == ["t0", "t1", "b1"])
        #expect(all.warnings.first { $0.kind == .duplicateContext }?.message.hasPrefix("1 activation(s) repeat") == true)
    }

    // Issue 11.4: a dead feature rendered a busy poster.
    @Test func deadFeatureIsMarked() throws {
        let path = try temporaryFile("f.json", Self.feature(values: [[0, 0, 0], [0, 0, 0]]))
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.dead == "all 2 of its activations are 0")
        #expect(latent.warnings.contains { $0.kind == .deadFeature })
    }

    // Issue 11.5 / 14.9: maxValue 99 where the values say 4.91; maxValueTokenIndex out of range.
    @Test func inconsistentMaxValueIsRecomputedWithItsPath() throws {
        let path = try temporaryFile("f.json", Self.feature(maxValue: 99, maxIndex: 40))
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.contexts[0].score == 4.91)
        let w = try #require(latent.warnings.first { $0.kind == .inconsistentMaxValue })
        #expect(w.location.field == "activations[0].maxValue")
        #expect(w.message.contains("maxValue is 99.0 but the largest of 'values' is 4.91"))
        let i = try #require(latent.warnings.first { $0.kind == .maxValueTokenIndex })
        #expect(i.location.field == "activations[0].maxValueTokenIndex")
        #expect(i.message.contains("index, 2, is used instead"))
    }

    // Issue 11.10: titles from the explanation, else a readable id, never a file extension.
    @Test func titles() throws {
        let f = try #require(try LatentReader.read(try temporaryFile("f.json", Self.feature())).first)
        #expect(f.title == "rain falling")
        let plain = try temporaryFile("flags.contexts.jsonl", #"{"id": "a", "text": "a red flag", "score": 1}"#)
        let l = try #require(try LatentReader.read(plain).first)
        #expect(l.title == "flags contexts")
        #expect(l.name == "flags.contexts")
        let row = try temporaryFile("rows.jsonl", activationRow(index: 3, id: "a", tokens: ["x"], values: [1]))
        #expect(try LatentReader.read(row)[0].title == "gpt2-small · 8-res-jb · feature 3")
    }
}

@Suite("Real formats: token text")
struct TokenTextTests {
    // Issue 11.6: GPT-2 byte-level pieces came through as mojibake.
    @Test func gpt2BytesDecodeToUTF8() {
        let tokens = ["<|endoftext|>", "Ġthere", "âĢĻs", "Ġa", "ĠcafÃ©", "Ċ", "Ġ", "ðŁ", "Į", "Ĭ", "Ġend"]
        let words = WordPieces.words(tokens: tokens, activations: Array(repeating: 1, count: tokens.count), family: .byteLevel)
        #expect(WordPieces.text(of: words) == "there’s a café\n🌊 end")
    }

    // Issue 11.6: SentencePiece byte fallback was dropped.
    @Test func sentencePieceByteFallbackAssembles() {
        let tokens = ["<bos>", "▁it", "<0xE2>", "<0x80>", "<0x99>", "s", "<0x0A>", "▁caf", "<0xC3>", "<0xA9>", "<eos>"]
        let words = WordPieces.words(tokens: tokens, activations: Array(repeating: 1, count: tokens.count))
        #expect(WordPieces.text(of: words) == "it’s\ncafé")
        #expect(words.map(\.text) == ["it", "’", "s", "café"])
    }

    @Test func specialTokensOfCommonFamiliesAreDropped() {
        for special in ["<bos>", "<|endoftext|>", "<|begin_of_text|>", "[CLS]", "<s>", "</s>", "<start_of_turn>", "<|im_start|>"] {
            let words = WordPieces.words(tokens: [special, " hello", " world"], activations: [9, 1, 2], family: .decoded)
            #expect(WordPieces.text(of: words) == "hello world", "\(special)")
        }
        // Text that only looks like markup stays.
        #expect(WordPieces.text(of: WordPieces.words(tokens: ["<div>", " x"], activations: [1, 1], family: .decoded)) == "<div> x")
    }

    @Test func zeroFirstTokenOption() throws {
        let path = try temporaryFile("rows.jsonl", activationRow(index: 0, id: "a", tokens: ["<bos>", "▁storm"], values: [50, 3]))
        #expect(try LatentReader.read(path)[0].contexts[0].score == 50)
        let zeroed = try LatentReader.read(path, settings: InputSettings(zeroFirstToken: true))[0]
        #expect(zeroed.contexts[0].score == 3 && zeroed.contexts[0].activations == [0, 3])
    }

    // Issue 11.8: text and score are derivable.
    @Test func textAndScoreAreDerived() throws {
        let path = try temporaryFile("d.jsonl", #"{"id": "a", "tokens": ["▁paper", "▁bo", "at"], "activations": [0.5, 2, 1]}"#)
        let c = try #require(try LatentReader.read(path).first?.contexts.first)
        #expect(c.text == "paper boat" && c.score == 2)
    }

    // Issue 14.8: a 1 MB text was cut silently.
    @Test func hugeTextIsCutWithAWarningNamingTheLine() throws {
        let huge = String(repeating: "lantern ", count: 131_072)
        let path = try temporaryFile("h.jsonl", good() + "\n" + #"{"id": "b", "text": "\#(huge)", "score": 1}"#)
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.contexts[1].text.count <= 2000)
        let w = try #require(latent.warnings.first { $0.kind == .textTruncated })
        #expect(w.location.line == 2)
        #expect(w.message.contains("1048576 characters"))
    }

    private func good() -> String { #"{"id": "a", "text": "hello world", "score": 0.5}"# }
}

@Suite("Real formats: export tree")
struct ExportTreeTests {
    /// `<model>/<source>/` as `export-data.py` leaves it: gzip batches, plain top-level rows.
    static func tree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-export-\(UUID().uuidString)/gpt2-small/8-res-jb").path
        for sub in ["activations", "explanations", "features"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        let acts = [activationRow(index: 0, id: "a0", tokens: ["Ġrain"], values: [2]),
                    activationRow(index: 1, id: "a1", tokens: ["Ġsnow"], values: [3])]
        try Data(try gzipped(acts.joined(separator: "\n") + "\n")).write(to: URL(fileURLWithPath: root + "/activations/batch-0.jsonl.gz"))
        let ex = #"{"id": "e0", "modelId": "gpt2-small", "layer": "8-res-jb", "index": "1", "authorId": "x", "description": "snow and ice", "embedding": null, "typeName": null, "explanationModelName": null, "umap_x": null, "umap_y": null, "umap_cluster": null, "umap_log_feature_sparsity": null}"#
        try Data(try gzipped(ex + "\n")).write(to: URL(fileURLWithPath: root + "/explanations/batch-0.jsonl.gz"))
        let features = (0..<3).map { #"{"modelId": "gpt2-small", "layer": "8-res-jb", "index": "\#($0)", "maxActApprox": \#($0 == 2 ? 0 : 1), "frac_nonzero": 0}"# }
        try Data(try gzipped(features.joined(separator: "\n") + "\n")).write(to: URL(fileURLWithPath: root + "/features/batch-0.jsonl.gz"))
        try #"{"id": "8-res-jb", "modelId": "gpt2-small"}"#.write(toFile: root + "/source.jsonl", atomically: true, encoding: .utf8)
        return root
    }

    @Test func activationsJoinTheirExplanationsAndFeatureRows() throws {
        let root = try Self.tree()
        let latents = try LatentReader.read(root + "/activations/batch-0.jsonl.gz")
        #expect(latents.map(\.name) == ["gpt2-small-8-res-jb-0", "gpt2-small-8-res-jb-1", "gpt2-small-8-res-jb-2"])
        #expect(latents[1].title == "snow and ice" && latents[1].description == "snow and ice")
        #expect(latents[0].title == "gpt2-small · 8-res-jb · feature 0")
        #expect(latents[2].dead == "it has no activation records")
        // The folder is one source.
        #expect(try LatentReader.format(of: root) == .neuronpediaExport)
        #expect(try LatentReader.read(root).map(\.name) == latents.map(\.name))
    }
}
