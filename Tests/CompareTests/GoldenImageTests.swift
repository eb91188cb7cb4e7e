import AtlasCore
import Foundation
import Testing
@testable import Compare

@Suite("Golden images")
struct GoldenImageTests {
    static func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-golden-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static let image: RGBAImage = {
        var image = RGBAImage(width: 8, height: 8)
        for i in stride(from: 0, to: image.pixels.count, by: 4) { image.pixels[i] = UInt8(i % 256); image.pixels[i + 3] = 255 }
        return image
    }()

    @Test func recordingHappensOnlyWhenAsked() throws {
        #expect(try RecordMode.fromEnvironment([:]) == .never)
        #expect(try RecordMode.fromEnvironment(["CI": "1"]) == .never)
        #expect(try RecordMode.fromEnvironment(["ATLAS_RECORD": ""]) == .never)
        #expect(try RecordMode.fromEnvironment(["ATLAS_RECORD": "missing"]) == .missing)
        #expect(throws: RecordModeError(value: "yes")) { try RecordMode.fromEnvironment(["ATLAS_RECORD": "yes"]) }
    }

    @Test func aMissingGoldenFailsAndIsNotWritten() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let golden = GoldenImage(path: dir + "/case.png", artifacts: dir + "/artifacts")
        guard case let .failed(message) = try golden.check(Self.image, mode: .never) else {
            Issue.record("a missing golden passed")
            return
        }
        #expect(message.contains("ATLAS_RECORD=missing"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/case.png"))
        #expect(try golden.check(Self.image, mode: .missing) == .recorded)
        #expect(try golden.check(Self.image, mode: .never) == .matched)
    }
}
