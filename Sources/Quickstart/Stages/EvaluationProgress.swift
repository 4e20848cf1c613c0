import Foundation

/// The evaluation's progress line: which pass over the held-out prompts finished, how long it took, and an estimate
/// of the time left from the mean pass so far.
struct EvaluationProgress {
    /// Passes over the held-out prompts the evaluation makes.
    let passes: Int
    /// Held-out prompts per pass.
    let prompts: Int
    private var done = 0
    private var seconds = 0.0

    init(passes: Int, prompts: Int) {
        self.passes = passes
        self.prompts = prompts
    }

    /// Records a finished pass named `label` and returns its line, e.g.
    /// "PPO: 132 answers in 84.2 s (pass 3 of 9, about 8 min left)".
    mutating func finished(_ label: String, seconds elapsed: Double) -> String {
        done += 1
        seconds += elapsed
        let left = Double(max(passes - done, 0)) * seconds / Double(done)
        let eta = left < 90 ? String(format: "%.0f s", left) : String(format: "%.0f min", left / 60)
        return String(
            format: "%@: %d answers in %.1f s (pass %d of %d, about %@ left)", label, prompts, elapsed, done, passes,
            eta)
    }
}
