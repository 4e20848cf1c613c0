import Foundation

/// Where a policy-optimisation run reports each iteration: a line of `metrics.jsonl` in its output directory (when
/// it has one) and, every `logEvery` iterations, a progress line with reward, KL, response length, tokens/s and ETA.
struct PolicyRunLog {
    private let metrics: MetricsLogger?
    private let progress: ProgressReporter

    init(output: URL?, total: Int, first: Int, showProgress: Bool) throws {
        metrics = try output.map { url -> MetricsLogger in
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return try MetricsLogger(
                url: url.appendingPathComponent("metrics.jsonl"), resumingAfter: ("iteration", first))
        }
        progress = ProgressReporter(total: total, firstStep: first, enabled: showProgress)
    }

    /// Logs iteration `iteration`'s `record`; prints progress every `every` iterations and after the last.
    func record(_ record: [String: Double], iteration: Int, every: Int, last: Bool) {
        var logged: [String: Any] = ["iteration": iteration]
        for (key, value) in record { logged[key] = value }
        metrics?.log(logged)
        if every > 0 && (iteration % every == 0 || last) {
            progress.report(
                done: iteration,
                [
                    "reward": String(format: "%.4f", record["reward"] ?? .nan),
                    "kl": String(format: "%.4f", record["kl"] ?? .nan),
                    "len": String(format: "%.1f", record["response_length"] ?? .nan),
                    "tok/s": String(format: "%.0f", record["tokens_per_s"] ?? .nan),
                ])
        }
    }
}

/// When an iteration's phases ended, for the time split and throughput of its metrics line.
struct IterationClock {
    let started: Date, generated: Date, scored: Date, finished: Date
    /// Seconds of training run between `generated` and `scored` (PPO's on-policy critic update), counted as training.
    var trainedWhileScoring: TimeInterval = 0

    /// Seconds of generation, scoring and training, and tokens/s of generation and of the whole iteration.
    func metrics(generatedTokens: Int) -> [String: Double] {
        let generation = generated.timeIntervalSince(started)
        return [
            "generation_seconds": generation,
            "scoring_seconds": scored.timeIntervalSince(generated) - trainedWhileScoring,
            "training_seconds": finished.timeIntervalSince(scored) + trainedWhileScoring,
            "generation_tokens_per_s": Double(generatedTokens) / max(generation, 1e-9),
            "tokens_per_s": Double(generatedTokens) / max(finished.timeIntervalSince(started), 1e-9),
        ]
    }
}
