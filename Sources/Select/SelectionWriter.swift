import AtlasCore
import Contexts
import Foundation

/// The latent a selection makes, as the project's contexts JSONL: a header line with the latent's
/// name, title, model, layer and index and the `selection` record, then one context per line
/// (id, text, score, embedding, and the carried fields) in descending score.
public struct SelectedLatent {
    public struct Info: Sendable, Equatable {
        public var name: String
        public var title: String?
        public var model: String?
        public var layer: String?
        public var index: String?
        public var description: String?

        public init(name: String, title: String? = nil, model: String? = nil, layer: String? = nil, index: String? = nil, description: String? = nil) {
            self.name = name; self.title = title; self.model = model; self.layer = layer; self.index = index; self.description = description
        }
    }

    public var info: Info
    public var record: SelectionRecord
    /// The JSONL text.
    public var text: String
    /// Fields of the texts file that were left out (not context fields the render reads).
    public var ignoredFields: [String]

    /// Builds the file for one direction's result.
    public init(info: Info, result: DirectionScores, scan: Scan, matrix: Matrix, texts: TextTable, embeddingsSpec: String,
                histogram: Histogram? = nil) throws {
        guard let last = result.top.last, let first = result.top.first else { throw SelectError.noUsableRows(file: matrix.name, skipped: scan.nonFiniteRows + scan.zeroRows) }
        self.info = info
        let stats = result.statistics
        record = SelectionRecord(embeddings: embeddingsSpec, texts: texts.path, direction: result.direction.spec, rows: scan.rows,
                                 dimension: scan.dimension, dtype: matrix.element.kind.rawValue, skippedRows: scan.nonFiniteRows + scan.zeroRows,
                                 top: result.top.count, threshold: Double(last.score), mean: stats.mean, std: stats.standardDeviation,
                                 topScore: Double(first.score), tool: "\(ToolVersion.name) \(ToolVersion.current)",
                                 histogram: histogram.map { SelectionRecord.ScoreHistogram(lower: $0.lower, width: $0.width, counts: $0.counts) })
        var out = "{\"latent\": {\"name\": \(JSONText.string(info.name))"
        for (key, value) in [("title", info.title), ("model", info.model), ("layer", info.layer), ("index", info.index), ("description", info.description)] {
            if let value { out += ", \"\(key)\": \(JSONText.string(value))" }
        }
        out += ", \"selection\": \(JSONText.object(record))}}\n"
        var ignored = Set<String>()
        var lineOfID: [String: Int] = [:]
        let half = matrix.element.kind == .float16
        for (hit, embedding) in zip(result.top, result.embeddings) {
            let entry = try texts.entry(hit.row)
            ignored.formUnion(entry.ignored)
            let id = entry.id ?? String(hit.row)
            if let firstLine = lineOfID[id] { throw SelectError.duplicateID(file: texts.path, id: id, line: hit.row + 1, firstLine: firstLine) }
            lineOfID[id] = hit.row + 1
            out += "{\"id\": \(JSONText.string(id)), \"text\": \(JSONText.string(entry.text)), \"score\": \(hit.score)"
            out += ", \"embedding\": [" + Self.numbers(embedding, half: half) + "]"
            for (key, value) in entry.carried { out += ", \"\(key)\": \(JSONText.value(value))" }
            out += "}\n"
        }
        text = out
        ignoredFields = ignored.sorted()
    }

    /// `1.5, -0.25, …`: float16 rows at their own precision (the shortest text that reads back the same).
    static func numbers(_ values: [Float], half: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 12)
        for (j, v) in values.enumerated() {
            if j > 0 { bytes.append(0x2c); bytes.append(0x20) }
            bytes.append(contentsOf: (half ? Float16(v).description : v.description).utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func write(to path: String) throws {
        try AtomicFile.write(Data(text.utf8), to: path)
    }
}

/// JSON text for the values the writer emits; strings are escaped by Foundation's serialiser.
enum JSONText {
    static func string(_ s: String) -> String {
        // Nothing to escape (the common case): no serialiser needed.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) { return "\"" + s + "\"" }
        let data = try! JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : d.description
    }

    static func value(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d): return number(d)
        case let .string(s): return string(s)
        case let .array(items): return "[" + items.map { value($0.value) }.joined(separator: ", ") + "]"
        case let .object(fields): return "{" + fields.map { "\(string($0.key)): \(value($0.value.value))" }.joined(separator: ", ") + "}"
        }
    }

    static func object(_ r: SelectionRecord) -> String {
        let values: [String] = [string(r.embeddings), string(r.texts), string(r.direction), String(r.rows), String(r.dimension),
                                string(r.dtype), String(r.skippedRows), String(r.top), Float(r.threshold).description,
                                r.mean.description, r.std.description, Float(r.topScore).description, string(r.tool)]
            + (r.histogram.map { h in ["{\"lower\": \(h.lower), \"width\": \(h.width), \"counts\": [\(h.counts.map(String.init).joined(separator: ", "))]}"] } ?? [])
        return "{" + zip(SelectionRecord.keys, values).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
    }
}
