import Foundation

/// Hashes that are the same on every machine and run (Swift's `Hasher` is randomly seeded per process).
public enum StableHash {
    /// FNV-1a, 64-bit, over raw bytes.
    @inlinable
    public static func fnv1a<S: Sequence>(_ bytes: S, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 where S.Element == UInt8 {
        var h = seed
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }

    /// FNV-1a of a string's UTF-8 bytes.
    @inlinable
    public static func of(_ text: String, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        fnv1a(text.utf8, seed: seed)
    }

    /// SplitMix64 finaliser: a strong 64-bit mixer used to derive independent streams from counters.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Combines several values into one hash (order matters).
    @inlinable
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        mix(a ^ (b &* 0x9e37_79b9_7f4a_7c15 &+ 0x632b_e59b_d9b4_e019))
    }

    /// Hex digest of a hash, 16 characters.
    public static func hex(_ h: UInt64) -> String {
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// A file's size and FNV-1a 64 hash, read in chunks: what a manifest records of each output so a
/// damaged or truncated file is noticed.
public struct FileDigest: Codable, Sendable, Equatable {
    public var bytes: UInt64
    /// 16 hex digits of FNV-1a 64 over the file's bytes.
    public var hash: String

    public init(bytes: UInt64, hash: String) {
        self.bytes = bytes
        self.hash = hash
    }

    /// Reads the whole file at `path`.
    public init(path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else { throw FileError(.reading, path: path, code: errno) }
        defer { try? file.close() }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var total: UInt64 = 0
        while true {
            let chunk: Data
            do {
                guard let c = try file.read(upToCount: 1 << 20), !c.isEmpty else { break }
                chunk = c
            } catch {
                throw FileError.from(error, operation: .reading, path: path) ?? error
            }
            h = chunk.withUnsafeBytes { StableHash.fnv1a($0, seed: h) }
            total += UInt64(chunk.count)
        }
        bytes = total
        hash = StableHash.hex(h)
    }
}
