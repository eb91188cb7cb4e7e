import AtlasCore
import Foundation

/// A plan on disk: `<folder>/plan.json` beside its mask files.
public enum PlanFiles {
    public static let planName = "plan.json"

    /// Writes plan.json and the masks into `folder` (created if missing), each atomically; returns the paths.
    @discardableResult
    public static func write(_ plan: RegionPlan, to folder: String, threads: Int = Parallel.allCores) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw PlanError.unwritable(path: folder, reason: (error as NSError).localizedDescription)
        }
        let masks = try PlanMasks.write(plan, to: folder, threads: threads)
        let path = (folder as NSString).appendingPathComponent(planName)
        try AtomicFile.write(plan.jsonData() + Data("\n".utf8), to: path)
        return [path] + masks
    }

    /// Reads and checks a plan: `path` is plan.json or the folder holding it.
    public static func read(_ path: String) throws -> RegionPlan {
        var isFolder: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
            ? (path as NSString).appendingPathComponent(planName) : path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw PlanError.unreadable(path: file, reason: FileManager.default.fileExists(atPath: file) ? "permission denied" : "no such file")
        }
        struct Head: Decodable { var schema: String?; var version: Int? }
        guard let head = try? JSONDecoder().decode(Head.self, from: data) else {
            throw PlanError.malformed(path: file, reason: "it is not a JSON object")
        }
        guard head.schema == RegionPlan.schemaName, head.version == RegionPlan.currentVersion else {
            throw PlanError.wrongSchema(path: file, found: head.schema ?? "(none)", version: head.version ?? 0)
        }
        let plan: RegionPlan
        do {
            plan = try JSONDecoder().decode(RegionPlan.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw PlanError.invalidField(path: file, field: Self.field(context.codingPath + [key]), problem: "is missing")
        } catch let DecodingError.typeMismatch(type, context) {
            throw PlanError.invalidField(path: file, field: Self.field(context.codingPath), problem: "should be a \(type)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw PlanError.invalidField(path: file, field: Self.field(context.codingPath), problem: "should be a \(type), not null")
        } catch {
            throw PlanError.malformed(path: file, reason: String(describing: error))
        }
        try check(plan, path: file)
        return plan
    }

    /// Field paths as `regions[3].center`.
    static func field(_ path: [CodingKey]) -> String {
        path.reduce("") { s, key in key.intValue.map { "\(s)[\($0)]" } ?? (s.isEmpty ? key.stringValue : "\(s).\(key.stringValue)") }
    }

    static func check(_ plan: RegionPlan, path: String) throws {
        func bad(_ field: String, _ problem: String) -> PlanError { .invalidField(path: path, field: field, problem: problem) }
        guard plan.canvas.width > 0, plan.canvas.height > 0 else {
            throw bad("canvas", "is \(plan.canvas.width)×\(plan.canvas.height); width and height must be at least 1")
        }
        guard plan.canvas.dpi.isFinite, plan.canvas.dpi > 0 else { throw bad("canvas.dpi", "must be a positive number") }
        guard plan.disc.center.count == 2, plan.disc.center.allSatisfy(\.isFinite), plan.disc.radius.isFinite, plan.disc.radius > 0 else {
            throw bad("disc", "needs a centre [x, y] and a positive radius")
        }
        guard plan.seam.isFinite, plan.seam >= 0 else { throw bad("seam", "must be 0 or more pixels") }
        guard plan.regions.count < Int(UInt16.max) else { throw bad("regions", "has \(plan.regions.count) entries; at most 65534 fit the label map") }
        for (i, r) in plan.regions.enumerated() {
            guard r.label == i + 1 else { throw bad("regions[\(i)].label", "is \(r.label); expected \(i + 1) (its index + 1)") }
            guard r.center.count == 2, r.center.allSatisfy(\.isFinite) else { throw bad("regions[\(i)].center", "must be [x, y] in pixels") }
            guard r.radius.isFinite, r.radius >= 0 else { throw bad("regions[\(i)].radius", "must be 0 or more pixels") }
            for (j, h) in r.highlights.enumerated() where !(0...1).contains(h.weight) {
                throw bad("regions[\(i)].highlights[\(j)].weight", "is \(h.weight); expected 0…1")
            }
        }
    }
}
