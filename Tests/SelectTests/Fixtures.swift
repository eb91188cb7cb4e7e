import CZlib
import Foundation

/// Tiny array files written by the tests themselves: `.npy`, `.npz` (stored or deflated) and `.safetensors`.
enum Fixture {
    static func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "select-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func write(_ bytes: [UInt8], _ path: String) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A seeded matrix with values in -1…1.
    static func matrix(rows: Int, columns: Int, seed: UInt64 = 1) -> [[Double]] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state % 2_000_001) / 1_000_000 - 1
        }
        return (0..<rows).map { _ in (0..<columns).map { _ in (next() * 1024).rounded() / 1024 } }
    }

    enum DType: String { case f2 = "f2", f4 = "f4", f8 = "f8" }

    static func elementBytes(_ v: Double, _ t: DType, bigEndian: Bool) -> [UInt8] {
        var out: [UInt8]
        switch t {
        case .f2: out = withUnsafeBytes(of: Float16(v).bitPattern.littleEndian, Array.init)
        case .f4: out = withUnsafeBytes(of: Float(v).bitPattern.littleEndian, Array.init)
        case .f8: out = withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init)
        }
        return bigEndian ? out.reversed() : out
    }

    /// `.npy` bytes; `header` replaces the dictionary when given.
    static func npy(_ m: [[Double]], _ t: DType = .f4, version: UInt8 = 1, bigEndian: Bool = false, fortran: Bool = false,
                    header: String? = nil, shape: String? = nil) -> [UInt8] {
        let rows = m.count, cols = m.first?.count ?? 0
        let shapeText = shape ?? "(\(rows), \(cols))"
        var dict = header ?? "{'descr': '\(bigEndian ? ">" : "<")\(t.rawValue)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }"
        let prelude = version == 1 ? 10 : 12
        while (prelude + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let n = dict.utf8.count
        out += version == 1 ? [UInt8(n & 0xff), UInt8(n >> 8)] : [UInt8(n & 0xff), UInt8((n >> 8) & 0xff), UInt8((n >> 16) & 0xff), UInt8(n >> 24)]
        out += Array(dict.utf8)
        if fortran {
            for j in 0..<cols { for i in 0..<rows { out += elementBytes(m[i][j], t, bigEndian: bigEndian) } }
        } else {
            for row in m { for v in row { out += elementBytes(v, t, bigEndian: bigEndian) } }
        }
        return out
    }

    /// A 1-D `.npy`.
    static func vector(_ v: [Double], _ t: DType = .f4) -> [UInt8] {
        npy([v], t, shape: "(\(v.count),)")
    }

    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
    static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }

    static func rawDeflate(_ data: [UInt8]) -> [UInt8] {
        var s = z_stream()
        deflateInit2_(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, uLong(data.count))) + 64)
        var input = data
        let produced: Int = input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                s.next_in = inp.baseAddress; s.avail_in = uInt(inp.count)
                s.next_out = o.baseAddress; s.avail_out = uInt(o.count)
                deflate(&s, Z_FINISH)
                return o.count - Int(s.avail_out)
            }
        }
        deflateEnd(&s)
        return Array(out[0..<produced])
    }

    /// A zip of `members` (name, bytes), stored or deflated.
    static func zip(_ members: [(String, [UInt8])], deflated: Bool) -> [UInt8] {
        var out: [UInt8] = [], directory: [UInt8] = []
        for (name, data) in members {
            let body = deflated ? rawDeflate(data) : data
            let crc = Int(data.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
            let offset = out.count
            let method = deflated ? 8 : 0
            out += le32(0x0403_4b50) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0) + le32(crc) + le32(body.count) + le32(data.count)
                + le16(name.utf8.count) + le16(0) + Array(name.utf8) + body
            directory += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0) + le32(crc) + le32(body.count)
                + le32(data.count) + le16(name.utf8.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + Array(name.utf8)
        }
        let start = out.count
        out += directory
        out += le32(0x0605_4b50) + le16(0) + le16(0) + le16(members.count) + le16(members.count) + le32(directory.count) + le32(start) + le16(0)
        return out
    }

    /// A `.safetensors` file of named tensors (dtype F32, F16 or BF16; 2-D unless `shape` is given).
    static func safetensors(_ tensors: [(String, [[Double]], String)], shapes: [String: [Int]] = [:]) -> [UInt8] {
        var header: [String] = [], data: [UInt8] = []
        for (name, m, dtype) in tensors {
            let begin = data.count
            for row in m {
                for v in row {
                    switch dtype {
                    case "F16": data += elementBytes(v, .f2, bigEndian: false)
                    case "BF16": data += Array(withUnsafeBytes(of: Float(v).bitPattern, Array.init)[2...3])
                    default: data += elementBytes(v, .f4, bigEndian: false)
                    }
                }
            }
            let shape = shapes[name] ?? [m.count, m.first?.count ?? 0]
            header.append("\"\(name)\": {\"dtype\": \"\(dtype)\", \"shape\": [\(shape.map(String.init).joined(separator: ", "))], \"data_offsets\": [\(begin), \(data.count)]}")
        }
        var json = Array(("{\"__metadata__\": {\"format\": \"pt\"}, " + header.joined(separator: ", ") + "}").utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + data
    }

    /// The reference: cosine scores in double, top K by (score desc, row asc).
    static func reference(_ m: [[Double]], _ d: [Double], top: Int) -> [Int] {
        let dn = d.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var scores: [Double] = []
        for row in m {
            var dot = 0.0, n2 = 0.0
            for j in row.indices { dot += row[j] * d[j]; n2 += row[j] * row[j] }
            scores.append(dot / (n2.squareRoot() * dn))
        }
        let order = scores.indices.sorted { a, b in scores[a] > scores[b] || (scores[a] == scores[b] && a < b) }
        return Array(order.prefix(top))
    }

    static func texts(_ n: Int, in dir: String, name: String = "texts.jsonl") throws -> String {
        try write(Array((0..<n).map { "{\"text\": \"text \($0)\", \"id\": \"t\($0)\", \"cluster\": \($0 % 3), \"source\": \"x\"}\n" }.joined().utf8), dir + "/" + name)
    }
}
