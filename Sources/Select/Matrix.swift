import Foundation

/// A 1-D or 2-D float array in a file, located but not read: a mapped `.npy`, a stored or
/// deflated `.npz` member, or a `.safetensors` tensor.
public struct Matrix: @unchecked Sendable {
    public enum Order: String, Sendable { case rowMajor = "C", columnMajor = "Fortran" }

    enum Storage {
        /// The data at `offset` in a mapped file.
        case mapped(MappedFile, offset: Int)
        /// A deflated `.npz` member: its `.npy` header is `headerLength` bytes of the inflated stream.
        case deflated(MappedFile, ZipArchive.Member, headerLength: Int)
    }

    /// How the user named it: `file.npz:W_dec`.
    public var name: String
    public var file: String
    public var shape: [Int]
    public var element: ElementType
    public var order: Order
    let storage: Storage

    public var rows: Int { shape.count == 2 ? shape[0] : 1 }
    public var columns: Int { shape.last ?? 0 }
    public var byteCount: Int { shape.reduce(1, *) * element.size }
    /// Streamed through inflate rather than mapped.
    public var isCompressed: Bool { if case .deflated = storage { return true } else { return false } }

    /// Checks the rank and that it holds values.
    func requireMatrix() throws {
        guard shape.count == 2 else { throw SelectError.wrongRank(file: name, shape: shape, expected: "a 2-D matrix (rows × dimension)") }
        guard shape[0] > 0, shape[1] > 0 else { throw SelectError.empty(file: name, shape: shape) }
    }

    /// One row (or the whole of a 1-D array, `row` 0) as floats.
    public func row(_ row: Int) throws -> [Float] {
        let n = columns
        var out = [Float](repeating: 0, count: n)
        try rows([row]) { _, values in out = Array(values) }
        return out
    }

    /// Calls `body(row, values)` for each requested row (in ascending row order).
    func rows(_ wanted: [Int], _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        let n = columns, size = element.size
        let sorted = Array(Set(wanted)).sorted()
        var buffer = [Float](repeating: 0, count: n)
        switch storage {
        case let .mapped(file, offset):
            for r in sorted {
                try buffer.withUnsafeMutableBufferPointer { out in
                    switch order {
                    case .rowMajor:
                        element.convert(file.pointer(at: offset + r * n * size), count: n, into: out.baseAddress!)
                    case .columnMajor:
                        for j in 0..<n { element.convert(file.pointer(at: offset + (j * rows + r) * size), count: 1, into: out.baseAddress! + j) }
                    }
                    try body(r, UnsafeBufferPointer(out))
                }
            }
        case .deflated:
            // One pass over the stream, keeping only the wanted rows.
            var kept: [Int: [Float]] = [:]
            let wantedSet = Set(sorted)
            for r in sorted { kept[r] = [Float](repeating: 0, count: n) }
            try stream { start, count, pointer in
                // `start` is the element index of the chunk's first value.
                var e = start
                let end = start + count
                while e < end {
                    let (r, j) = order == .rowMajor ? (e / n, e % n) : (e % rows, e / rows)
                    if wantedSet.contains(r) {
                        var v: Float = 0
                        element.convert(pointer.advanced(by: (e - start) * size), count: 1, into: &v)
                        kept[r]![j] = v
                    }
                    e += 1
                }
            }
            for r in sorted { try kept[r]!.withUnsafeBufferPointer { try body(r, $0) } }
        }
    }

    /// Streams a deflated member's data: `body(firstElement, elementCount, bytes)` for each chunk of
    /// whole elements, in order.
    func stream(chunkBytes: Int = 8 << 20, _ body: (Int, Int, UnsafeRawPointer) throws -> Void) throws {
        guard case let .deflated(file, member, headerLength) = storage else { return }
        let inflater = try Inflater(file: file, member: member)
        let size = element.size
        let capacity = max(chunkBytes / size, 1) * size
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, headerLength), alignment: 64)
        defer { buffer.deallocate() }
        try inflater.readExactly(into: buffer, count: headerLength, what: "the NumPy header of '\(member.name)'")
        let total = byteCount
        var done = 0
        while done < total {
            let want = min(capacity, total - done)
            try inflater.readExactly(into: buffer, count: want, what: "member '\(member.name)' (\(total) bytes of data)")
            try body(done / size, want / size, UnsafeRawPointer(buffer))
            done += want
        }
    }
}
