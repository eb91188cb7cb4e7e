import AtlasCore
import CScan
import Contexts
import Foundation
import Testing
@testable import Select

@Suite("Directions and the scan")
struct ScanTests {
    let m = Fixture.matrix(rows: 300, columns: 24, seed: 3)
    let d = Fixture.matrix(rows: 1, columns: 24, seed: 8)[0]

    @Test func directionsFromInlineListsVectorsAndRows() throws {
        let dir = try Fixture.folder()
        let inline = try Direction.read("[3, 4]")
        #expect(inline.values == [0.6, 0.8] && inline.norm == 5)
        #expect(try Direction.read("3,4").values == [0.6, 0.8])
        let v = try Fixture.write(Fixture.vector(d), dir + "/steer.npy")
        #expect(try Direction.read(v).dimension == 24)
        let w = try Fixture.write(Fixture.npy(m), dir + "/W.npy")
        let row = try Direction.read(w + ":17")
        #expect(row.row == 17)
        let n = m[17].reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(zip(row.values, m[17]).allSatisfy { abs(Double($0) - $1 / n) < 1e-6 })
        let npz = try Fixture.write(Fixture.zip([("W_dec.npy", Fixture.npy(m))], deflated: true), dir + "/params.npz")
        #expect(try Direction.read(npz + ":W_dec:17").values == row.values)
    }

    @Test func badDirections() throws {
        let dir = try Fixture.folder()
        #expect(selectError { _ = try Direction.read("[1, nan, 2]") } == .directionNotFinite(source: "direction '[1, nan, 2]'", index: 1))
        let inf = try Fixture.write(Fixture.vector([1, 2, .infinity]), dir + "/inf.npy")
        guard case .directionNotFinite(_, 2)? = selectError({ _ = try Direction.read(inf) }) else { Issue.record("expected not finite"); return }
        let zero = try Fixture.write(Fixture.vector([0, 0, 0]), dir + "/zero.npy")
        guard case .directionZero? = selectError({ _ = try Direction.read(zero) }) else { Issue.record("expected zero"); return }
        let w = try Fixture.write(Fixture.npy(m), dir + "/W.npy")
        #expect(selectError { _ = try Direction.read(w + ":300") } == .rowOutOfRange(file: w, row: 300, rows: 300))
        #expect(selectError { _ = try Direction.read(w + ":-1") } == .rowOutOfRange(file: w, row: -1, rows: 300))
        guard case .rowNeeded? = selectError({ _ = try Direction.read(w) }) else { Issue.record("expected a row to be needed"); return }
        guard case .badDirection? = selectError({ _ = try Direction.read("[1, x]") }) else { Issue.record("expected bad direction"); return }
        let st = try Fixture.write(Fixture.safetensors([("W_dec", m, "F32")]), dir + "/s.safetensors")
        #expect(selectError { _ = try Direction.read(st + ":W_dec:1000") } == .rowOutOfRange(file: st + ":W_dec", row: 1000, rows: 300))
    }

    @Test func dimensionMismatchNamesBoth() throws {
        let dir = try Fixture.folder()
        let w = try Fixture.write(Fixture.npy(m), dir + "/E.npy")
        let e = selectError { _ = try Scanner.scan(try MatrixFile.open(w), directions: [try Direction.read("[1, 2, 3]")], top: 3) }
        #expect(e == .dimensionMismatch(direction: "[1, 2, 3]", directionDimension: 3, embeddings: w, embeddingDimension: 24))
        #expect("\(e!)".contains("3 dimensions") && "\(e!)".contains("have 24"))
    }

    @Test func nanAndZeroRowsAreSkippedAndCounted() throws {
        var bad = m
        bad[5][3] = .nan
        bad[9][0] = .infinity
        bad[11] = Array(repeating: 0, count: 24)
        let dir = try Fixture.folder()
        let path = try Fixture.write(Fixture.npy(bad), dir + "/bad.npy")
        let scan = try Scanner.scan(try MatrixFile.open(path), directions: [try Direction(spec: "d", raw: d)], top: 300)
        #expect(scan.nonFiniteRows == 2 && scan.zeroRows == 1)
        #expect(scan.results[0].top.count == 297)
        #expect(!scan.results[0].top.contains { [5, 9, 11].contains($0.row) })
        #expect(scan.results[0].scores[5].isNaN && scan.results[0].statistics.count == 297)
        let allBad = try Fixture.write(Fixture.npy([[Double.nan, 1], [0, 0]]), dir + "/allbad.npy")
        #expect(selectError { _ = try Scanner.scan(try MatrixFile.open(allBad), directions: [try Direction.read("[1, 0]")], top: 3) }
                == .noUsableRows(file: allBad, skipped: 2))
    }

    @Test func tiesGoToTheLowerRowAndTopKMatchesTheReference() throws {
        let rows = (0..<50).map { i -> [Double] in i % 10 == 0 ? [1, 1] : [Double(i % 7) * 0.1 - 2, 1] }
        let dir = try Fixture.folder()
        let path = try Fixture.write(Fixture.npy(rows), dir + "/ties.npy")
        let scan = try Scanner.scan(try MatrixFile.open(path), directions: [try Direction.read("[1, 1]")], top: 5, threads: 4)
        #expect(scan.results[0].top.map(\.row) == [0, 10, 20, 30, 40])
        let ref = try Fixture.write(Fixture.npy(m), dir + "/m.npy")
        let s = try Scanner.scan(try MatrixFile.open(ref), directions: [try Direction(spec: "d", raw: d)], top: 40)
        #expect(s.results[0].top.map(\.row) == Fixture.reference(m, d, top: 40))
    }

    @Test func sameScoresAtAnyThreadCountAndForSeveralDirections() throws {
        let big = Fixture.matrix(rows: 20000, columns: 40, seed: 5)
        let dir = try Fixture.folder()
        let path = try Fixture.write(Fixture.npy(big, .f2), dir + "/big.npy")
        let dirs = try (1...3).map { try Direction(spec: "d\($0)", raw: Fixture.matrix(rows: 1, columns: 40, seed: UInt64(20 + $0))[0]) }
        let one = try Scanner.scan(try MatrixFile.open(path), directions: dirs, top: 100, threads: 1)
        let many = try Scanner.scan(try MatrixFile.open(path), directions: dirs, top: 100, threads: 7)
        for k in 0..<3 {
            #expect(one.results[k].scores.map(\.bitPattern) == many.results[k].scores.map(\.bitPattern))
            #expect(one.results[k].top == many.results[k].top)
            #expect(one.results[k].statistics == many.results[k].statistics)
            // Each direction scanned with the others gives what it gives alone.
            let alone = try Scanner.scan(try MatrixFile.open(path), directions: [dirs[k]], top: 100, threads: 2)
            #expect(alone.results[0].scores.map(\.bitPattern) == one.results[k].scores.map(\.bitPattern))
        }
    }

    @Test(arguments: [Int32(ATLAS_SCAN_F32.rawValue), Int32(ATLAS_SCAN_F16.rawValue), Int32(ATLAS_SCAN_BF16.rawValue)])
    func vectorKernelMatchesItsScalarTwinBitForBit(type: Int32) {
        for dim in [1, 7, 15, 16, 17, 33, 64, 100] {
            let rows = 9, ndir = 10
            let values = Fixture.matrix(rows: rows, columns: dim, seed: UInt64(dim)).flatMap { $0 }.map { Float($0) * 3.7 }
            var raw: [UInt8] = []
            for v in values {
                switch type {
                case Int32(ATLAS_SCAN_F16.rawValue): raw += withUnsafeBytes(of: Float16(v).bitPattern, Array.init)
                case Int32(ATLAS_SCAN_BF16.rawValue): raw += Array(withUnsafeBytes(of: v.bitPattern, Array.init)[2...3])
                default: raw += withUnsafeBytes(of: v.bitPattern, Array.init)
                }
            }
            let dirs = Fixture.matrix(rows: ndir, columns: dim, seed: 77).flatMap { $0 }.map { Float($0) - 0.25 }
            var a = [Float](repeating: 0, count: rows * ndir), b = a, na = [Float](repeating: 0, count: rows), nb = na
            let size = type == Int32(ATLAS_SCAN_F32.rawValue) ? 4 : 2
            atlas_scan_rows(raw, rows, dim, dim * size, type, dirs, ndir, &a, rows, &na)
            atlas_scan_rows_scalar(raw, rows, dim, dim * size, type, dirs, ndir, &b, rows, &nb)
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "dim \(dim)")
            #expect(na.map(\.bitPattern) == nb.map(\.bitPattern), "dim \(dim)")
        }
    }

    @Test func topKHeapKeepsTheBestUnderTheTotalOrder() {
        var heap = TopK(capacity: 3)
        for (r, s) in [(4, 0.5), (1, 0.9), (7, 0.5), (2, 0.5), (9, 0.1), (0, 0.9)] { heap.insert(Hit(row: r, score: Float(s))) }
        #expect(heap.sorted == [Hit(row: 0, score: 0.9), Hit(row: 1, score: 0.9), Hit(row: 2, score: 0.5)])
    }
}
