import Contexts
import Testing
@testable import Highlight

private func context(_ tokens: [String], _ acts: [Double], id: String = "c") -> Context {
    Context(id: id, text: WordPieces.text(of: WordPieces.words(tokens: tokens, activations: acts)), score: 1, tokens: tokens, activations: acts)
}

/// Activations counted from zero: the normalisation and threshold alone.
private let perContext = HighlightSettings(normalize: .context, threshold: 0.5, maxWords: 10, baseline: .zero, minimumContrast: 1)

@Suite("Highlighter")
struct HighlighterTests {
    @Test func sentencePieceWordsAreMergedAndMarked() {
        let c = context(["<bos>", "▁a", "▁biol", "uminescent", "▁reef", ",", "▁at", "▁night"], [0, 0.2, 4, 10, 6, 0, 0.1, 1])
        let h = Highlighter(settings: perContext).highlight([c])[0]
        #expect(h.words.map(\.text) == ["a", "bioluminescent", "reef", ",", "at", "night"])
        #expect(h.weights == [0.02, 1, 0.6, 0, 0.01, 0.1])
        #expect(h.markedText == "a {{bioluminescent reef}}, at night")
        #expect(h.motifs.map(\.word) == ["bioluminescent", "reef"])
    }

    @Test func gpt2WordsAreMergedAndMarked() {
        let c = context(["The", "Ġclock", "work", "Ġgears", "Ġturn", "."], [0, 2, 8, 1, 5, 0])
        let h = Highlighter(settings: perContext).highlight([c])[0]
        #expect(h.markedText == "The {{clockwork}} gears {{turn}}.")
    }

    @Test func wordPieceWordsAreMergedAndMarked() {
        let c = context(["[CLS]", "voting", "ri", "##ghts", "for", "all", "[SEP]"], [0, 3, 1, 9, 0, 0.2, 0])
        let h = Highlighter(settings: perContext).highlight([c])[0]
        #expect(h.words.map(\.text) == ["voting", "rights", "for", "all"])
        #expect(h.markedText == "voting {{rights}} for all")
    }

    @Test func latentNormalisationKeepsWeakContextsWeak() {
        let strong = context(["▁glow"], [10], id: "s")
        let weak = context(["▁glow"], [2], id: "w")
        let perLatent = HighlightSettings(normalize: .latent, threshold: 0.5, maxWords: 10, baseline: .zero, minimumContrast: 1)
        let byLatent = Highlighter(settings: perLatent).highlight([strong, weak])
        #expect(byLatent.map { $0.weights[0] } == [1, 0.2])
        #expect(byLatent[1].motifs.isEmpty)
        let byContext = Highlighter(settings: perContext).highlight([strong, weak])
        #expect(byContext.map { $0.weights[0] } == [1, 1])
    }

    @Test func thresholdAndMaxWordsLimitTheHighlights() {
        let c = context(["▁a", "▁b", "▁c", "▁d"], [10, 9, 8, 3])
        let two = Highlighter(settings: HighlightSettings(normalize: .context, threshold: 0.5, maxWords: 2, baseline: .zero, minimumContrast: 1)).highlight([c])[0]
        #expect(two.markedText == "{{a b}} c d")
        let high = Highlighter(settings: HighlightSettings(normalize: .context, threshold: 0.95, maxWords: 10, baseline: .zero, minimumContrast: 1)).highlight([c])[0]
        #expect(high.markedText == "{{a}} b c d")
    }

    @Test func denseActivationsHighlightOnlyWordsClearlyAboveTheContextsOwnLevel() {
        // Every token somewhat active (as dense SAE activations are): from zero, "a", "red" and
        // "over" pass a 0.3 threshold; from the context's median only "flag" stands out.
        let c = context(["▁a", "▁red", "▁flag", "▁over", "▁a", "▁stadium"], [3, 3.4, 9, 2.9, 3, 3.1])
        let fromZero = Highlighter(settings: HighlightSettings(normalize: .context, threshold: 0.3, maxWords: 10,
                                                               baseline: .zero, minimumContrast: 1)).highlight([c])[0]
        #expect(fromZero.motifs.count == 6)
        let fromMedian = Highlighter(settings: HighlightSettings(normalize: .context, threshold: 0.3, maxWords: 10)).highlight([c])[0]
        #expect(fromMedian.markedText == "a red {{flag}} over a stadium")
        #expect(fromMedian.motifs.map(\.weight) == [1])
        // A flat context highlights nothing at all.
        let flat = context(["▁a", "▁b", "▁c"], [2, 2, 2])
        #expect(Highlighter(settings: HighlightSettings(normalize: .context, threshold: 0.3, maxWords: 10)).highlight([flat])[0].motifs.isEmpty)
    }

    @Test func inlineMarkupHighlightsWithoutTokens() {
        let parsed = HighlightMarkup.parse("a {{glass jellyfish}} at dusk")
        let c = Context(id: "m", text: parsed.text, score: 1, markedSpans: parsed.spans)
        let h = Highlighter(settings: perContext).highlight([c])[0]
        #expect(h.markedText == "a {{glass jellyfish}} at dusk")
        #expect(h.motifs.map(\.weight) == [1, 1])
    }

    @Test func noActivationMeansNoHighlight() {
        let zero = context(["▁a", "▁b"], [0, 0])
        let plain = Context(id: "p", text: "just text", score: 1)
        let h = Highlighter(settings: perContext).highlight([zero, plain])
        #expect(h.allSatisfy { $0.motifs.isEmpty })
        #expect(h[1].markedText == "just text")
    }

    @Test func negativeActivationsAreNotHighlights() {
        let c = context(["▁a", "▁b"], [-5, 1])
        let h = Highlighter(settings: perContext).highlight([c])[0]
        #expect(h.weights == [0, 1])
        #expect(h.markedText == "a {{b}}")
    }
}
