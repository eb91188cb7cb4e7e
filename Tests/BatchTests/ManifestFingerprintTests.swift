@testable import Batch
import Foundation
import Testing

@Suite("Manifest fingerprints")
struct ManifestFingerprintTests {
    func write(_ text: String) throws -> String {
        let path = try temporaryDirectory() + "/m.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func foundInTheTailInTheWholeFileOrByDecoding() throws {
        let contexts = (0..<400).map { "    {\"marked_text\" : \"a \\\"fingerprint\\\" : \\\"0000\\\" \\n  \\\"fingerprint\\\"\", \"id\" : \"\($0)\"}" }
        let manifest = "{\n  \"contexts\" : [\n" + contexts.joined(separator: ",\n") + "\n  ],\n  \"fingerprint\" : \"ead211708a32c801\",\n"
        #expect(ManifestFingerprint.read(try write(manifest + "  \"warnings\" : []\n}\n")) == "ead211708a32c801")
        let longWarnings = (0..<800).map { "    \"warning \($0)\"" }.joined(separator: ",\n")
        #expect(ManifestFingerprint.read(try write(manifest + "  \"warnings\" : [\n\(longWarnings)\n  ]\n}\n")) == "ead211708a32c801")
        #expect(ManifestFingerprint.read(try write(#"{"contexts":[],"fingerprint":"0123456789abcdef"}"#)) == "0123456789abcdef")
        #expect(ManifestFingerprint.read(try write("{}")) == nil)
        #expect(ManifestFingerprint.read("/nonexistent/m.json") == nil)
    }
}
