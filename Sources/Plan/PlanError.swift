/// What can go wrong reading a plan or bringing in a painting; each case words itself as one sentence.
public enum PlanError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case wrongSchema(path: String, found: String, version: Int)
    case invalidField(path: String, field: String, problem: String)
    case fingerprintMismatch(painting: String, paintingFingerprint: String, plan: String, planFingerprint: String)
    case missingPainting(folder: String, latent: String, expected: String)
    case onePaintingForMany(painting: String, latents: [String])
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path) cannot be read: \(reason)."
        case let .malformed(path, reason):
            return "\(path) is not a region plan: \(reason)."
        case let .wrongSchema(path, found, version):
            return "\(path) has schema '\(found)' version \(version); this atlas reads '\(RegionPlan.schemaName)' version \(RegionPlan.currentVersion) (export the plan again with this atlas)."
        case let .invalidField(path, field, problem):
            return "\(path): \(field) \(problem)."
        case let .fingerprintMismatch(painting, pf, plan, planFingerprint):
            return "\(painting) was painted from plan \(pf), but \(plan) has plan fingerprint \(planFingerprint); export the plan again and repaint, or render with the input, style and seed the painting was made for."
        case let .missingPainting(folder, latent, expected):
            return "\(folder) has no painting for latent '\(latent)'; expected \(expected)."
        case let .onePaintingForMany(painting, latents):
            return "--painting \(painting) is one painting but the input holds \(latents.count) latents (\(latents.prefix(4).joined(separator: ", "))\(latents.count > 4 ? ", …" : "")); give --latent NAME or a folder of <latent>.png paintings."
        case let .unwritable(path, reason):
            return "\(path) cannot be written: \(reason)."
        }
    }
}
