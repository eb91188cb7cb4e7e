import Foundation
import Testing

/// Runs the built `atlas` binary and captures what it prints.
func atlas(_ arguments: [String], in directory: String = Repository.root.path) throws -> (status: Int32, out: String, err: String) {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("atlas").path,
        Bundle.main.bundleURL.appendingPathComponent("atlas").path,
        Repository.path(".build/debug/atlas"),
    ]
    let binary = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "atlas binary not built")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

@Suite("Command line")
struct CommandLineTests {
    @Test func versionAndHelp() throws {
        let v = try atlas(["--version"])
        #expect(v.status == 0 && v.out == "LatentAtlas 0.1.0\n")
        let h = try atlas(["render", "--help"])
        #expect(h.status == 0 && h.out.contains("--style") && h.out.contains("--set") && h.out.contains("--output"))
    }

    @Test func usageErrorsExit64() throws {
        let r = try atlas(["render"])
        #expect(r.status == 64)
        #expect(r.err.contains("Missing input file: give a .jsonl or .json path."))
        #expect(try atlas(["render", "x.jsonl", "--bogus"]).status == 64)
    }

    @Test func inputErrorsExit1WithOneSentence() throws {
        let dir = try temporaryDirectory()
        try Data("{\"id\": \"a\", \"text\": \"x\", \"score\": NaN}\n".utf8).write(to: URL(fileURLWithPath: dir + "/bad.jsonl"))
        let r = try atlas(["render", dir + "/bad.jsonl", "--output", dir + "/out"], in: dir)
        #expect(r.status == 1)
        #expect(r.err == "atlas: error: \(dir)/bad.jsonl:1: field 'score' is NaN or infinite; expected a finite number (read as LatentAtlas contexts JSONL).\n")
        #expect(r.out.isEmpty)
        let style = try atlas(["render", dir + "/bad.jsonl", "--style", "galery"], in: Repository.root.path)
        #expect(style.status == 64 && style.err.hasSuffix("did you mean 'gallery'?\n"))
    }

    @Test func rendersAndListsStyles() throws {
        let dir = try temporaryDirectory()
        let r = try atlas(["render", "Examples/neuronpedia-12082.json", "--style", "preview", "--set", "canvas.width=200",
                           "--set", "canvas.height=200", "--output", dir])
        #expect(r.status == 0)
        let name = "gemma-2-2b-20-gemmascope-res-16k-12082"
        #expect(r.out == "wrote \(dir)/\(name).png, \(dir)/\(name).json (200×200)\n")
        // The example repeats one context (the same tokens twice): the one warning.
        #expect(r.err.hasSuffix("field 'activations[77]': warning: 1 activation(s) repeat the token sequence of an earlier one and were left out\n"
            + "atlas: 1 warning(s) in Examples/neuronpedia-12082.json\n"))
        let s = try atlas(["styles"])
        #expect(s.status == 0 && s.out.contains("preview") && s.out.contains("exhibition"))
        #expect(try atlas(["styles", "--check"]).status == 0)
    }
}

@Suite("Command-line consistency")
struct CommandLineConsistencyTests {
    let input = "Examples/civic.jsonl"

    @Test func usageMistakesExit64WithOneClearSentence() throws {
        let set = try atlas(["render", input, "--set", "layout.mode=umapp"])
        #expect(set.status == 64)
        #expect(set.err == "atlas: error: --set layout.mode=umapp: style key 'layout.mode' is 'umapp'; expected one of constrained, umap, given; did you mean 'umap'?\n")
        #expect(try atlas(["render", input, "--set", "canvas.widht=5"]).status == 64)
        let empty = try atlas(["render", input, "--format", ""])
        #expect(empty.status == 64 && empty.err.contains("--format '' names no format; expected png, pdf, svg"))
        let jpg = try atlas(["render", input, "--format", "png,jpg"])
        #expect(jpg.status == 64 && jpg.err.contains("--format 'jpg' is not a format; expected one of png, pdf, svg"))
        for command in [["render", input], ["styles"], ["batch", "Examples"]] {
            let dir = try atlas(command + ["--styles-dir", "/nonexistent"])
            #expect(dir.status == 64 && dir.err.contains("--styles-dir '/nonexistent' does not exist"), "\(command)")
        }
    }

    @Test func mistypedCommandsGetADidYouMean() throws {
        let typo = try atlas(["rendr", input])
        #expect(typo.status == 64 && typo.err == "atlas: error: 'rendr' is not an atlas command; did you mean 'render'?\n")
        let help = try atlas(["help", "rendr"])
        #expect(help.status == 64 && help.err.contains("did you mean 'render'?") && help.out.isEmpty)
        let known = try atlas(["help", "batch"])
        #expect(known.status == 0 && known.out.contains("-j, --jobs <n>"))
    }

    @Test func negativeSeedsAreRejectedAsSuch() throws {
        let r = try atlas(["render", input, "--seed", "-1"])
        #expect(r.status == 64 && r.err.contains("seeds cannot be negative") && !r.err.contains("Missing value"))
        #expect(try atlas(["render", input, "--seed", "ten"]).err.contains("it is not a whole number"))
    }

    @Test func helpListsEveryExitCodeAndOneDefaultPerOption() throws {
        let root = try atlas(["--help"])
        let words = root.out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("2 when 'diff' cannot read an image, 64 on a usage error"))
        let batch = try atlas(["batch", "--help"])
        #expect(batch.out.contains("(default: the number of") && !batch.out.contains("(default: \(ProcessInfo.processInfo.activeProcessorCount))"))
        let render = try atlas(["render", "--help"])
        #expect(render.out.contains("--threads <threads>") && !render.out.contains("-j, --threads") && render.out.contains("-q, --quiet"))
        let j = try atlas(["render", input, "-j", "2"])
        #expect(j.status == 64 && j.err.contains("for threads use --threads N"))
        for command in ["batch", "index", "diff", "verify"] {
            #expect(try atlas([command, "--help"]).out.contains("-q, --quiet"), "\(command)")
        }
    }

    @Test func ioErrorsNameThePathAndTheReason() throws {
        let r = try atlas(["render", input, "-o", "/dev/full/x"])
        #expect(r.status == 1 && r.err == "atlas: error: /dev/full is not a folder while creating the folder /dev/full/x\n")
        #expect(!r.err.contains("NSCocoaErrorDomain"))
    }

    @Test func aRenderThatCannotFitIsRefusedUpFront() throws {
        let dir = try temporaryDirectory()
        let huge = try atlas(["render", input, "--set", "canvas.width=200000", "--set", "canvas.height=200000", "-o", dir])
        #expect(huge.status == 1 && huge.err.hasPrefix("atlas: error: this render needs ~") && huge.err.contains("GB; budget 512 MB; raise --memory or output.memory_budget_mb"))
        let tiny = try atlas(["render", input, "--memory", "1K", "-o", dir])
        #expect(tiny.status == 1 && tiny.err.contains("budget 1 KB"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
        #expect(try atlas(["render", input, "--memory", "lots"]).status == 64)
    }

    @Test func quietRenderPrintsNothing() throws {
        let dir = try temporaryDirectory()
        let r = try atlas(["render", input, "--set", "canvas.width=128", "--set", "canvas.height=128", "-o", dir, "-q"])
        #expect(r.status == 0 && r.out.isEmpty && r.err.isEmpty)
        let index = try atlas(["index", dir, "-q"])
        #expect(index.status == 0 && index.out.isEmpty)
        let diff = try atlas(["diff", dir + "/civic.png", dir + "/civic.png", "-q"])
        #expect(diff.status == 0 && diff.out.isEmpty)
    }
}

@Suite("Golden commands")
struct GoldenCommandTests {
    @Test func diffExitCodesAndJSON() throws {
        let g = Repository.path("Tests/Goldens/preview.png")
        let same = try atlas(["diff", g, g, "--json"])
        #expect(same.status == 0 && same.out.contains("\"ssim\" : 1") && same.out.contains("\"differing_pixels\" : 0"))
        let dir = try temporaryDirectory()
        let other = try atlas(["diff", g, Repository.path("Examples/civic.jsonl")])
        #expect(other.status == 2 && other.err.contains("not a PNG file"))
        let strict = try atlas(["diff", g, Repository.path("Tests/Goldens/gallery.png"), "--threshold", "0", "--max-differing", "0", "--include-aa", "--diff-out", dir + "/d.png"])
        #expect(strict.status == 1 && strict.out.contains("failed\n") && strict.out.contains("pixels differ"))
        #expect(FileManager.default.fileExists(atPath: dir + "/d.png"))
        #expect(try atlas(["diff", g, g, "--threshold", "2"]).status == 64)
    }

    @Test func verifyReportsAndUpdateApproves() throws {
        let renders = try temporaryDirectory(), goldens = try temporaryDirectory()
        let src = Repository.path("Tests/Goldens")
        for (file, from) in [("a.png", "preview.png"), ("b.png", "preview.png"), ("c.png", "preview.png")] {
            try FileManager.default.copyItem(atPath: "\(src)/\(from)", toPath: "\(renders)/\(file)")
        }
        try FileManager.default.copyItem(atPath: "\(src)/preview.png", toPath: "\(goldens)/a.png")
        try FileManager.default.copyItem(atPath: "\(src)/gallery.png", toPath: "\(goldens)/b.png")
        try "threshold: 0\ninclude_antialiasing: true\nmax_differing_share: 0\n".write(toFile: goldens + "/tolerance.yaml", atomically: true, encoding: .utf8)
        let r = try atlas(["verify", renders, "--goldens", goldens])
        #expect(r.status == 1)
        #expect(r.out.contains("a.png  ok") && r.out.contains("b.png  FAIL") && r.out.contains("c.png  NEW"))
        #expect(FileManager.default.fileExists(atPath: renders + "/verify-report/index.html"))
        #expect(FileManager.default.fileExists(atPath: renders + "/verify-report/b/difference.png"))
        let u = try atlas(["verify", renders, "--goldens", goldens, "--update"])
        #expect(u.status == 0 && u.out.contains("Updated 2 golden(s): b.png, c.png"))
        #expect(try atlas(["verify", renders, "--goldens", goldens]).status == 0)
        try "treshold: 0\n".write(toFile: goldens + "/tolerance.yaml", atomically: true, encoding: .utf8)
        let bad = try atlas(["verify", renders, "--goldens", goldens])
        #expect(bad.status == 64 && bad.err.contains("tolerance.yaml:1: unknown style key 'treshold'; did you mean 'threshold'?"))
    }

    @Test func verifyArtifactsStayInsideTheReportFolder() throws {
        let renders = try temporaryDirectory(), goldens = try temporaryDirectory()
        let src = Repository.path("Tests/Goldens")
        let names = ["...png", "..png", ".png", "a b.png", "A.png", "a.png", String(repeating: "旗", count: 80) + ".png"]
        for name in names {
            try FileManager.default.copyItem(atPath: "\(src)/preview.png", toPath: "\(renders)/\(name)")
            try FileManager.default.copyItem(atPath: "\(src)/gallery.png", toPath: "\(goldens)/\(name)")
        }
        let r = try atlas(["verify", renders, "--goldens", goldens, "--report", renders + "/report", "--max-differing", "0", "--threshold", "0"])
        #expect(r.status == 1)
        // Nothing lands beside the report folder or in the renders folder.
        for file in ["reference.png", "failure.png", "difference.png"] {
            #expect(!FileManager.default.fileExists(atPath: renders + "/" + file))
            #expect(!FileManager.default.fileExists(atPath: renders + "/report/" + file))
        }
        let folders = try FileManager.default.contentsOfDirectory(atPath: renders + "/report").filter { $0 != "index.html" }
        #expect(folders.count == names.count, "\(folders)")
        #expect(folders.allSatisfy { !$0.hasPrefix(".") && $0.utf8.count <= 200 })
        for folder in folders { #expect(FileManager.default.fileExists(atPath: renders + "/report/" + folder + "/difference.png")) }
        #expect(folders.contains("a"))
    }
}
