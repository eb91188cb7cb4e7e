/// Failures of a batch as a whole (one latent's failure is a `BatchEvent.failed`, not an error).
public enum BatchError: Error, Equatable, CustomStringConvertible {
    case sourceNotFound(String)
    case noInputs(source: String)
    case invalidManifest(file: String, line: Int?, reason: String)
    case duplicateInput(file: String, input: String)
    case invalidShard(String, reason: String)
    case shardCountMissing(index: String)
    case unreadableOutput(String)
    /// Two inputs whose latents get the same output name (found before the second renders).
    case sameOutputs(input: String, latent: String, other: String)

    public var description: String {
        switch self {
        case let .sourceNotFound(path):
            return "\(path) does not exist; expected a folder of latents or a batch manifest (.yaml)."
        case let .noInputs(source):
            return "\(source) holds no latent inputs; expected .jsonl, .ndjson or .json files."
        case let .invalidManifest(file, line, reason):
            return "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)."
        case let .duplicateInput(file, input):
            return "\(file) lists \(input) more than once; each input may appear once, since its renders would overwrite each other."
        case let .invalidShard(text, reason):
            return "shard '\(text)' \(reason); expected K/N with 0 ≤ K < N, e.g. 0/4."
        case let .shardCountMissing(index):
            return "JOB_COMPLETION_INDEX is \(index) but the shard count is unknown; set ATLAS_SHARD_COUNT to the Job's completions."
        case let .sameOutputs(input, latent, other):
            return "\(input) renders latent '\(latent)', as \(other) does, and their files would overwrite each other; "
                + "give one a different name in its header or file name."
        case let .unreadableOutput(path):
            return "\(path) is not a folder of renders; run 'atlas batch' into it first."
        }
    }
}
