import AtlasCore

/// Why a selection could not be made. Each case keeps the facts; `description` is the one sentence
/// the CLI prints, naming the file and what would be right.
public enum SelectError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case notAMatrixFile(file: String, reason: String)
    case badMagic(file: String, found: String, expected: String)
    case unsupportedVersion(file: String, version: String)
    case badHeader(file: String, reason: String)
    case truncated(file: String, needed: Int, available: Int, what: String)
    case sizeMismatch(file: String, shape: [Int], dtype: String, expected: Int, actual: Int)
    case unsupportedDType(file: String, dtype: String)
    case wrongRank(file: String, shape: [Int], expected: String)
    case empty(file: String, shape: [Int])
    case missingTensor(file: String, name: String, available: [String])
    case tensorNeeded(file: String, available: [String])
    case unsupportedMember(file: String, member: String, reason: String)
    case corruptMember(file: String, member: String, reason: String)
    case rowOutOfRange(file: String, row: Int, rows: Int)
    case rowNeeded(file: String, shape: [Int], example: String)
    case badDirection(spec: String, reason: String)
    case directionNotFinite(source: String, index: Int)
    case directionZero(source: String)
    case dimensionMismatch(direction: String, directionDimension: Int, embeddings: String, embeddingDimension: Int)
    case rowCountMismatch(texts: String, lines: Int, embeddings: String, rows: Int)
    case badText(file: String, line: Int, reason: String)
    case duplicateID(file: String, id: String, line: Int, firstLine: Int)
    case noUsableRows(file: String, skipped: Int)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason))."
        case let .notAMatrixFile(file, reason):
            return "\(file): \(reason); expected a .npy, a .npz member (file.npz:name) or a .safetensors tensor (file.safetensors:name)."
        case let .badMagic(file, found, expected):
            return "\(file): the file starts with \(found), not \(expected); it is not that format or it is damaged."
        case let .unsupportedVersion(file, version):
            return "\(file): NumPy format version \(version) is not supported; expected version 1.0, 2.0 or 3.0."
        case let .badHeader(file, reason):
            return "\(file): the header is invalid (\(reason))."
        case let .truncated(file, needed, available, what):
            return "\(file): the file is truncated: \(what) needs \(needed) bytes but only \(available) are there."
        case let .sizeMismatch(file, shape, dtype, expected, actual):
            let direction = actual > expected ? "more" : "less"
            return "\(file): the header says shape \(Self.shape(shape)) of \(dtype) (\(expected) bytes), but the file holds \(actual) bytes of data, \(direction) than that; the header does not match the data."
        case let .unsupportedDType(file, dtype):
            return "\(file): the element type \(dtype) is not supported (object arrays are never unpickled); expected float32, float16, bfloat16 or float64."
        case let .wrongRank(file, shape, expected):
            return "\(file): the array has shape \(Self.shape(shape)) (\(shape.count)-D); expected \(expected)."
        case let .empty(file, shape):
            return "\(file): the matrix has shape \(Self.shape(shape)) and holds no values; expected at least one row and one column."
        case let .missingTensor(file, name, available):
            let hint = Suggestion.nearest(to: name, in: available).map { " Did you mean '\($0)'?" } ?? ""
            return "\(file): there is no array named '\(name)'; it holds \(Self.list(available)).\(hint)"
        case let .tensorNeeded(file, available):
            return "\(file): holds several arrays (\(Self.list(available))); name one as \(file):NAME."
        case let .unsupportedMember(file, member, reason):
            return "\(file): member '\(member)' \(reason); expected a stored or deflated .npy member."
        case let .corruptMember(file, member, reason):
            return "\(file): member '\(member)' is damaged (\(reason))."
        case let .rowOutOfRange(file, row, rows):
            return "\(file): row \(row) is out of range; the matrix has \(rows) rows (0 … \(rows - 1))."
        case let .rowNeeded(file, shape, example):
            return "\(file): is a \(Self.shape(shape)) matrix, not one direction; name a row, e.g. \(example)."
        case let .badDirection(spec, reason):
            return "direction '\(spec)': \(reason)."
        case let .directionNotFinite(source, index):
            return "\(source): the direction's value \(index) is NaN or infinite; expected finite numbers."
        case let .directionZero(source):
            return "\(source): the direction is all zeros and has no direction; expected a non-zero vector."
        case let .dimensionMismatch(direction, d, embeddings, e):
            return "the direction \(direction) has \(d) dimensions but the embeddings \(embeddings) have \(e); expected the same dimension (the model's width)."
        case let .rowCountMismatch(texts, lines, embeddings, rows):
            return "\(texts) has \(lines) rows but \(embeddings) has \(rows); expected one text per embedding row, in the same order."
        case let .badText(file, line, reason):
            return "\(file):\(line): \(reason)."
        case let .duplicateID(file, id, line, first):
            return "\(file):\(line): id '\(id)' was already used on line \(first); expected every id to be unique."
        case let .noUsableRows(file, skipped):
            return "\(file): every row was skipped (\(skipped) have NaN, infinite or all-zero values); expected finite embeddings."
        }
    }

    static func shape(_ s: [Int]) -> String {
        s.count == 1 ? "(\(s[0]),)" : "(" + s.map(String.init).joined(separator: ", ") + ")"
    }

    static func list(_ names: [String]) -> String {
        if names.isEmpty { return "no arrays" }
        let shown = names.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > 12 ? shown + " and \(names.count - 12) more" : shown
    }
}
