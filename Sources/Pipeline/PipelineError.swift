/// Failures that belong to the pipeline itself rather than one stage.
public enum PipelineError: Error, Equatable, CustomStringConvertible {
    case noSuchLatent(file: String, name: String, available: [String])

    public var description: String {
        switch self {
        case let .noSuchLatent(file, name, available):
            return "\(file) has no latent named '\(name)'; it holds: \(available.joined(separator: ", "))."
        }
    }
}
