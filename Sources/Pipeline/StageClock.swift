import Foundation

/// Times the stages of one latent's render and reports each as it starts; the manifest records the times.
struct StageClock {
    let latent: String
    let progress: (String) -> Void
    private(set) var timings: [String: Double] = [:]

    init(latent: String, progress: @escaping (String) -> Void) {
        self.latent = latent
        self.progress = progress
    }

    /// A stage run more than once (a pair decodes two sides) adds up.
    mutating func time<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { timings[stage, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        progress("\(latent): \(stage)")
        return try body()
    }

    /// Times measured inside a stage (the decoder's own phases).
    mutating func record(_ stage: String, _ seconds: Double) { timings[stage] = seconds }
}
