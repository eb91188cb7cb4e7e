import CScan

/// How one matrix element is stored.
public struct ElementType: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable { case float16, bfloat16, float32, float64 }
    public var kind: Kind
    public var bigEndian: Bool

    public init(_ kind: Kind, bigEndian: Bool = false) {
        self.kind = kind
        self.bigEndian = bigEndian && kind != .bfloat16
    }

    public var size: Int {
        switch kind {
        case .float16, .bfloat16: return 2
        case .float32: return 4
        case .float64: return 8
        }
    }

    public var description: String { kind.rawValue + (bigEndian ? " (big-endian)" : "") }

    /// The kernel type when the scan kernels read this element directly (native little-endian
    /// 16- and 32-bit floats); `nil` when it is converted to float32 first.
    var kernelType: Int32? {
        guard !bigEndian else { return nil }
        switch kind {
        case .float32: return Int32(ATLAS_SCAN_F32.rawValue)
        case .float16: return Int32(ATLAS_SCAN_F16.rawValue)
        case .bfloat16: return Int32(ATLAS_SCAN_BF16.rawValue)
        case .float64: return nil
        }
    }

    /// Converts `count` elements at `source` to floats.
    func convert(_ source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        if let t = kernelType {
            atlas_scan_convert(source, count, t, out)
            return
        }
        switch (kind, bigEndian) {
        case (.float64, _):
            for j in 0..<count {
                var bits = source.loadUnaligned(fromByteOffset: j * 8, as: UInt64.self)
                if bigEndian { bits = bits.byteSwapped }
                out[j] = Float(Double(bitPattern: bits))
            }
        case (.float32, _):
            for j in 0..<count { out[j] = Float(bitPattern: source.loadUnaligned(fromByteOffset: j * 4, as: UInt32.self).byteSwapped) }
        default: // big-endian float16
            var swapped = [UInt16](repeating: 0, count: count)
            for j in 0..<count { swapped[j] = source.loadUnaligned(fromByteOffset: j * 2, as: UInt16.self).byteSwapped }
            atlas_scan_convert(swapped, count, Int32(ATLAS_SCAN_F16.rawValue), out)
        }
    }
}
