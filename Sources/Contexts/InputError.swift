/// Where in an input file something is.
public struct InputLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String?
    /// The detected input format ("Neuronpedia feature JSON"), named in every message once known.
    public var format: String?

    public init(file: String, line: Int? = nil, field: String? = nil, format: String? = nil) {
        self.file = file
        self.line = line
        self.field = field
        self.format = format
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let field { s += ": field '\(field)'" }
        return s
    }
}

/// Input that cannot be read. Each case keeps the facts; `description` is the one sentence the CLI prints.
public enum InputError: Error, Equatable, CustomStringConvertible {
    case unreadable(InputLocation, reason: String)
    case invalidUTF8(InputLocation, byteOffset: Int)
    case invalidJSON(InputLocation, column: Int, reason: String)
    case wrongType(InputLocation, expected: String, got: String)
    case missingField(InputLocation, expected: String)
    case notFinite(InputLocation)
    case lengthMismatch(InputLocation, tokens: Int, activations: Int)
    case duplicateID(InputLocation, id: String, firstLine: Int)
    case invalidValue(InputLocation, reason: String, expected: String)
    case noContexts(file: String, skipped: Int)
    case unknownFormat(file: String)
    /// Content in a known format that is not an input (Neuronpedia's explanations or feature rows).
    case notAnInput(file: String, format: String, hint: String)
    /// Every latent of the input is dead: nothing to render.
    case deadFeature(file: String, latent: String, reason: String)

    public var location: InputLocation? {
        switch self {
        case let .unreadable(l, _), let .invalidUTF8(l, _), let .invalidJSON(l, _, _), let .wrongType(l, _, _),
             let .missingField(l, _), let .notFinite(l), let .lengthMismatch(l, _, _), let .duplicateID(l, _, _),
             let .invalidValue(l, _, _):
            return l
        case let .noContexts(file, _), let .unknownFormat(file), let .notAnInput(file, _, _), let .deadFeature(file, _, _):
            return InputLocation(file: file)
        }
    }

    /// The sentence, ending with the format the input was read as once that is known.
    public var description: String {
        guard let format = location?.format else { return sentence }
        return String(sentence.dropLast()) + " (read as \(format))."
    }

    private var sentence: String {
        switch self {
        case let .unreadable(l, reason):
            return "\(l): cannot read the file (\(reason))."
        case let .invalidUTF8(l, offset):
            return "\(l): the text is not valid UTF-8 (byte \(offset) of the line); save the file as UTF-8."
        case let .invalidJSON(l, column, reason):
            return "\(l), column \(column): invalid JSON: \(reason)."
        case let .wrongType(l, expected, got):
            return "\(l) is \(got); expected \(expected)."
        case let .missingField(l, expected):
            return "\(l) is missing; expected \(expected)."
        case let .notFinite(l):
            return "\(l) is NaN or infinite; expected a finite number."
        case let .lengthMismatch(l, tokens, activations):
            return "\(l): 'tokens' has \(tokens) entries but 'activations' has \(activations); expected one activation per token."
        case let .duplicateID(l, id, first):
            return "\(l): id '\(id)' was already used on line \(first); expected every context id to be unique."
        case let .invalidValue(l, reason, expected):
            return "\(l): \(reason); expected \(expected)."
        case let .noContexts(file, skipped):
            return "\(file): no contexts to render" + (skipped > 0 ? " (\(skipped) skipped with warnings)" : "") + "; expected at least one context with text and a score."
        case let .unknownFormat(file):
            return "\(file): unknown input format; expected LatentAtlas contexts JSONL, a Neuronpedia feature JSON, "
                + "Neuronpedia activation rows (JSONL, as in an export's activations/batch-N.jsonl.gz) or an SAEDashboard feature-batch JSON (any of them gzip)."
        case let .notAnInput(file, format, hint):
            return "\(file) is \(format), not an input; \(hint)."
        case let .deadFeature(file, latent, reason):
            return "\(file): latent '\(latent)' is dead (\(reason)); there is nothing to render, expected at least one activation above 0."
        }
    }
}

/// A problem in the input that did not stop reading. Counted and shown; never silent.
public struct InputWarning: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case byteOrderMark = "byte-order-mark"
        case crlfLineEndings = "crlf-line-endings"
        case emptyText = "empty-text"
        case unknownField = "unknown-field"
        case unbalancedMarkup = "unbalanced-markup"
        case ignoredNonFinite = "ignored-non-finite"
        case binsLeftOut = "bins-left-out"
        case duplicateContext = "duplicate-context"
        case inconsistentMaxValue = "inconsistent-max-value"
        case maxValueTokenIndex = "max-value-token-index"
        case textTruncated = "text-truncated"
        case deadFeature = "dead-feature"
        case derivedField = "derived-field"
    }

    public var kind: Kind
    public var location: InputLocation
    public var message: String

    public init(kind: Kind, location: InputLocation, message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): warning: \(message)" }
}
