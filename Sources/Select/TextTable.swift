import Contexts
import Foundation

/// The texts that go with the embedding rows, one per line: JSONL objects (`text`, optional `id`,
/// and any of the context fields the render reads) or plain text. Only the lines of the chosen
/// rows are parsed; the rest are only counted.
public struct TextTable {
    public enum Format: String, Sendable { case jsonl, plain }

    /// The fields carried from a texts line into the selected context, as the render reads them.
    public static let carriedFields = ["tokens", "activations", "position", "cluster"]
    /// Fields the selection itself provides, replaced when a texts line has them.
    public static let replacedFields = ["score", "embedding"]

    public let path: String
    public let format: Format
    private let file: MappedFile
    /// Byte offset of each line's start; one more entry marks the end of the last.
    private var starts: [Int] = []

    public var count: Int { starts.count - 1 }

    public init(path: String) throws {
        self.path = path
        let ext = (path as NSString).pathExtension.lowercased()
        format = ext == "jsonl" || ext == "ndjson" ? .jsonl : .plain
        file = try MappedFile(path: path)
        let size = file.size
        var starts = [0]
        if size > 0 {
            let base = file.pointer(at: 0)
            starts.reserveCapacity(size / 64)
            var o = 0
            while o < size {
                guard let nl = memchr(base + o, 0x0a, size - o) else { break }
                o = base.distance(to: UnsafeRawPointer(nl)) + 1
                starts.append(o)
            }
            if starts.last! < size { starts.append(size + 1) } // a last line without a newline
        }
        self.starts = starts
    }

    /// The raw bytes of line `row` (0-based), without the newline, a CR or a leading BOM.
    func line(_ row: Int) -> [UInt8] {
        var end = min(starts[row + 1] - 1, file.size)
        var start = starts[row]
        if end > start, file.bytes(end - 1..<end) == [0x0d] { end -= 1 }
        if row == 0, end - start >= 3, file.bytes(0..<3) == [0xef, 0xbb, 0xbf] { start += 3 }
        return file.bytes(start..<end)
    }

    /// A chosen row's context: its id, its text, and the carried fields as JSON values.
    public struct Entry: Sendable {
        public var id: String?
        public var text: String
        public var carried: [(key: String, value: JSONValue)]
        /// Names of fields that were neither carried nor replaced.
        public var ignored: [String]
    }

    public func entry(_ row: Int) throws -> Entry {
        let bytes = line(row)
        let number = row + 1
        guard format == .jsonl else {
            guard let text = String(validatingUTF8: bytes.map { CChar(bitPattern: $0) } + [0]) else {
                throw SelectError.badText(file: path, line: number, reason: "the text is not valid UTF-8; save the file as UTF-8")
            }
            return Entry(id: nil, text: text, carried: [], ignored: [])
        }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else {
            throw SelectError.badText(file: path, line: number, reason: "the line is blank; expected one JSON object with a 'text' per embedding row")
        }
        let v: JSONValue.Located
        do { v = try JSONParser.parse(bytes, firstLine: number) } catch let e as JSONSyntaxError {
            throw SelectError.badText(file: path, line: number, reason: "invalid JSON at column \(e.column): \(e.message)")
        }
        guard case let .object(fields) = v.value else {
            throw SelectError.badText(file: path, line: number, reason: "the line is \(v.value.typeName); expected a JSON object with a 'text'")
        }
        guard case let .string(text)? = v.value["text"]?.value else {
            throw SelectError.badText(file: path, line: number, reason: v.value["text"] == nil ? "there is no 'text' field" : "'text' is not a string")
        }
        var id: String?
        switch v.value["id"]?.value {
        case let .string(s)?: id = s
        case let .number(d)? where d == d.rounded() && abs(d) < 1e15: id = String(Int(d))
        case nil, .null?: break
        default: throw SelectError.badText(file: path, line: number, reason: "'id' is not a string or a whole number")
        }
        var carried: [(key: String, value: JSONValue)] = []
        var ignored: [String] = []
        for (key, value) in fields where key != "text" && key != "id" {
            if Self.carriedFields.contains(key) { carried.append((key, value.value)) }
            else if !Self.replacedFields.contains(key) { ignored.append(key) }
        }
        return Entry(id: id, text: text, carried: carried, ignored: ignored)
    }
}
