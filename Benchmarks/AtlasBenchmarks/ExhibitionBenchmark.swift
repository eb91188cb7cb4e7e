import Foundation

/// Issue 16's exhibition row on its own: `atlas render Examples/clockwork.jsonl --style exhibition`
/// (8192², 16-bit PNG + PDF) as a whole process — wall time (median of `--repeat`, default 3), CPU
/// time and peak RSS beside the style's memory budget — with the stage times the render records in
/// its manifest, then the same render with each other `output.deflate_strategy` (one run each), the
/// size/time trade-off the preset's strategy comes from.
///
/// Arguments: `[--repeat N] [--input FILE] [--no-strategies]`. On a shared machine read the CPU
/// time beside the wall time: other work takes cores from the wall time, not from the CPU time.
enum ExhibitionBenchmark {
    static func run(arguments: [String]) {
        setvbuf(stdout, nil, _IOLBF, 0)
        let atlas = TableBenchmark.atlas
        guard FileManager.default.isExecutableFile(atPath: atlas) else {
            print("exhibition: no atlas binary at \(atlas); build it with `swift build -c release --product atlas`")
            return
        }
        let repeats = BatchBenchmark.intOption("--repeat", in: arguments) ?? 3
        let input = BatchBenchmark.stringOptions("--input", in: arguments).last ?? "Examples/clockwork.jsonl"
        let name = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-exhibition-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        print("== atlas render \(input) --style exhibition (8192², 16-bit PNG + PDF), whole process, \(ProcessInfo.processInfo.activeProcessorCount) cores, load \(loadAverage())")
        let out = dir + "/preset"
        let run = TableBenchmark.timeProcess(atlas, ["render", input, "--style", "exhibition", "--format", "png,pdf", "-o", out, "-q"], repeats)
        print("  preset: \(run.summary); budget 2048 MB (output.memory_budget_mb)")
        TableBenchmark.printStages("\(out)/\(name).json")
        print("  files: PNG \(format(fileSizeMB("\(out)/\(name).png"), 1)) MB, PDF \(format(fileSizeMB("\(out)/\(name).pdf"), 1)) MB")
        guard !arguments.contains("--no-strategies") else { return }
        for strategy in ["default", "huffman"] {
            let other = dir + "/" + strategy
            let t = TableBenchmark.timeProcess(atlas, ["render", input, "--style", "exhibition", "--format", "png,pdf", "-o", other, "-q",
                                                        "--set", "output.deflate_strategy=\(strategy)"], 1)
            print("  output.deflate_strategy=\(strategy): \(t.summary); PNG \(format(fileSizeMB("\(other)/\(name).png"), 1)) MB")
            TableBenchmark.printStages("\(other)/\(name).json")
            try? FileManager.default.removeItem(atPath: other)
        }
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
    }
}
