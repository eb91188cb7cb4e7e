import Foundation
import Testing

/// The built `atlas` binary.
func atlasBinary() throws -> String {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("atlas").path,
        Bundle.main.bundleURL.appendingPathComponent("atlas").path,
        Repository.path(".build/debug/atlas"),
    ]
    return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) }, "atlas binary not built")
}

func atlas(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: try atlasBinary())
    p.arguments = arguments
    p.currentDirectoryURL = Repository.root
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

@Suite("atlas batch on the command line")
struct BatchCommandLineTests {
    func latents(_ count: Int) throws -> (dir: String, input: String) {
        let dir = try temporaryDirectory(), input = dir + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        for i in 0..<count { try writeLatent("latent-\(i)", in: input, contexts: 40) }
        return (dir, input)
    }

    @Test func logsJSONAndExitStatus() throws {
        let (dir, input) = try latents(2)
        try Data("{\"text\": 1}\n".utf8).write(to: URL(fileURLWithPath: input + "/bad.jsonl"))
        let size = ["--set", "canvas.width=96", "--set", "canvas.height=96"]
        let plain = try atlas(["batch", input, "--style", "poster"] + size + ["-o", dir + "/out"])
        #expect(plain.status == 1)
        #expect(plain.out.contains("rendered latent-0 (\(input)/latent-0.jsonl, "))
        #expect(plain.out.contains("failed: \(input)/bad.jsonl: \(input)/bad.jsonl:1"))
        let json = try atlas(["batch", input, "--style", "poster"] + size + ["-o", dir + "/out", "--json"])
        let lines = json.out.split(separator: "\n")
        #expect(json.status == 1 && lines.count == 5)
        #expect(lines[1] == #"{"event":"skipped","latent":"latent-0","input":"\#(input)/latent-0.jsonl"}"#)
        #expect(lines.last?.hasPrefix(#"{"event":"finished","rendered":0,"skipped":2,"passed_over":0,"failed":1,"not_started":0,"#) == true)
        let typo = try atlas(["batch", input, "--style", "postr", "-o", dir + "/out"])
        #expect(typo.status == 64 && typo.err.hasSuffix("did you mean 'poster'?\n") && typo.out.isEmpty)
        #expect(try atlas(["batch", input, "--shard", "3/3"]).status == 64)
        #expect(try atlas(["batch", input, "-j", "0"]).status == 64)
        let index = try atlas(["index", dir + "/out"])
        #expect(index.status == 0 && index.out == "wrote \(dir)/out/index.json, \(dir)/out/contact-sheet.png, \(dir)/out/index.html (2 posters)\n")
    }

    @Test func aJobThatCanNeverFitIsRefusedNotStarted() throws {
        let (dir, input) = try latents(1)
        let r = try atlas(["batch", input, "--style", "poster", "--memory", "1K", "-o", dir + "/out"])
        #expect(r.status == 1 && r.out.contains("this render needs ~") && r.out.contains("budget 1 KB; raise --memory or output.memory_budget_mb"))
        #expect(r.out.contains("0 to render"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/latent-0.png"))
        let huge = try atlas(["batch", input, "--style", "poster", "--set", "canvas.width=200000", "--set", "canvas.height=200000", "-o", dir + "/out"])
        #expect(huge.status == 1 && huge.out.contains("GB; budget 512 MB"))
    }

    @Test func quietBatchPrintsOnlyFailures() throws {
        let (dir, input) = try latents(1)
        try Data("{\"text\": 1}\n".utf8).write(to: URL(fileURLWithPath: input + "/bad.jsonl"))
        let r = try atlas(["batch", input, "--style", "poster", "--set", "canvas.width=96", "--set", "canvas.height=96", "-o", dir + "/out", "-q"])
        #expect(r.status == 1 && r.out.isEmpty && r.err.hasPrefix("atlas: failed \(input)/bad.jsonl: ") && r.err.split(separator: "\n").count == 1)
        #expect(FileManager.default.fileExists(atPath: dir + "/out/latent-0.png"))
    }

    @Test func killedWithSIGKILLItResumesToTheSameOutputs() throws {
        let (dir, input) = try latents(8)
        let arguments = ["batch", input, "--style", "poster", "--set", "canvas.width=160", "--set", "canvas.height=160", "-j", "1"]
        #expect(try atlas(arguments + ["-o", dir + "/reference"]).status == 0)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: try atlasBinary())
        p.arguments = arguments + ["-o", dir + "/killed"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        // Kill as soon as the first render is reported, so the next one is mid-way.
        var seen = ""
        while !seen.contains("rendered ") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)

        let resumed = try atlas(arguments + ["-o", dir + "/killed"])
        #expect(resumed.status == 0 && resumed.out.contains("skipped latent-0 ("))
        #expect(try renderedFiles(dir + "/killed") == renderedFiles(dir + "/reference"))
    }
}
