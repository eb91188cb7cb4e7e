/// How a tokenizer marks word boundaries in its token strings.
public enum TokenFamily: String, Sendable, Equatable, CaseIterable {
    /// SentencePiece (Gemma, Llama, T5): `▁` starts a word.
    case sentencePiece
    /// GPT-2 byte-level BPE: `Ġ` is a leading space, `Ċ` a newline.
    case byteLevel
    /// WordPiece (BERT): `##` continues the previous word.
    case wordPiece
    /// Already-decoded strings (Neuronpedia shows tokens this way): a leading space starts a word.
    case decoded

    /// Guesses the family from the token strings themselves.
    public static func detect(_ tokens: [String]) -> TokenFamily {
        if tokens.contains(where: { $0.hasPrefix("▁") }) { return .sentencePiece }
        if tokens.contains(where: { $0.hasPrefix("Ġ") || $0.hasPrefix("Ċ") }) { return .byteLevel }
        if tokens.contains(where: { $0.hasPrefix("##") && $0.count > 2 }) { return .wordPiece }
        return .decoded
    }
}

/// A word rebuilt from one or more tokens.
public struct Word: Sendable, Equatable {
    public var text: String
    /// Whether a space separates it from the previous word.
    public var spaceBefore: Bool
    /// Raw activation: the maximum over its tokens.
    public var activation: Double
    /// Indices of the tokens it was built from.
    public var tokens: Range<Int>

    public init(text: String, spaceBefore: Bool, activation: Double, tokens: Range<Int>) {
        self.text = text
        self.spaceBefore = spaceBefore
        self.activation = activation
        self.tokens = tokens
    }
}

/// Merges word pieces back into words, so a highlight covers "activation" rather than "activ"+"ation".
public enum WordPieces {
    /// Merges `tokens` (with `activations`, same count) into words. Punctuation-only pieces become
    /// words of their own, so markup wraps `{{word}},` rather than `{{word,}}`.
    public static func words(tokens: [String], activations: [Double], family: TokenFamily? = nil) -> [Word] {
        precondition(tokens.count == activations.count, "one activation per token")
        let family = family ?? TokenFamily.detect(tokens)
        var words: [Word] = []
        var current: Word?
        var pendingBoundary = false
        func flush() {
            if let w = current { words.append(w) }
            current = nil
        }
        for (i, raw) in tokens.enumerated() {
            let a = activations[i]
            var piece = raw
            var boundary = false
            switch family {
            case .sentencePiece:
                boundary = piece.hasPrefix("▁")
                piece = piece.replacingOccurrences(of: "▁", with: " ").trimmingCharacters(in: .whitespaces)
            case .byteLevel:
                boundary = piece.hasPrefix("Ġ") || piece.hasPrefix("Ċ")
                piece = String(piece.drop { $0 == "Ġ" || $0 == "Ċ" })
            case .wordPiece:
                if piece.hasPrefix("##") && piece.count > 2 { piece = String(piece.dropFirst(2)) } else { boundary = true }
            case .decoded:
                boundary = piece.first?.isWhitespace == true
                piece = piece.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if isSpecialToken(piece) { flush(); pendingBoundary = false; continue }
            if piece.isEmpty { pendingBoundary = pendingBoundary || boundary; continue }
            let startsWord = boundary || pendingBoundary
            pendingBoundary = false
            let punctuation = piece.allSatisfy { !$0.isLetter && !$0.isNumber }
            if punctuation {
                // Punctuation is a word of its own so markup wraps `{{word}},` rather than `{{word,}}`.
                flush()
                let space = startsWord && family != .wordPiece && !words.isEmpty
                words.append(Word(text: piece, spaceBefore: space, activation: a, tokens: i..<(i + 1)))
            } else if var w = current, !startsWord {
                w.text += piece
                w.activation = max(w.activation, a)
                w.tokens = w.tokens.lowerBound..<(i + 1)
                current = w
            } else {
                flush()
                current = Word(text: piece, spaceBefore: startsWord && !words.isEmpty, activation: a, tokens: i..<(i + 1))
            }
        }
        flush()
        return words
    }

    /// The plain text the words spell.
    public static func text(of words: [Word]) -> String {
        var s = ""
        for w in words {
            if w.spaceBefore && !s.isEmpty { s += " " }
            s += w.text
        }
        return s
    }

    /// `<bos>`, `[CLS]`, `<|endoftext|>` and the like carry no text.
    static func isSpecialToken(_ piece: String) -> Bool {
        (piece.hasPrefix("<") && piece.hasSuffix(">") && piece.count > 2 && !piece.contains(" "))
            || ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"].contains(piece)
    }
}

import Foundation
