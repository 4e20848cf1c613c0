import Foundation

/// A one-line progress report per step on standard error: step, the caller's values, throughput and ETA.
public struct ProgressReporter {
    private let total: Int
    private let start = Date()
    private let firstStep: Int
    private let enabled: Bool

    /// Reports progress toward `total` steps, starting at `firstStep` (after a resume); silent when not `enabled`.
    public init(total: Int, firstStep: Int = 0, enabled: Bool = true) {
        self.total = total
        self.firstStep = firstStep
        self.enabled = enabled
    }

    /// Seconds left at the average pace since the start, given that `done` steps are complete.
    public func eta(done: Int) -> Double {
        let completed = done - firstStep
        guard completed > 0 else { return .infinity }
        return Date().timeIntervalSince(start) / Double(completed) * Double(total - done)
    }

    /// Prints `step done/total  key value …  ETA …`.
    public func report(done: Int, _ values: KeyValuePairs<String, String>) {
        report(done: done, fields: values.map { ($0.key, $0.value) })
    }

    /// Prints `step done/total  key value …  ETA …` for fields chosen at run time.
    public func report(done: Int, fields values: [(String, String)]) {
        guard enabled else { return }
        let fields = values.map { "\($0.0) \($0.1)" }.joined(separator: "  ")
        let line = "step \(done)/\(total)  \(fields)  ETA \(Self.format(seconds: eta(done: done)))\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// "1h02m", "3m05s", "12s".
    public static func format(seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
