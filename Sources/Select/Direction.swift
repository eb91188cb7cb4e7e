import Foundation

/// The direction to score against: a 1-D array, one row of a matrix, or an inline list.
/// Normalised to unit length; its raw norm is kept for the record.
public struct Direction: Sendable, Equatable {
    /// How the user named it (`sae_weights.safetensors:W_dec:12082`).
    public var spec: String
    /// Unit length.
    public var values: [Float]
    public var norm: Double
    /// The row of the matrix it was taken from, when it was one.
    public var row: Int?
    /// The file it was read from (nil for an inline list).
    public var file: String?

    public var dimension: Int { values.count }

    public init(spec: String, raw: [Double], row: Int? = nil, file: String? = nil) throws {
        let source = file.map { f in row.map { "\(spec) (row \($0) of \(f))" } ?? spec } ?? "direction '\(spec)'"
        guard !raw.isEmpty else { throw SelectError.badDirection(spec: spec, reason: "it has no values") }
        if let bad = raw.firstIndex(where: { !$0.isFinite }) { throw SelectError.directionNotFinite(source: source, index: bad) }
        let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite else { throw SelectError.directionZero(source: source) }
        self.spec = spec
        values = raw.map { Float($0 / norm) }
        self.norm = norm
        self.row = row
        self.file = file
    }

    /// Reads `spec`: `[0.1, -0.2, …]` or `0.1,-0.2,…` inline; `file.npy` (1-D) or `file.npy:ROW`;
    /// `file.npz:NAME[:ROW]`; `file.safetensors:NAME[:ROW]` (NAME may be left out when the file
    /// holds one array).
    public static func read(_ spec: String) throws -> Direction {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("[") || (trimmed.contains(",") && !FileManager.default.fileExists(atPath: trimmed)
                                      && MatrixFile.format(of: trimmed.components(separatedBy: ":")[0]) == nil) {
            return try inline(trimmed)
        }
        let (path, parts) = try MatrixFile.split(trimmed)
        let format = MatrixFile.format(of: path)
        var tensor: String?
        var rowText: String?
        switch (format, parts.count) {
        case (_, 0): break
        case (.npy?, 1): rowText = parts[0]
        case (.npz?, 1), (.safetensors?, 1):
            // `file:NAME` or, for a file holding one array, `file:ROW`.
            if Int(parts[0]) != nil, (try? MatrixFile.open(path: path, tensor: parts[0])) == nil { rowText = parts[0] } else { tensor = parts[0] }
        case (.npz?, 2), (.safetensors?, 2): tensor = parts[0]; rowText = parts[1]
        default:
            throw SelectError.badDirection(spec: spec, reason: "expected FILE.npy[:ROW], FILE.npz:NAME[:ROW], FILE.safetensors:NAME[:ROW] or an inline list like [0.1, -0.2]")
        }
        let matrix = try MatrixFile.open(path: path, tensor: tensor)
        let label = matrix.name
        var row: Int?
        if let rowText {
            guard let r = Int(rowText) else { throw SelectError.badDirection(spec: spec, reason: "'\(rowText)' is not a row number") }
            row = r
        }
        switch matrix.shape.count {
        case 1:
            if let row { throw SelectError.badDirection(spec: spec, reason: "\(label) is 1-D (\(matrix.columns) values), so there is no row \(row) to take") }
            guard matrix.columns > 0 else { throw SelectError.empty(file: label, shape: matrix.shape) }
            return try Direction(spec: spec, raw: try matrix.row(0).map(Double.init), file: label)
        case 2:
            guard matrix.shape[1] > 0, matrix.shape[0] > 0 else { throw SelectError.empty(file: label, shape: matrix.shape) }
            let r: Int
            if let row { r = row } else if matrix.shape[0] == 1 { r = 0 } else {
                throw SelectError.rowNeeded(file: label, shape: matrix.shape, example: "\(label):\(min(12082, matrix.shape[0] - 1))")
            }
            guard (0..<matrix.shape[0]).contains(r) else { throw SelectError.rowOutOfRange(file: label, row: r, rows: matrix.shape[0]) }
            return try Direction(spec: spec, raw: try matrix.row(r).map(Double.init), row: row, file: label)
        default:
            throw SelectError.wrongRank(file: label, shape: matrix.shape, expected: "a 1-D direction or a 2-D matrix to take a row of")
        }
    }

    static func inline(_ text: String) throws -> Direction {
        var body = text
        if body.hasPrefix("[") {
            guard body.hasSuffix("]") else { throw SelectError.badDirection(spec: text, reason: "the list has no closing ']'") }
            body = String(body.dropFirst().dropLast())
        }
        var values: [Double] = []
        for (i, piece) in body.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let p = piece.trimmingCharacters(in: .whitespaces)
            guard let v = Double(p) else {
                throw SelectError.badDirection(spec: text, reason: "value \(i) ('\(p)') is not a number")
            }
            values.append(v)
        }
        return try Direction(spec: text, raw: values)
    }
}
