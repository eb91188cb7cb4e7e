import Foundation
import Testing
@testable import Contexts

/// Reads `text` as a contexts JSONL file and returns the error it raises.
private func error(_ text: String, name: String = "bad.jsonl") throws -> InputError? {
    let path = try temporaryFile(name, text)
    do {
        _ = try LatentReader.read(path)
        return nil
    } catch let e as InputError {
        return e
    }
}

private let good = #"{"id": "a", "text": "hello world", "score": 0.5}"#

@Suite("Contexts JSONL")
struct ContextsJSONLTests {
    @Test func readsHeaderContextsAndOptionalFields() throws {
        let path = try temporaryFile("x.jsonl", """
        {"latent": {"name": "My Latent!", "title": "T", "model": "m", "layer": 3, "index": "7", "description": "d"}}
        {"id": "a", "text": "a {{glowing sea}} at night", "score": 0.5, "tokens": ["▁a", "▁glow"], "activations": [0.1, 2]}
        {"id": 2, "text": "b", "score": 1, "embedding": [1, 0, 0], "position": [0.1, -0.2], "cluster": 4}

        """.replacingOccurrences(of: "\"embedding\": [1, 0, 0], ", with: ""))
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.name == "My Latent!")   // as written; OutputName makes the file names
        #expect(latent.title == "T" && latent.layer == "3" && latent.index == "7")
        #expect(latent.contexts.count == 2)
        #expect(latent.contexts[0].text == "a glowing sea at night")
        #expect(latent.contexts[0].markedSpans == [2..<13])
        #expect(latent.contexts[0].line == 2)
        #expect(latent.contexts[1].id == "2")
        #expect(latent.contexts[1].position == SIMD2(0.1, -0.2))
        #expect(latent.contexts[1].cluster == 4)
        #expect(latent.warnings.isEmpty)
    }

    @Test func invalidJSONNamesLineAndColumn() throws {
        let e = try error(good + "\n{\"id\": \"b\", \"text\": \"x\" \"score\": 1}\n")
        #expect(e == .invalidJSON(InputLocation(file: e!.location!.file, line: 2, format: "LatentAtlas contexts JSONL"), column: 25, reason: "expected ',' or '}'"))
        #expect(e!.description.contains(":2, column 25: invalid JSON"))
    }

    @Test func wrongTypesNameTheField() throws {
        let e = try error(#"{"id": "a", "text": "x", "score": "high"}"#)
        guard case let .wrongType(loc, expected, got) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line == 1 && loc.field == "score" && expected == "a finite number" && got == "a string")
        let t = try error(#"{"id": "a", "text": 5, "score": 1}"#)
        guard case .wrongType(let l2, _, _) = t else { Issue.record("got \(String(describing: t))"); return }
        #expect(l2.field == "text")
        let tok = try error(#"{"id": "a", "text": "x", "score": 1, "tokens": ["a", 3], "activations": [1, 2]}"#)
        guard case .wrongType(let l3, _, _) = tok else { Issue.record("got \(String(describing: tok))"); return }
        #expect(l3.field == "tokens[1]")
    }

    @Test func nanAndInfinityScoresAreErrors() throws {
        let nan = try error(good + "\n" + #"{"id": "b", "text": "x", "score": NaN}"#)
        #expect(nan?.description.contains("field 'score' is NaN or infinite; expected a finite number") == true)
        #expect(nan?.location?.line == 2)
        let inf = try error(#"{"id": "b", "text": "x", "score": -Infinity}"#)
        #expect(inf?.description.contains("finite number") == true)
        let quoted = try error(#"{"id": "b", "text": "x", "score": "NaN"}"#)
        #expect(quoted == .notFinite(InputLocation(file: quoted!.location!.file, line: 1, field: "score", format: "LatentAtlas contexts JSONL")))
        let huge = try error(#"{"id": "b", "text": "x", "score": 1e999}"#)
        #expect(huge?.description.contains("out of range") == true)
    }

    @Test func tokensAndActivationsMustPair() throws {
        let e = try error(#"{"id": "a", "text": "x y", "score": 1, "tokens": ["x", "y"], "activations": [1]}"#)
        guard case let .lengthMismatch(loc, t, a) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.field == "activations" && t == 2 && a == 1)
        let missing = try error(#"{"id": "a", "text": "x", "score": 1, "activations": [1]}"#)
        guard case .missingField(let l2, _) = missing else { Issue.record("got \(String(describing: missing))"); return }
        #expect(l2.field == "tokens")
    }

    @Test func emptyTextIsACountedWarning() throws {
        let path = try temporaryFile("e.jsonl", good + "\n" + #"{"id": "b", "text": "  ", "score": 1}"# + "\n")
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.contexts.map(\.id) == ["a"])
        #expect(latent.warnings.map(\.kind) == [.emptyText])
        #expect(latent.warnings[0].location.line == 2)
    }

    @Test func invalidUTF8NamesLineAndByte() throws {
        let bytes = Array((good + "\n").utf8) + Array(#"{"id": "b", "text": "caf"#.utf8) + [0xc3, 0x28] + Array(#"", "score": 1}"#.utf8)
        let path = try temporaryFile("u.jsonl", bytes)
        #expect(throws: InputError.invalidUTF8(InputLocation(file: path, line: 2, format: "LatentAtlas contexts JSONL"), byteOffset: 25)) { try LatentReader.read(path) }
    }

    @Test func byteOrderMarkIsAcceptedWithAWarning() throws {
        let path = try temporaryFile("b.jsonl", [0xef, 0xbb, 0xbf] + Array(good.utf8))
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.contexts.count == 1)
        #expect(latent.warnings.map(\.kind) == [.byteOrderMark])
    }

    @Test func crlfLineEndingsAreAcceptedWithOneWarning() throws {
        let path = try temporaryFile("c.jsonl", good + "\r\n" + #"{"id": "b", "text": "x", "score": 1}"# + "\r\n")
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.contexts.map(\.text) == ["hello world", "x"])
        #expect(latent.warnings.map(\.kind) == [.crlfLineEndings])
        #expect(latent.warnings[0].message.hasPrefix("2 line(s)"))
    }

    @Test func duplicateIDsAreErrorsNamingBothLines() throws {
        let e = try error(good + "\n\n" + good)
        guard case let .duplicateID(loc, id, first) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line == 3 && id == "a" && first == 1)
    }

    @Test func zeroContextsIsAnError() throws {
        let path = try temporaryFile("z.jsonl", "\n\n")
        #expect(throws: InputError.noContexts(file: path, skipped: 0)) { try LatentReader.read(path) }
        let onlyEmpty = try temporaryFile("z.jsonl", #"{"id": "a", "text": "", "score": 1}"#)
        #expect(throws: InputError.noContexts(file: onlyEmpty, skipped: 1)) { try LatentReader.read(onlyEmpty) }
        let onlyHeader = try temporaryFile("h.jsonl", #"{"latent": {"name": "x"}}"#)
        #expect(throws: InputError.noContexts(file: onlyHeader, skipped: 0)) { try LatentReader.read(onlyHeader) }
    }

    @Test func missingRequiredFields() throws {
        let e = try error(#"{"id": "a", "score": 1}"#)
        #expect(e?.description.hasSuffix("field 'text' is missing; expected the context's text as a string (or 'tokens' and 'activations' to derive it from) (read as LatentAtlas contexts JSONL).") == true)
        let s = try error(#"{"id": "a", "text": "x"}"#)
        guard case .missingField(let loc, _) = s else { Issue.record("got \(String(describing: s))"); return }
        #expect(loc.field == "score")
    }

    @Test func unknownFieldsWarnWithASuggestion() throws {
        let path = try temporaryFile("w.jsonl", #"{"id": "a", "text": "x", "score": 1, "scroe": 2}"#)
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.warnings.count == 1)
        #expect(latent.warnings[0].message == "unknown field 'scroe' was ignored (did you mean 'score'?)")
    }

    @Test func raggedEmbeddingsAreAnError() throws {
        let e = try error(#"{"id": "a", "text": "x", "score": 1, "embedding": [1, 2]}"# + "\n" + #"{"id": "b", "text": "y", "score": 1, "embedding": [1]}"#)
        guard case let .invalidValue(loc, _, _) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(loc.line == 2 && loc.field == "embedding")
    }

    @Test func unknownFormatIsAnError() throws {
        let path = try temporaryFile("x.csv", "a,b")
        #expect(throws: InputError.unknownFormat(file: path)) { try LatentReader.read(path) }
        #expect(throws: InputError.self) { try LatentReader.read("/no/such/file.jsonl") }
    }
}

@Suite("Neuronpedia")
struct NeuronpediaTests {
    @Test func readsAFeatureExport() throws {
        let path = try temporaryFile("f.json", """
        {"modelId": "gemma-2-2b", "layer": "20-gemmascope-res-16k", "index": 12082,
         "explanations": [{"description": "social rights"}],
         "activations": [
          {"tokens": ["<bos>", "The", " march", " for", " equality"], "values": [0, 0.1, 3, 0.2, 9], "maxValue": 9, "maxValueTokenIndex": 4},
          {"tokens": ["A", " poster"], "values": [0.5, 1], "maxValue": 1, "maxValueTokenIndex": 1}
         ]}
        """)
        let latent = try #require(try LatentReader.read(path).first)
        #expect(latent.name == "gemma-2-2b-20-gemmascope-res-16k-12082")
        #expect(latent.title == "social rights")
        #expect(latent.contexts.map(\.text) == ["The march for equality", "A poster"])
        #expect(latent.contexts.map(\.score) == [9, 1])
        #expect(latent.contexts[0].line == 4)
    }

    @Test func featureErrorsNameTheActivation() throws {
        let path = try temporaryFile("f.json", """
        {"modelId": "m", "layer": "1", "index": 2, "activations": [
          {"tokens": ["a"], "values": [1], "maxValue": 1, "maxValueTokenIndex": 0},
          {"tokens": ["a", "b"], "values": [1], "maxValue": 1, "maxValueTokenIndex": 0}]}
        """)
        #expect(throws: InputError.lengthMismatch(InputLocation(file: path, line: 3, field: "activations[1].values", format: "Neuronpedia feature JSON"),
                                                  tokens: 2, activations: 1)) {
            try LatentReader.read(path)
        }
    }

    @Test func bulkExportRowsGroupByFeature() throws {
        let row = { (index: Int, id: String, text: String) in
            #"{"modelId": "m", "layer": "3", "index": \#(index), "id": "\#(id)", "tokens": ["\#(text)"], "values": [2], "maxValue": 2, "maxValueTokenIndex": 0}"#
        }
        let path = try temporaryFile("bulk.jsonl", [row(1, "a", "x"), row(2, "b", "y"), row(1, "c", "z")].joined(separator: "\n"))
        let latents = try LatentReader.read(path)
        #expect(latents.map(\.name) == ["m-3-1", "m-3-2"])
        #expect(latents[0].contexts.map(\.id) == ["a", "c"])
    }
}

@Suite("Word pieces")
struct WordPiecesTests {
    @Test func sentencePiece() {
        let words = WordPieces.words(tokens: ["<bos>", "▁The", "▁biol", "uminescent", "▁sea", ","], activations: [0, 1, 5, 8, 2, 0.5])
        #expect(words.map(\.text) == ["The", "bioluminescent", "sea", ","])
        #expect(words.map(\.activation) == [1, 8, 2, 0.5])
        #expect(WordPieces.text(of: words) == "The bioluminescent sea,")
    }

    @Test func gpt2ByteLevel() {
        let words = WordPieces.words(tokens: ["The", "Ġclock", "work", "Ġgears", ".", "Ġdon", "'t"], activations: [0, 1, 3, 9, 0, 1, 2])
        #expect(words.map(\.text) == ["The", "clockwork", "gears", ".", "don't"])
        #expect(WordPieces.text(of: words) == "The clockwork gears. don't")
        #expect(words[1].activation == 3 && words[1].tokens == 1..<3)
        #expect(TokenFamily.detect(["The", "Ġclock"]) == .byteLevel)
    }

    @Test func wordPiece() {
        let words = WordPieces.words(tokens: ["[CLS]", "civil", "rights", "eq", "##uality", ",", "now", "[SEP]"], activations: [0, 4, 6, 2, 7, 0, 1, 0])
        #expect(words.map(\.text) == ["civil", "rights", "equality", ",", "now"])
        #expect(words.map(\.activation) == [4, 6, 7, 0, 1])
        #expect(WordPieces.text(of: words) == "civil rights equality, now")
    }

    @Test func decodedStrings() {
        let words = WordPieces.words(tokens: ["<bos>", "A", " poster", " about", " just", "ice"], activations: [0, 1, 2, 3, 4, 5])
        #expect(words.map(\.text) == ["A", "poster", "about", "justice"])
        #expect(TokenFamily.detect(["A", " poster"]) == .decoded)
    }
}

@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesWithPositions() throws {
        let v = try JSONParser.parse(Array("{\n  \"a\": [1, 2.5e1, true, null],\n  \"b\": \"\\u00e9\\ud83d\\ude00\"\n}".utf8))
        #expect(v.value["a"]?.line == 2 && v.value["a"]?.column == 8)
        #expect(v.value["b"]?.value == .string("é😀"))
        if case let .array(items) = v.value["a"]!.value { #expect(items.map(\.value) == [.number(1), .number(25), .bool(true), .null]) }
    }

    @Test(arguments: ["{\"a\": 1,}", "[1,]", "{\"a\": 1, \"a\": 2}", "{'a': 1}", "[1] x", "\"tab\there\"", "01x", "{\"a\" 1}"])
    func rejectsWhatJSONDoesNotAllow(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
    }
}

@Suite("Inline markup")
struct HighlightMarkupTests {
    @Test func singleAndDoubleBraces() {
        let p = HighlightMarkup.parse("a {glowing} {{deep sea}} reef")
        #expect(p.text == "a glowing deep sea reef")
        #expect(p.spans == [2..<9, 10..<18])
        #expect(HighlightMarkup.mark(p.text, spans: p.spans) == "a {{glowing}} {{deep sea}} reef")
    }

    @Test func unbalancedBracesKeepTheText() {
        for s in ["a {b", "a }b", "{{a}", "{}"] {
            let p = HighlightMarkup.parse(s)
            #expect(p.unbalanced && p.text == s)
        }
    }
}
