import ArgumentParser
import Batch
import Foundation

extension Atlas {
    struct BatchCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "batch",
            abstract: "Render every latent in a folder or a batch manifest: parallel, incremental, resumable, shardable.",
            discussion: """
            A render is skipped when its outputs exist and their fingerprint (input bytes, resolved style, seed, \
            tool version) still matches; --force renders again. Killing a batch leaves no partial file: run it \
            again to carry on.

            On a cluster, each array task renders its share (--shard K/N, or SLURM_ARRAY_TASK_ID and \
            SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX and ATLAS_SHARD_COUNT); then --merge checks that \
            every shard finished and writes the index.

            Exit status: 0 when everything rendered or was up to date, 1 when an input failed (a render that \
            cannot fit --memory or its style's output.memory_budget_mb is refused and counts as failed), 64 on a usage error.
            """)

        @Argument(help: "A folder of inputs (.jsonl, .ndjson, .json; searched recursively) or a batch manifest (.yaml).")
        var source: String

        @OptionGroup var styleOptions: StyleOptions

        @Option(name: [.short, .long], help: "Folder to write into (created if missing).")
        var output: String = "Output"

        // No Swift default, so the help shows the one default the text gives.
        @Option(name: [.customShort("j"), .long], help: ArgumentHelp("Renders at the same time (default: the number of cores); fewer when the memory budget is short.", valueName: "n"))
        var jobs: Int?

        @Option(name: .long, help: "Threads per render (default: the cores shared among the -j renders). Output bytes do not depend on it.")
        var threads: Int?

        @Option(name: .long, help: ArgumentHelp("Memory the renders may use together, e.g. 8G (default: 3/4 of the machine's or container's). A render that cannot fit is refused, not started.", valueName: "size"),
                transform: MemoryOption.parse)
        var memory: UInt64?

        @Option(name: .long, help: ArgumentHelp("A folder of outside paintings (<latent>.png or <latent>/painting.png) composited in place of the built-in decoder.", valueName: "dir"))
        var paintings: String?

        @Flag(name: .long, help: "Render everything again, even what is up to date.")
        var force = false

        @Flag(name: .customLong("fail-fast"), help: "Stop starting renders after the first failure.")
        var failFast = false

        @Option(name: .long, help: ArgumentHelp("Render only shard K of N (0-based), a balanced, deterministic share.", valueName: "K/N"))
        var shard: String?

        @Flag(name: .long, help: "Render nothing: check that every shard finished, report failures, write index.json and the contact sheet.")
        var merge = false

        @Flag(name: .long, help: "Print one JSON object per line (events) on stdout instead of logs.")
        var json = false

        @Flag(name: .shortAndLong, help: "Print nothing but failures (on stderr).")
        var quiet = false

        func validate() throws {
            if let j = jobs, j < 1 { throw ValidationError("-j/--jobs \(j) is out of range; expected 1 or more.") }
            if let t = threads, t < 1 { throw ValidationError("--threads \(t) is out of range; expected 1 or more.") }
            if json && quiet { throw ValidationError("--json and --quiet do not go together; pick one.") }
            if let s = shard {
                do { _ = try Shard(parsing: s) } catch { throw ValidationError("--shard: \(error)") }
            }
            if merge && shard != nil { throw ValidationError("--merge gathers every shard; leave out --shard.") }
            if let p = paintings {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: p, isDirectory: &isFolder), isFolder.boolValue else {
                    throw ValidationError("--paintings \(p) is not a folder; give a folder of <latent>.png paintings.")
                }
            }
        }

        func run() throws {
            do {
                var options = BatchOptions(output: output, style: styleOptions.style, overrides: styleOptions.overrides,
                                           seed: styleOptions.seed, workers: jobs ?? ProcessInfo.processInfo.activeProcessorCount, threadsPerRender: threads, force: force, failFast: failFast,
                                           styles: styleOptions.library())
                if let memory { options.memoryLimit = memory }
                options.paintings = paintings
                // A misspelt --style or --set is one error now, not the same failure for every input.
                let style = try styleOptions.load()
                if !merge, ["yaml", "yml"].contains((source as NSString).pathExtension.lowercased()) {
                    // A manifest's `selections` are scanned (once per embedding matrix) before the renders.
                    let s = style.settings
                    try SelectionGroup.prepare(try BatchManifest.read(source).selections, settings: s.select, palette: s.palette,
                                               family: s.typography.family, force: force, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, log: warn)
                }
                let found = try JobDiscovery.discover(source, excluding: output)
                // What is not an input is left out with one line each (stderr, so `--json` stays parseable).
                for line in found.ignored { FileHandle.standardError.write(Data("ignored \(line)\n".utf8)) }
                let all = found.jobs
                if merge { return try runMerge(all, options: options) }
                options.shard = try shard.map(Shard.init(parsing:)) ?? Shard.fromEnvironment(ProcessInfo.processInfo.environment) ?? .whole
                let summary = BatchRunner(options: options).run(all, observer: observer())
                if !summary.succeeded { throw ExitCode(1) }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                throw fail(error)
            }
        }

        func runMerge(_ jobs: [BatchJob], options: BatchOptions) throws {
            let merged = ShardMerge.merge(jobs, options: options)
            let written = try GalleryIndex.gather(output).write()
            if json {
                standardOutput(merged.jsonLines.joined(separator: "\n") + "\n")
            } else if quiet {
                for f in merged.failed { warn("failed \(f.input): \(f.reason)") }
                for m in merged.missing { warn("not rendered by any shard: \(m)") }
            } else {
                standardOutput(merged.table + "wrote \(written.joined(separator: ", "))\n")
            }
            if !merged.succeeded { throw ExitCode(1) }
        }

        /// A bar on a terminal, plain lines in CI and pipes, JSON lines when asked.
        func observer() -> BatchObserver {
            if json { return JSONLog(write: standardOutput) }
            if quiet { return FailuresOnly() }
            if isatty(STDERR_FILENO) != 0 {
                return ProgressBar(draw: { FileHandle.standardError.write(Data($0.utf8)) }, write: standardOutput)
            }
            return LineLog(write: standardOutput)
        }
    }
}

/// `--quiet`: failures on stderr, nothing else.
final class FailuresOnly: BatchObserver {
    func handle(_ event: BatchEvent) {
        if case let .failed(input, reason) = event { warn("failed \(input): \(reason)") }
    }
}

/// Unbuffered, so each line is out before the next render starts (and survives a kill).
func standardOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
