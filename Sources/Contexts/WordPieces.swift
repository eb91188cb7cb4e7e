/// How a tokenizer marks word boundaries in its token strings. Decided once per latent (over all its
/// contexts' tokens), never from one context: a WordPiece context without a `##` piece still is WordPiece.
public enum TokenFamily: String, Sendable, Equatable, CaseIterable {
    /// SentencePiece (Gemma, Llama 2, T5): `▁` starts a word; `<0xNN>` byte-fallback tokens carry raw UTF-8 bytes.
    case sentencePiece
    /// GPT-2 byte-level BPE (GPT-2, Llama 3, Qwen): every byte is a printable character (`Ġ` a space,
    /// `Ċ` a newline, `âĢĻ` the three bytes of `’`), decoded through GPT-2's bytes_to_unicode table.
    case byteLevel
    /// WordPiece (BERT), and plain word tokens: every token is a word unless it starts with `##`.
    case wordPiece
    /// Already-decoded strings (Neuronpedia shows tokens this way): a leading space starts a word.
    case decoded

    /// The family of a whole latent's tokens (every context's, concatenated or not).
    public static func detect<S: Sequence>(_ tokens: S) -> TokenFamily where S.Element == String {
        var byteLevel = false, wordPiece = false, spaced = false
        for t in tokens {
            guard let first = t.unicodeScalars.first else { continue }
            if first == "▁" || ByteFallback.byte(t) != nil { return .sentencePiece }
            if first == "Ġ" || first == "Ċ" || first == "ĉ" { byteLevel = true }
            if t.hasPrefix("##") && t.count > 2 { wordPiece = true }
            if first.properties.isWhitespace { spaced = true }
        }
        if byteLevel { return .byteLevel }
        if wordPiece { return .wordPiece }
        // Tokens with leading spaces are decoded text; tokens without any are whole words.
        return spaced ? .decoded : .wordPiece
    }

    /// The family of every token of `contexts`.
    public static func detect(_ contexts: [Context]) -> TokenFamily? {
        guard contexts.contains(where: { $0.tokens != nil }) else { return nil }
        return detect(contexts.lazy.compactMap(\.tokens).joined())
    }
}

/// A word rebuilt from one or more tokens.
public struct Word: Sendable, Equatable {
    public var text: String
    /// Whether a space separates it from the previous word.
    public var spaceBefore: Bool
    /// Whether a line break separates it from the previous word (then `spaceBefore` is true too).
    public var newlineBefore: Bool
    /// Raw activation: the maximum over its tokens.
    public var activation: Double
    /// Indices of the tokens it was built from.
    public var tokens: Range<Int>

    public init(text: String, spaceBefore: Bool, activation: Double, tokens: Range<Int>, newlineBefore: Bool = false) {
        self.text = text
        self.spaceBefore = spaceBefore
        self.newlineBefore = newlineBefore
        self.activation = activation
        self.tokens = tokens
    }

    /// What goes between the previous word and this one.
    public var separator: String { newlineBefore ? "\n" : spaceBefore ? " " : "" }
}

/// Merges word pieces back into words, so a highlight covers "activation" rather than "activ"+"ation",
/// and turns the tokenizer's byte encodings back into real UTF-8 text.
public enum WordPieces {
    /// The words of a text without tokens: split at spaces, a word at activation 1 when it
    /// overlaps a marked span (`{{…}}` in the input), else 0; each word counts as one token.
    public static func words(text: String, marked: [Range<Int>]) -> [Word] {
        var words: [Word] = []
        var offset = 0
        for (n, piece) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            defer { offset += piece.count + 1 }
            guard !piece.isEmpty else { continue }
            let range = offset..<(offset + piece.count)
            let isMarked = marked.contains { $0.overlaps(range) }
            words.append(Word(text: String(piece), spaceBefore: !words.isEmpty, activation: isMarked ? 1 : 0, tokens: n..<(n + 1)))
        }
        return words
    }

    /// Merges `tokens` (with `activations`, same count) into words. Punctuation-only pieces become
    /// words of their own, so markup wraps `{{word}},` rather than `{{word,}}`. Special tokens
    /// (`<bos>`, `<|endoftext|>`, `[CLS]`, …) carry no text and no activation.
    public static func words(tokens: [String], activations: [Double], family: TokenFamily? = nil) -> [Word] {
        precondition(tokens.count == activations.count, "one activation per token")
        let family = family ?? TokenFamily.detect(tokens)
        var words: [Word] = []
        var current: Word?
        var pending: (space: Bool, newline: Bool) = (false, false)
        // Bytes of a character split across tokens (GPT-2 `âĢ` + `Ļ`, SentencePiece `<0xE2>` `<0x80>` `<0x99>`).
        var partial: [UInt8] = []
        var partialStart = 0
        var partialActivation = 0.0
        func flush() {
            if let w = current { words.append(w) }
            current = nil
        }
        func add(_ piece: String, from start: Int, to end: Int, activation a: Double) {
            guard !piece.isEmpty else { return }
            let startsWord = pending.space || pending.newline
            let newline = pending.newline
            pending = (false, false)
            let punctuation = piece.allSatisfy { !$0.isLetter && !$0.isNumber }
            if punctuation {
                flush()
                let space = startsWord && !words.isEmpty && (family != .wordPiece || newline)
                words.append(Word(text: piece, spaceBefore: space, activation: a, tokens: start..<end, newlineBefore: newline && !words.isEmpty))
            } else if var w = current, !startsWord {
                w.text += piece
                w.activation = max(w.activation, a)
                w.tokens = w.tokens.lowerBound..<end
                current = w
            } else {
                flush()
                current = Word(text: piece, spaceBefore: startsWord && !words.isEmpty, activation: a, tokens: start..<end,
                               newlineBefore: newline && !words.isEmpty)
            }
        }
        for (i, raw) in tokens.enumerated() {
            let a = activations[i]
            if SpecialTokens.contains(raw) {
                if !partial.isEmpty { add(String(decoding: partial, as: UTF8.self), from: partialStart, to: i, activation: partialActivation) }
                partial = []
                flush()
                continue
            }
            var bytes: [UInt8]
            var continuation = false
            switch family {
            case .sentencePiece:
                if let b = ByteFallback.byte(raw) {
                    bytes = [b]
                } else {
                    bytes = Array(raw.replacingOccurrences(of: "▁", with: " ").utf8)
                }
            case .byteLevel:
                bytes = ByteLevel.bytes(of: raw)
            case .wordPiece:
                if raw.hasPrefix("##") && raw.count > 2 {
                    bytes = Array(raw.dropFirst(2).utf8)
                    continuation = true
                } else {
                    bytes = Array(raw.utf8)
                }
            case .decoded:
                bytes = Array(raw.utf8)
            }
            // Leading whitespace is the word boundary; a line break among it is kept as one.
            var lead = 0
            while lead < bytes.count, [0x20, 0x0a, 0x09, 0x0d].contains(bytes[lead]) {
                if bytes[lead] == 0x0a { pending.newline = true } else { pending.space = true }
                lead += 1
            }
            if family == .wordPiece && !continuation { pending.space = true }
            var body = Array(bytes[lead...])
            // Trailing whitespace (`"\n"` tokens, `"word "`) starts the next word.
            var trailing: (space: Bool, newline: Bool) = (false, false)
            while let last = body.last, [0x20, 0x0a, 0x09, 0x0d].contains(last) {
                if last == 0x0a { trailing.newline = true } else { trailing.space = true }
                body.removeLast()
            }
            if lead > 0 && !partial.isEmpty {
                add(String(decoding: partial, as: UTF8.self), from: partialStart, to: i, activation: partialActivation)
                partial = []
            }
            if !body.isEmpty {
                if partial.isEmpty { partialStart = i; partialActivation = a } else { partialActivation = max(partialActivation, a) }
                partial += body
                let (text, rest) = UTF8Split.split(partial)
                partial = rest
                if !text.isEmpty {
                    add(text, from: partialStart, to: i + 1, activation: partialActivation)
                    partialStart = i
                    partialActivation = a
                }
            }
            if trailing.space || trailing.newline {
                if !partial.isEmpty { add(String(decoding: partial, as: UTF8.self), from: partialStart, to: i + 1, activation: partialActivation) }
                partial = []
                pending.space = pending.space || trailing.space
                pending.newline = pending.newline || trailing.newline
            }
        }
        if !partial.isEmpty { add(String(decoding: partial, as: UTF8.self), from: partialStart, to: tokens.count, activation: partialActivation) }
        flush()
        return words
    }

    /// The plain text the words spell.
    public static func text(of words: [Word]) -> String {
        var s = ""
        for w in words {
            if !s.isEmpty { s += w.separator }
            s += w.text
        }
        return s
    }
}

/// Special tokens of the common tokenizer families: they carry no text.
public enum SpecialTokens {
    static let names: Set<String> = [
        "<bos>", "<eos>", "<pad>", "<unk>", "<mask>", "<s>", "</s>", "<start_of_turn>", "<end_of_turn>",
        "<start_of_image>", "<end_of_image>", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]", "<cls>", "<sep>",
    ]

    /// `<bos>`, `[CLS]`, `<|endoftext|>`, `<|begin_of_text|>`, `<|eot_id|>`, `<|im_start|>` and the like.
    public static func contains(_ token: String) -> Bool {
        if names.contains(token) { return true }
        // `<|…|>`: GPT-2, Llama 3, Qwen, Phi.
        return token.hasPrefix("<|") && token.hasSuffix("|>") && token.count > 4 && !token.contains(" ")
    }
}

/// SentencePiece byte fallback: `<0xE2>` is the byte 0xE2 of a character the vocabulary lacks.
enum ByteFallback {
    static func byte(_ token: String) -> UInt8? {
        let u = Array(token.utf8)
        guard u.count == 6, u[0] == 0x3c, u[1] == 0x30, u[2] == 0x78, u[5] == 0x3e else { return nil }
        return UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16)
    }
}

/// GPT-2's `bytes_to_unicode`: the printable bytes stand for themselves, the other 68 (controls,
/// space, DEL, NBSP, soft hyphen) for U+0100 onwards, in byte order.
public enum ByteLevel {
    static let unicodeToByte: [UInt32: UInt8] = {
        var table: [UInt32: UInt8] = [:]
        var printable = Set<Int>()
        for r in [33...126, 161...172, 174...255] { for b in r { printable.insert(b) } }
        var n: UInt32 = 0
        for b in 0...255 {
            if printable.contains(b) {
                table[UInt32(b)] = UInt8(b)
            } else {
                table[256 + n] = UInt8(b)
                n += 1
            }
        }
        return table
    }()

    /// The bytes a byte-level token stands for; characters outside the table (an already-decoded
    /// token) keep their own UTF-8.
    public static func bytes(of token: String) -> [UInt8] {
        var out: [UInt8] = []
        for s in token.unicodeScalars {
            if let b = unicodeToByte[s.value] { out.append(b) } else { out += Array(String(s).utf8) }
        }
        return out
    }

    /// A byte-level token sequence as UTF-8 text.
    public static func decode(_ tokens: [String]) -> String {
        String(decoding: tokens.flatMap(bytes(of:)), as: UTF8.self)
    }
}

/// Splits bytes into the text they spell and an incomplete UTF-8 character at the end, which the
/// next token completes.
enum UTF8Split {
    static func split(_ bytes: [UInt8]) -> (String, [UInt8]) {
        var cut = bytes.count
        // An incomplete sequence is at most 3 bytes: a lead byte and too few continuation bytes.
        var i = bytes.count - 1
        var continuation = 0
        while i >= 0, i >= bytes.count - 4 {
            let b = bytes[i]
            if b & 0xc0 == 0x80 { continuation += 1; i -= 1; continue }
            let need = b & 0xe0 == 0xc0 ? 1 : b & 0xf0 == 0xe0 ? 2 : b & 0xf8 == 0xf0 ? 3 : 0
            if need > continuation { cut = i }
            break
        }
        return (String(decoding: bytes[0..<cut], as: UTF8.self), Array(bytes[cut...]))
    }
}
