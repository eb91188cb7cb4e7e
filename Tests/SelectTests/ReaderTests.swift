import Foundation
import Testing
@testable import Select

/// The error `body` throws, or nil.
func selectError(_ body: () throws -> Void) -> SelectError? {
    do { try body(); return nil } catch let e as SelectError { return e } catch { return nil }
}

@Suite("Matrix files")
struct ReaderTests {
    let m = Fixture.matrix(rows: 40, columns: 19)
    let d = Fixture.matrix(rows: 1, columns: 19, seed: 9)[0]

    func topRows(_ spec: String, top: Int = 7) throws -> [Int] {
        let matrix = try MatrixFile.open(spec)
        let scan = try Scanner.scan(matrix, directions: [try Direction(spec: "d", raw: d)], top: top, threads: 3)
        return scan.results[0].top.map(\.row)
    }

    @Test(arguments: [(UInt8(1), Fixture.DType.f4, false, false), (2, .f4, true, false), (3, .f8, false, true), (1, .f8, true, true),
                      (1, .f2, false, false), (2, .f2, true, true)])
    func npyVersionsTypesOrders(version: UInt8, dtype: Fixture.DType, bigEndian: Bool, fortran: Bool) throws {
        let dir = try Fixture.folder()
        let path = try Fixture.write(Fixture.npy(m, dtype, version: version, bigEndian: bigEndian, fortran: fortran), dir + "/m.npy")
        let matrix = try MatrixFile.open(path)
        #expect(matrix.shape == [40, 19])
        #expect(matrix.order == (fortran ? .columnMajor : .rowMajor))
        #expect(try topRows(path) == Fixture.reference(m, d, top: 7))
        // Rows read back exactly (the values are multiples of 1/1024, exact in every type).
        #expect(try matrix.row(5).map(Double.init) == m[5])
    }

    @Test(arguments: [false, true])
    func npzMembersStoredAndDeflated(deflated: Bool) throws {
        let dir = try Fixture.folder()
        let zip = Fixture.zip([("X.npy", Fixture.npy(m)), ("F.npy", Fixture.npy(m, .f2, fortran: true))], deflated: deflated)
        let path = try Fixture.write(zip, dir + "/a.npz")
        #expect(try MatrixFile.open(path + ":X").isCompressed == deflated)
        #expect(try topRows(path + ":X") == Fixture.reference(m, d, top: 7))
        #expect(try topRows(path + ":F.npy") == Fixture.reference(m, d, top: 7))
        #expect(try MatrixFile.open(path + ":F").row(39).map(Double.init) == m[39])
    }

    @Test func deflatedMemberStreamsInManyChunks() throws {
        let big = Fixture.matrix(rows: 3000, columns: 33, seed: 4)
        let dir = try Fixture.folder()
        let path = try Fixture.write(Fixture.zip([("X.npy", Fixture.npy(big))], deflated: true), dir + "/b.npz")
        let matrix = try MatrixFile.open(path)
        var chunks = 0
        try matrix.stream(chunkBytes: 4096) { _, _, _ in chunks += 1 }
        #expect(chunks > 90)
        let dd = Array(d.prefix(33)) + Array(repeating: 0.5, count: 14)
        let scan = try Scanner.scan(matrix, directions: [try Direction(spec: "d", raw: dd)], top: 25)
        #expect(scan.results[0].top.map(\.row) == Fixture.reference(big, dd, top: 25))
        #expect(scan.results[0].embeddings[3].map(Double.init) == big[scan.results[0].top[3].row])
    }

    @Test(arguments: ["F32", "F16", "BF16"])
    func safetensorsTensors(dtype: String) throws {
        let dir = try Fixture.folder()
        let path = try Fixture.write(Fixture.safetensors([("W_dec", m, dtype), ("b_dec", [d], "F32")], shapes: ["b_dec": [19]]), dir + "/sae_weights.safetensors")
        #expect(try topRows(path + ":W_dec") == Fixture.reference(m, d, top: 7))
        let direction = try Direction.read(path + ":W_dec:12")
        #expect(direction.row == 12 && direction.dimension == 19)
        #expect(try Direction.read(path + ":b_dec").dimension == 19)
    }

    // MARK: Bad input

    @Test func wrongMagicAndVersion() throws {
        let dir = try Fixture.folder()
        let bad = try Fixture.write(Array("PK\u{3}\u{4} not numpy at all".utf8), dir + "/x.npy")
        #expect(selectError { _ = try MatrixFile.open(bad) }.map { "\($0)".contains("not \\x93NUMPY") } == true)
        var v9 = Fixture.npy(m); v9[6] = 9
        let p = try Fixture.write(v9, dir + "/v9.npy")
        #expect(selectError { _ = try MatrixFile.open(p) } == .unsupportedVersion(file: p, version: "9.0"))
        let notZip = try Fixture.write(Fixture.npy(m), dir + "/n.npz")
        #expect(selectError { _ = try MatrixFile.open(notZip) }.map { "\($0)".contains("'PK'") } == true)
    }

    @Test func headerThatLiesAboutTheShape() throws {
        let dir = try Fixture.folder()
        let tooBig = try Fixture.write(Fixture.npy(m, shape: "(41, 19)"), dir + "/big.npy")
        let e = selectError { _ = try MatrixFile.open(tooBig) }
        #expect(e == .sizeMismatch(file: tooBig, shape: [41, 19], dtype: "float32", expected: 41 * 19 * 4, actual: 40 * 19 * 4))
        #expect("\(e!)".contains("less than that"))
        let tooSmall = try Fixture.write(Fixture.npy(m, shape: "(39, 19)"), dir + "/small.npy")
        #expect("\(selectError { _ = try MatrixFile.open(tooSmall) }!)".contains("more than that"))
        let huge = try Fixture.write(Fixture.npy(m, shape: "(9223372036854775807, 19)"), dir + "/huge.npy")
        #expect(selectError { _ = try MatrixFile.open(huge) } != nil)
    }

    @Test func truncatedFiles() throws {
        let dir = try Fixture.folder()
        let full = Fixture.npy(m)
        let header = try Fixture.write(Array(full.prefix(40)), dir + "/h.npy")
        guard case .truncated? = selectError({ _ = try MatrixFile.open(header) }) else { Issue.record("expected truncated"); return }
        let data = try Fixture.write(Array(full.dropLast(100)), dir + "/d.npy")
        #expect("\(selectError { _ = try MatrixFile.open(data) }!)".contains("less than that"))
        let zip = Fixture.zip([("X.npy", Fixture.npy(m))], deflated: true)
        let cut = try Fixture.write(Array(zip.prefix(zip.count / 2)), dir + "/cut.npz")
        #expect(selectError { _ = try MatrixFile.open(cut + ":X") } != nil)
        let tiny = try Fixture.write([0x93, 0x4e], dir + "/t.npy")
        guard case .truncated? = selectError({ _ = try MatrixFile.open(tiny) }) else { Issue.record("expected truncated"); return }
        // A deflated stream whose data is damaged part-way through fails with the member named.
        var damaged = Fixture.zip([("X.npy", Fixture.npy(Fixture.matrix(rows: 400, columns: 19)))], deflated: true)
        for i in 300..<340 { damaged[i] ^= 0x5a }
        let dpath = try Fixture.write(damaged, dir + "/damaged.npz")
        let err = selectError {
            let mx = try MatrixFile.open(dpath)
            _ = try Scanner.scan(mx, directions: [try Direction(spec: "d", raw: d)], top: 3)
        }
        #expect(err.map { "\($0)".contains("X.npy") } == true)
    }

    @Test(arguments: ["<i4", "<c8", "|O", "|b1", "<U5"])
    func unsupportedElementTypes(descr: String) throws {
        let dir = try Fixture.folder()
        let path = try Fixture.write(Fixture.npy(m, header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (40, 19), }"), dir + "/i.npy")
        guard case let .unsupportedDType(_, dtype)? = selectError({ _ = try MatrixFile.open(path) }) else { Issue.record("expected unsupported dtype"); return }
        #expect(dtype.contains(descr))
        let st = try Fixture.write(Fixture.safetensors([("W", m, "I32")]), dir + "/i.safetensors")
        #expect(selectError { _ = try MatrixFile.open(st) } == .unsupportedDType(file: st + ":W", dtype: "'I32'"))
        let structured = try Fixture.write(Fixture.npy(m, header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (40, 19), }"), dir + "/s.npy")
        guard case .unsupportedDType? = selectError({ _ = try MatrixFile.open(structured) }) else { Issue.record("expected unsupported dtype"); return }
    }

    @Test func threeDimensionalAndEmptyMatrices() throws {
        let dir = try Fixture.folder()
        let threeD = try Fixture.write(Fixture.npy(m, shape: "(2, 20, 19)"), dir + "/3d.npy")
        let dir3 = try Direction(spec: "d", raw: d)
        #expect(selectError { _ = try Scanner.scan(try MatrixFile.open(threeD), directions: [dir3], top: 3) }
                == .wrongRank(file: threeD, shape: [2, 20, 19], expected: "a 2-D matrix (rows × dimension)"))
        let empty = try Fixture.write(Fixture.npy([], shape: "(0, 19)"), dir + "/e.npy")
        #expect(selectError { _ = try Scanner.scan(try MatrixFile.open(empty), directions: [dir3], top: 3) } == .empty(file: empty, shape: [0, 19]))
    }

    @Test func missingTensorNamesListTheArraysThere() throws {
        let dir = try Fixture.folder()
        let npz = try Fixture.write(Fixture.zip([("W_dec.npy", Fixture.npy(m)), ("b_enc.npy", Fixture.npy(m))], deflated: false), dir + "/params.npz")
        let e = selectError { _ = try MatrixFile.open(npz + ":W_dex") }
        #expect(e == .missingTensor(file: npz, name: "W_dex", available: ["W_dec", "b_enc"]))
        #expect("\(e!)".contains("Did you mean 'W_dec'?"))
        #expect(selectError { _ = try MatrixFile.open(npz) } == .tensorNeeded(file: npz, available: ["W_dec", "b_enc"]))
        let st = try Fixture.write(Fixture.safetensors([("W_dec", m, "F32"), ("W_enc", m, "F32")]), dir + "/w.safetensors")
        #expect(selectError { _ = try MatrixFile.open(st + ":nope") } == .missingTensor(file: st, name: "nope", available: ["W_dec", "W_enc"]))
        #expect(selectError { _ = try MatrixFile.open(dir + "/absent.npy") } == .unreadable(file: dir + "/absent.npy", reason: "no such file"))
    }
}
