import Foundation

/// Opens the array a spec names: `file.npy`, `file.npz[:name]`, `file.safetensors[:name]`,
/// optionally followed by `:row` when one row is wanted (see `DirectionSpec`).
public enum MatrixFile {
    public enum Format: String, Sendable { case npy, npz, safetensors }

    public static func format(of path: String) -> Format? {
        switch (path as NSString).pathExtension.lowercased() {
        case "npy": return .npy
        case "npz": return .npz
        case "safetensors": return .safetensors
        default: return nil
        }
    }

    /// Splits `spec` into an existing file and the `:`-separated parts after it.
    static func split(_ spec: String) throws -> (path: String, parts: [String]) {
        if FileManager.default.fileExists(atPath: spec) { return (spec, []) }
        let pieces = spec.components(separatedBy: ":")
        for cut in stride(from: pieces.count - 1, through: 1, by: -1) {
            let path = pieces[0..<cut].joined(separator: ":")
            if FileManager.default.fileExists(atPath: path) { return (path, Array(pieces[cut...])) }
        }
        // Name the part that looks like the file.
        let path = pieces.first { format(of: $0) != nil }.map { p in pieces[0...pieces.firstIndex(of: p)!].joined(separator: ":") } ?? spec
        throw SelectError.unreadable(file: path, reason: "no such file")
    }

    /// Opens the matrix `spec` names (`file`, `file:tensor`); the spec's own text names it in messages.
    public static func open(_ spec: String) throws -> Matrix {
        let (path, parts) = try split(spec)
        guard parts.count <= (format(of: path) == .npy ? 0 : 1) else {
            throw SelectError.notAMatrixFile(file: spec, reason: "'\(parts.joined(separator: ":"))' after the file name is more than an array name")
        }
        return try open(path: path, tensor: parts.first)
    }

    static func open(path: String, tensor: String?) throws -> Matrix {
        guard let format = format(of: path) else {
            throw SelectError.notAMatrixFile(file: path, reason: "the extension is not .npy, .npz or .safetensors")
        }
        let file = try MappedFile(path: path)
        switch format {
        case .npy:
            if let tensor { throw SelectError.notAMatrixFile(file: path, reason: "a .npy holds one array, so ':\(tensor)' names nothing") }
            return try npy(file, name: path)
        case .npz: return try npz(file, tensor: tensor)
        case .safetensors: return try safetensors(file, tensor: tensor)
        }
    }

    /// A mapped `.npy` (or a stored `.npz` member starting at `base`).
    static func npy(_ file: MappedFile, name: String, base: Int = 0, length: Int? = nil) throws -> Matrix {
        let available = length ?? file.size - base
        let prelude = file.bytes(base..<base + min(available, NumpyHeader.preludeLength))
        let offset = try NumpyHeader.dataOffset(prelude: prelude, file: name, available: available)
        guard offset <= available else { throw SelectError.truncated(file: name, needed: offset, available: available, what: "the NumPy header") }
        let header = try NumpyHeader.parse(file.bytes(base..<base + offset), file: name, available: available)
        let m = Matrix(name: name, file: file.path, shape: header.shape, element: header.element,
                       order: header.fortranOrder && header.shape.count > 1 ? .columnMajor : .rowMajor,
                       storage: .mapped(file, offset: base + offset))
        try checkSize(m, dataBytes: available - offset)
        return m
    }

    static func checkSize(_ m: Matrix, dataBytes: Int) throws {
        let (expected, overflow) = m.shape.reduce((1, false)) { acc, d in
            let (v, o) = acc.0.multipliedReportingOverflow(by: d)
            return (v, acc.1 || o)
        }
        let bytes = expected.multipliedReportingOverflow(by: m.element.size)
        guard !overflow, !bytes.overflow, bytes.partialValue == dataBytes else {
            throw SelectError.sizeMismatch(file: m.name, shape: m.shape, dtype: m.element.description,
                                           expected: overflow || bytes.overflow ? Int.max : bytes.partialValue, actual: dataBytes)
        }
    }

    static func npz(_ file: MappedFile, tensor: String?) throws -> Matrix {
        let zip = try ZipArchive(file)
        let names = zip.arrayNames
        let member: ZipArchive.Member
        if let tensor {
            guard let m = zip.member(named: tensor) else { throw SelectError.missingTensor(file: file.path, name: tensor, available: names) }
            member = m
        } else {
            guard zip.members.count == 1 else { throw SelectError.tensorNeeded(file: file.path, available: names) }
            member = zip.members[0]
        }
        let label = "\(file.path):\(member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name)"
        guard !member.encrypted else { throw SelectError.unsupportedMember(file: file.path, member: member.name, reason: "is encrypted") }
        guard member.dataOffset + member.compressedSize <= file.size else {
            throw SelectError.truncated(file: file.path, needed: member.dataOffset + member.compressedSize, available: file.size, what: "member '\(member.name)'")
        }
        switch member.method {
        case 0:
            return try npy(file, name: label, base: member.dataOffset, length: member.compressedSize)
        case 8:
            // Inflate just enough for the header; the data is streamed when scanned.
            let inflater = try Inflater(file: file, member: member)
            var head = [UInt8](repeating: 0, count: 4096)
            let got = try head.withUnsafeMutableBytes { try inflater.read(into: $0.baseAddress!, capacity: min(4096, max(member.uncompressedSize, 1))) }
            var prelude = Array(head[0..<got])
            let offset = try NumpyHeader.dataOffset(prelude: Array(prelude.prefix(NumpyHeader.preludeLength)), file: label, available: got)
            if offset > prelude.count {
                var more = [UInt8](repeating: 0, count: offset - prelude.count)
                try more.withUnsafeMutableBytes { try inflater.readExactly(into: $0.baseAddress!, count: offset - got, what: "the NumPy header") }
                prelude += more
            }
            let header = try NumpyHeader.parse(prelude, file: label, available: member.uncompressedSize)
            let m = Matrix(name: label, file: file.path, shape: header.shape, element: header.element,
                           order: header.fortranOrder && header.shape.count > 1 ? .columnMajor : .rowMajor,
                           storage: .deflated(file, member, headerLength: header.dataOffset))
            try checkSize(m, dataBytes: member.uncompressedSize - header.dataOffset)
            return m
        default:
            throw SelectError.unsupportedMember(file: file.path, member: member.name, reason: "uses compression method \(member.method)")
        }
    }

    static func safetensors(_ file: MappedFile, tensor: String?) throws -> Matrix {
        let header = try SafetensorsHeader(file)
        let names = header.tensors.map(\.name)
        let t: SafetensorsHeader.Tensor
        if let tensor {
            guard let found = header.tensors.first(where: { $0.name == tensor }) else {
                throw SelectError.missingTensor(file: file.path, name: tensor, available: names)
            }
            t = found
        } else {
            guard header.tensors.count == 1 else { throw SelectError.tensorNeeded(file: file.path, available: names) }
            t = header.tensors[0]
        }
        let label = "\(file.path):\(t.name)"
        let element = try SafetensorsHeader.element(t.dtype, file: label)
        guard t.end >= t.begin else { throw SelectError.badHeader(file: label, reason: "data_offsets end before they begin") }
        guard header.dataStart + t.end <= file.size else {
            throw SelectError.truncated(file: label, needed: header.dataStart + t.end, available: file.size, what: "tensor '\(t.name)'")
        }
        let m = Matrix(name: label, file: file.path, shape: t.shape, element: element, order: .rowMajor,
                       storage: .mapped(file, offset: header.dataStart + t.begin))
        try checkSize(m, dataBytes: t.end - t.begin)
        return m
    }
}
