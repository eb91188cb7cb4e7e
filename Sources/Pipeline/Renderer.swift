import AtlasCore
import Composite
import Contexts
import Encode
import Foundation
import Styles

/// Wires the stages: contexts → highlight → layout → plan → paint → composite and encode → manifest
/// (one latent in four steps: `plan`, `paint`, `write`, `finish`).
public enum Renderer {
    /// Renders every latent in the request's input (or the one it names).
    public static func render(_ request: RenderRequest, progress: @escaping (String) -> Void = { _ in }) throws -> [RenderResult] {
        // Refused before anything is read when it cannot fit its memory budget.
        let memory = try Self.memory(request)
        // A pair has two inputs: `PairRenderer`.
        if request.style.settings.composition == .pair { throw PairError.inputs(count: 1) }
        // A batch passes the latents it already read (each input is read once) and their input's hash.
        var latents = try request.latents ?? LatentReader.read(request.input, settings: request.style.settings.input)
        if let wanted = request.latent {
            guard let match = latents.first(where: { $0.name == wanted || (try? OutputName.stem(for: $0.name)) == wanted }) else {
                throw PipelineError.noSuchLatent(file: request.input, name: wanted, available: latents.map(\.name))
            }
            latents = [match]
        }
        // Dead latents (no activation above 0) are not rendered: an error when nothing else is left.
        let live = latents.filter { $0.dead == nil }
        if live.isEmpty, let dead = latents.first {
            throw InputError.deadFeature(file: request.input, latent: dead.name, reason: dead.dead ?? "no activation above 0")
        }
        let stems = try Self.outputStems(live, input: request.input)
        try request.claim?(zip(live.map(\.name), stems).map { (latent: $0, stem: $1) })
        let inputHash = try request.inputHash ?? Self.inputHash(ofFile: request.input)
        let names = live.map(\.name)
        let paintingHash = request.exportPlan == nil ? request.painting?.hash(latents: names) : nil
        return try zip(live, stems).map {
            try render($0, stem: $1, inputHash: inputHash, request: request, memory: memory, latents: names, paintingHash: paintingHash,
                       progress: progress)
        }
    }

    /// The render's memory estimate, checked against its budget.
    public static func memory(_ request: RenderRequest) throws -> RenderMemory {
        let size = (try? FileManager.default.attributesOfItem(atPath: request.input)[.size] as? NSNumber)?.uint64Value ?? 0
        let memory = RenderMemory(style: request.style, formats: request.formats, layerFiles: request.layerFiles, saveSteps: request.saveSteps,
                                  threads: request.threads ?? ProcessInfo.processInfo.activeProcessorCount, inputBytes: size,
                                  budget: request.memoryBudget)
        try memory.check(raise: "--memory or output.memory_budget_mb")
        return memory
    }

    /// Each latent's output stem (`OutputName`), checked before anything is drawn: a name that cannot
    /// name files, or two latents that would write the same files, stop the render.
    static func outputStems(_ latents: [Latent], input: String) throws -> [String] {
        do {
            if let (a, b, stem) = try OutputName.collision(among: latents.map(\.name)) {
                throw OutputNameError.collision(first: a, second: b, stem: stem)
            }
            return try latents.map { try OutputName.stem(for: $0.name) }
        } catch let e as OutputNameError {
            throw OutputNameError.inInput(input, e)
        }
    }

    /// One latent: plan, paint, write, manifest.
    static func render(_ latent: Latent, stem: String, inputHash: String, request: RenderRequest, memory: RenderMemory,
                       latents: [String] = [], paintingHash: String? = nil,
                       progress: @escaping (String) -> Void) throws -> RenderResult {
        var latent = latent
        if let title = request.title { latent.title = title }
        let threads = max(1, request.threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let base = (request.outputDirectory as NSString).appendingPathComponent(stem)
        var clock = StageClock(latent: latent.name, progress: progress)

        let plan = try Self.plan(latent, request: request, threads: threads, clock: &clock)
        if let folder = request.exportPlan, let regionPlan = plan.regionPlan {
            return try clock.time("export-plan") { try exportPlan(regionPlan, to: folder, threads: threads) }
        }
        let painted = try paint(plan, request: request, base: base, latents: latents, threads: threads, clock: &clock)
        let fingerprint = Self.fingerprint(inputHash: inputHash, style: request.style, title: request.title, painting: paintingHash)
        let browser = try BrowserOutput(formats: request.formats ?? request.style.settings.output.formats, base: base,
                                        page: plan.atlas.page, settings: request.style.settings)
        var raster = AtlasRaster(compositor: Compositor(style: request.style.composite), plan: plan.atlas, painting: painted.source)
        raster.threads = threads
        let source = (latent.source as NSString).lastPathComponent
        let provenance = provenance(title: plan.atlas.title, source: source, inputHash: inputHash, style: request.style,
                                    fingerprint: fingerprint, paintingHash: paintingHash)
        let files = try write(raster, title: plan.atlas.title, source: source, provenance: provenance, browser: browser, request: request,
                              memory: memory, base: base, clock: &clock) + painted.stepFiles
        return try finish(plan, painted: painted, files: files, browser: browser, fingerprint: fingerprint, inputHash: inputHash,
                          request: request, base: base, clock: &clock)
    }

    /// What an up-to-date render's manifest records: input bytes, resolved style, seed and tool version,
    /// the title when one replaces the latent's own, and the outside paintings' hash when they replace
    /// the built-in decoder (`atlas batch` compares it to skip renders).
    public static func fingerprint(inputHash: String, style: Style, title: String? = nil, painting: String? = nil) -> String {
        var h = StableHash.combine(StableHash.combine(StableHash.of(inputHash), StableHash.of(style.hash)),
                                   StableHash.combine(style.seed, StableHash.of(ToolVersion.current)))
        // Only mixed in when given, so renders without a title or painting keep the fingerprints they always had.
        if let title { h = StableHash.combine(h, StableHash.of(title)) }
        if let painting { h = StableHash.combine(h, StableHash.of("painting:" + painting)) }
        return StableHash.hex(h)
    }

    /// The input hash of a file, or of an export folder (its activation, explanation and feature files' hashes together).
    public static func inputHash(ofFile path: String) throws -> String {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            let files = ["activations", "explanations", "features"].flatMap { sub -> [String] in
                let dir = (path as NSString).appendingPathComponent(sub)
                return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map { (dir as NSString).appendingPathComponent($0) }
            }
            return inputHash(Data(files.map { f in f + ":" + inputHash(FileManager.default.contents(atPath: f) ?? Data()) }.joined(separator: "\n").utf8))
        }
        return inputHash(FileManager.default.contents(atPath: path) ?? Data())
    }

    /// The input hash a manifest records: FNV-1a 64 of the input file's bytes.
    public static func inputHash(_ bytes: Data) -> String {
        StableHash.hex(StableHash.fnv1a(bytes))
    }
}
