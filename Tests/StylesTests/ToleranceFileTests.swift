import Foundation
import Testing
@testable import Styles
import Compare

@Suite("Tolerance files")
struct ToleranceFileTests {
    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tolerance-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsTheLargestAreaLimit() throws {
        let t = try ToleranceFile.load(try file("threshold: 0.05\nmax_differing_area: 1000\n"))
        #expect(t.maxDifferingArea == 1000 && t.threshold == 0.05)
        #expect(try ToleranceFile.load(try file("threshold: 0.2\n")).maxDifferingArea == Tolerance.defaultMaxDifferingArea)
    }

    @Test func rejectsANegativeArea() throws {
        let path = try file("max_differing_area: -3\n")
        #expect(throws: (any Error).self) { try ToleranceFile.load(path) }
    }
}
