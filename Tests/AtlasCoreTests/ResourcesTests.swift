import Foundation
import Testing
@testable import AtlasCore

@Suite("Resources")
struct ResourcesTests {
    /// A folder tree with empty files at `files` (relative paths).
    static func tree(_ files: [String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-resources-\(UUID().uuidString)")
        for f in files {
            let url = root.appendingPathComponent(f)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data().write(to: url)
        }
        return root
    }

    @Test func anInstalledBinaryReadsItsPrefixShare() throws {
        let root = try Self.tree(["prefix/bin/atlas", "prefix/share/latentatlas/Styles/_base.yaml"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(Resources.locate(executable: root.appendingPathComponent("prefix/bin/atlas").path)
            == root.appendingPathComponent("prefix/share/latentatlas").standardized.path)
    }

    @Test func aBuildTreeBinaryReadsItsCheckout() throws {
        let root = try Self.tree(["repo/Package.swift", "repo/Styles/_base.yaml", "repo/.build/x86_64-unknown-linux-gnu/release/atlas"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(Resources.locate(executable: root.appendingPathComponent("repo/.build/x86_64-unknown-linux-gnu/release/atlas").path)
            == root.appendingPathComponent("repo").standardized.path)
    }

    @Test func aStylesFolderWithoutAPackageIsNotACheckout() throws {
        // A user's own ./Styles beside a copied binary is found as ./Styles, not as the binary's resources.
        let root = try Self.tree(["work/Styles/_base.yaml", "work/atlas"])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(Resources.locate(executable: root.appendingPathComponent("work/atlas").path) == nil)
    }

    @Test func theTestRunnerFindsThisCheckout() {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(Resources.directory == checkout.standardized.path)
    }
}
