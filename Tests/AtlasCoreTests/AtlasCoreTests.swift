import Foundation
import Testing
@testable import AtlasCore

@Test func counterRandomIsAPureFunctionOfItsCounter() {
    let r = CounterRandom(seed: 42, stream: 7)
    let forward = (0..<100).map { r.bits(UInt64($0)) }
    let backward = (0..<100).reversed().map { r.bits(UInt64($0)) }.reversed()
    #expect(forward == Array(backward))
    #expect(CounterRandom(seed: 42, stream: 8).bits(0) != r.bits(0))
}

@Test func gaussianHasUnitMoments() {
    let r = CounterRandom(seed: 1)
    let n = 20000
    let xs = (0..<n).map { r.gaussian(UInt64($0)) }
    let mean = xs.reduce(0, +) / Double(n)
    let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
    #expect(abs(mean) < 0.03)
    #expect(abs(variance - 1) < 0.05)
}

@Test func colourHexRoundTripsAndOKLabInverts() throws {
    let c = try #require(RGBColor(hex: "#e4572e"))
    #expect(c.hex == "#e4572e")
    let back = RGBColor(oklab: c.oklab)
    #expect(abs(back.red - c.red) < 1e-6 && abs(back.green - c.green) < 1e-6 && abs(back.blue - c.blue) < 1e-6)
    #expect(RGBColor(hex: "red") == nil)
    #expect(RGBColor(hex: "#12345") == nil)
}

@Test func settingsCheckNamesTheKeyAndRange() {
    var check = SettingsCheck()
    check.range("steps", 0, 1...1000)
    check.range("eta", 0.5, 0.0...1.0)
    #expect(check.violations == [.init(key: "steps", message: "0 is out of range; allowed 1…1000")])
}

@Suite("File errors")
struct FileErrorTests {
    @Test func aFullDeviceIsNamedWithItsPath() throws {
        // /dev/full fails every write with ENOSPC.
        do {
            try Data(repeating: 1, count: 1 << 16).write(to: URL(fileURLWithPath: "/dev/full"))
            Issue.record("writing /dev/full succeeded")
        } catch {
            let e = try #require(FileError.from(error, operation: .writing, path: "/dev/full"))
            #expect(e.description == "no space left on device while writing /dev/full")
        }
    }

    @Test func aFolderUnderAFileSaysWhichPartIsNotAFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-fe-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: dir + "/file"))
        #expect(throws: FileError(.creating, path: dir + "/file/a/b", code: ENOTDIR, detail: dir + "/file")) {
            try AtomicFile.createFolder(dir + "/file/a/b")
        }
        do {
            try AtomicFile.write(Data("x".utf8), to: dir + "/file/x.json")
        } catch {
            #expect(FileError.sentence(error) == "\(dir)/file is not a folder while creating the folder \(dir)/file")
        }
        #expect(FileError.sentence(CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: "/out/a.png"])) == "no space left on device while writing /out/a.png")
    }

    @Test func fileDigestIsFNV1aOfTheBytes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-digest-\(UUID().uuidString)").path
        let bytes = Data((0..<3_000_000).map { UInt8($0 % 251) })
        try bytes.write(to: URL(fileURLWithPath: path))
        let d = try FileDigest(path: path)
        #expect(d.bytes == 3_000_000 && d.hash == StableHash.hex(StableHash.fnv1a(bytes)))
    }
}

@Suite("OKLab")
struct OKLabTests {
    /// The decoder's Float pixel path and the Double colour path share one set of matrices.
    @Test func floatAndDoubleConversionsAgree() {
        for hex in ["#f4efe6", "#1d1b19", "#ff2d55", "#3a86ff", "#06d6a0"] {
            let lab = RGBColor(hex: hex)!.oklab
            let double = ColorSpace.okLabToLinear(lab)
            let float = ColorSpace.okLabToLinear(SIMD3<Float>(Float(lab.x), Float(lab.y), Float(lab.z)))
            for k in 0..<3 { #expect(abs(Double(float[k]) - double[k]) < 1e-5, "\(hex) channel \(k)") }
            #expect(abs(double.x - RGBColor(hex: hex)!.linear.x) < 1e-6)
        }
    }
}
