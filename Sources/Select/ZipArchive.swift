/// The central directory of a `.npz` (a zip archive of `.npy` members), read from the mapped
/// file: names, methods, sizes and where each member's data starts. Zip64 is understood (NumPy
/// writes its members with Zip64 headers).
struct ZipArchive {
    struct Member: Equatable {
        var name: String
        /// 0 stored, 8 deflated.
        var method: Int
        var compressedSize: Int
        var uncompressedSize: Int
        var crc32: UInt32
        var dataOffset: Int
        var encrypted: Bool
    }

    var members: [Member]

    init(_ file: MappedFile) throws {
        let path = file.path
        let size = file.size
        func u16(_ o: Int) -> Int { Int(file.pointer(at: o).loadUnaligned(as: UInt16.self)) }
        func u32(_ o: Int) -> Int { Int(file.pointer(at: o).loadUnaligned(as: UInt32.self)) }
        func u64(_ o: Int) -> Int { Int(truncatingIfNeeded: file.pointer(at: o).loadUnaligned(as: UInt64.self)) }
        func damaged(_ reason: String) -> SelectError { .badHeader(file: path, reason: reason) }

        guard size >= 22 else {
            if size >= 4, file.bytes(0..<4) == [0x50, 0x4b, 0x03, 0x04] {
                throw SelectError.truncated(file: path, needed: 22, available: size, what: "the zip directory")
            }
            throw SelectError.badMagic(file: path, found: NumpyHeader.describe(file.bytes(0..<min(size, 4))), expected: "'PK' (a .npz zip archive)")
        }
        guard file.bytes(0..<2) == [0x50, 0x4b] else {
            throw SelectError.badMagic(file: path, found: NumpyHeader.describe(file.bytes(0..<4)), expected: "'PK' (a .npz zip archive)")
        }
        // End of central directory: the last signature 0x06054b50 within the final 64 KiB.
        var eocd = -1
        var o = size - 22
        let floor = max(0, size - 22 - 65535)
        while o >= floor {
            if u32(o) == 0x0605_4b50 { eocd = o; break }
            o -= 1
        }
        guard eocd >= 0 else { throw SelectError.truncated(file: path, needed: 22, available: size, what: "the zip directory (not found: the archive is cut short)") }
        var count = u16(eocd + 10)
        var directorySize = u32(eocd + 12)
        var directoryOffset = u32(eocd + 16)
        if count == 0xffff || directoryOffset == 0xffff_ffff || directorySize == 0xffff_ffff {
            let locator = eocd - 20
            guard locator >= 0, u32(locator) == 0x0706_4b50 else { throw damaged("a Zip64 archive without its locator") }
            let record = u64(locator + 8)
            guard record >= 0, record + 56 <= size, u32(record) == 0x0606_4b50 else { throw damaged("the Zip64 directory record is missing") }
            count = u64(record + 32)
            directorySize = u64(record + 40)
            directoryOffset = u64(record + 48)
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset + directorySize <= size else {
            throw SelectError.truncated(file: path, needed: directoryOffset + directorySize, available: size, what: "the zip directory")
        }
        var members: [Member] = []
        var p = directoryOffset
        for _ in 0..<count {
            guard p + 46 <= size, u32(p) == 0x0201_4b50 else { throw damaged("a broken central-directory entry at byte \(p)") }
            let flags = u16(p + 8), method = u16(p + 10)
            let crc = UInt32(u32(p + 16))
            var csize = u32(p + 20), usize = u32(p + 24)
            let nameLength = u16(p + 28), extraLength = u16(p + 30), commentLength = u16(p + 32)
            var local = u32(p + 42)
            guard p + 46 + nameLength + extraLength <= size else { throw damaged("a central-directory entry runs past the end") }
            let name = String(decoding: file.bytes(p + 46..<p + 46 + nameLength), as: UTF8.self)
            // Zip64 extra field: the 64-bit values of whichever fields are 0xffffffff, in order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = u16(e), length = u16(e + 2)
                if id == 0x0001 {
                    var q = e + 4
                    if usize == 0xffff_ffff, q + 8 <= e + 4 + length { usize = u64(q); q += 8 }
                    if csize == 0xffff_ffff, q + 8 <= e + 4 + length { csize = u64(q); q += 8 }
                    if local == 0xffff_ffff, q + 8 <= e + 4 + length { local = u64(q); q += 8 }
                }
                e += 4 + length
            }
            guard local >= 0, local + 30 <= size, u32(local) == 0x0403_4b50 else {
                throw SelectError.truncated(file: path, needed: local + 30, available: size, what: "member '\(name)'")
            }
            let dataOffset = local + 30 + u16(local + 26) + u16(local + 28)
            members.append(Member(name: name, method: method, compressedSize: csize, uncompressedSize: usize, crc32: crc,
                                  dataOffset: dataOffset, encrypted: flags & 1 != 0))
            p += 46 + nameLength + extraLength + commentLength
        }
        self.members = members
    }

    /// Array names as NumPy gives them (`W_dec.npy` → `W_dec`).
    var arrayNames: [String] { members.map { $0.name.hasSuffix(".npy") ? String($0.name.dropLast(4)) : $0.name } }

    func member(named name: String) -> Member? {
        members.first { $0.name == name + ".npy" } ?? members.first { $0.name == name }
    }
}
