import Contexts

/// The header of a `.safetensors` file: an 8-byte little-endian length, then a JSON object of
/// tensors (`dtype`, `shape`, `data_offsets` relative to the end of the header).
struct SafetensorsHeader {
    struct Tensor: Equatable {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int
    }

    var tensors: [Tensor]
    var dataStart: Int

    init(_ file: MappedFile) throws {
        let path = file.path
        guard file.size >= 8 else { throw SelectError.truncated(file: path, needed: 8, available: file.size, what: "the safetensors header length") }
        let length = Int(truncatingIfNeeded: file.pointer(at: 0).loadUnaligned(as: UInt64.self))
        guard length >= 2, length < 100_000_000 else {
            throw SelectError.badMagic(file: path, found: "a header length of \(UInt64(truncatingIfNeeded: length)) bytes", expected: "a safetensors header (a small JSON object)")
        }
        guard 8 + length <= file.size else { throw SelectError.truncated(file: path, needed: 8 + length, available: file.size, what: "the safetensors header") }
        let root: JSONValue.Located
        do {
            root = try JSONParser.parse(file.bytes(8..<8 + length))
        } catch let e as JSONSyntaxError {
            throw SelectError.badHeader(file: path, reason: "invalid JSON at column \(e.column): \(e.message)")
        }
        guard case let .object(fields) = root.value else { throw SelectError.badHeader(file: path, reason: "not a JSON object") }
        var tensors: [Tensor] = []
        for (name, v) in fields where name != "__metadata__" {
            func bad(_ r: String) -> SelectError { .badHeader(file: path, reason: "tensor '\(name)': \(r)") }
            guard case let .string(dtype)? = v.value["dtype"]?.value else { throw bad("no 'dtype'") }
            guard case let .array(shape)? = v.value["shape"]?.value else { throw bad("no 'shape'") }
            guard case let .array(offsets)? = v.value["data_offsets"]?.value, offsets.count == 2 else { throw bad("no 'data_offsets' pair") }
            func int(_ x: JSONValue.Located) throws -> Int {
                guard case let .number(d) = x.value, d >= 0, d == d.rounded(), d < 1e18 else { throw bad("a size that is not a whole number") }
                return Int(d)
            }
            tensors.append(Tensor(name: name, dtype: dtype, shape: try shape.map(int), begin: try int(offsets[0]), end: try int(offsets[1])))
        }
        self.tensors = tensors
        dataStart = 8 + length
    }

    static func element(_ dtype: String, file: String) throws -> ElementType {
        switch dtype {
        case "F32": return ElementType(.float32)
        case "F16": return ElementType(.float16)
        case "BF16": return ElementType(.bfloat16)
        case "F64": return ElementType(.float64)
        default: throw SelectError.unsupportedDType(file: file, dtype: "'\(dtype)'")
        }
    }
}
