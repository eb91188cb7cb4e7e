import Foundation
import Pipeline
import Styles

/// Admits renders while their estimated memory fits, so a big style never overcommits the machine
/// however many workers there are. A render that cannot fit the whole budget is refused before the
/// batch starts (`FreshnessCheck`), so it never reaches the queue.
public final class MemoryBudget: @unchecked Sendable {
    public let limit: UInt64
    private var used: UInt64 = 0
    private let condition = NSCondition()

    public init(limit: UInt64) {
        self.limit = limit
    }

    public func acquire(_ bytes: UInt64) {
        condition.lock()
        while used > 0 && used + bytes > limit { condition.wait() }
        used += bytes
        condition.unlock()
    }

    public func release(_ bytes: UInt64) {
        condition.lock()
        used -= bytes
        condition.broadcast()
        condition.unlock()
    }

    /// Estimated peak memory of one render of `style` within `limit` (the style's own
    /// `output.memory_budget_mb` when lower): `RenderMemory`'s estimate, with bands filling the budget.
    public static func estimate(_ style: Style, limit: UInt64 = .max, inputBytes: UInt64 = 0) -> RenderMemory {
        let own = UInt64(style.settings.output.memoryBudgetMb) << 20
        return RenderMemory(style: style, threads: 1, inputBytes: inputBytes, budget: min(own, limit))
    }

    /// Three quarters of the memory this process may use: the machine's, or its cgroup's limit when
    /// lower (a Kubernetes pod or Slurm allocation), leaving room for the rest of the system.
    public static func available() -> UInt64 {
        var total = ProcessInfo.processInfo.physicalMemory
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
               let limit = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 {
                total = min(total, limit)
            }
        }
        return total / 4 * 3
    }

    /// Reads sizes such as `8G`, `512M` or a plain byte count.
    public static func parse(_ text: String) -> UInt64? {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        let t = text.uppercased().replacingOccurrences(of: "B", with: "").replacingOccurrences(of: "I", with: "")
        guard let last = t.last else { return nil }
        if let unit = units[last] {
            return Double(t.dropLast()).flatMap { $0 > 0 ? UInt64($0 * Double(unit)) : nil }
        }
        return UInt64(t).flatMap { $0 > 0 ? $0 : nil }
    }
}
