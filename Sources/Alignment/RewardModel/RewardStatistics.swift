import Foundation

/// The statistics reward-model evaluation reports, as pure functions of numbers (accumulated in Double).
public enum RewardStatistics {
    /// Arithmetic mean; nil for no values.
    public static func mean(_ x: [Double]) -> Double? {
        x.isEmpty ? nil : x.reduce(0, +) / Double(x.count)
    }

    /// Population standard deviation (divides by n, like numpy's default); nil for no values.
    public static func standardDeviation(_ x: [Double]) -> Double? {
        guard let m = mean(x) else { return nil }
        return (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)).squareRoot()
    }

    /// Pearson's correlation coefficient; nil when there are fewer than two values or either side is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "pearson needs paired values")
        guard x.count >= 2, let mx = mean(x), let my = mean(y) else { return nil }
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Spearman's rank correlation: Pearson's of the ranks, ties given their average rank (as scipy does).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        pearson(ranks(x), ranks(y))
    }

    /// 1-based ranks with ties averaged.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var result = [Double](repeating: 0, count: x.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count && x[order[end + 1]] == x[order[start]] { end += 1 }
            let average = Double(start + end) / 2 + 1
            for i in start...end { result[order[i]] = average }
            start = end + 1
        }
        return result
    }

    /// σ(d): the Bradley–Terry probability that a response scored d higher wins.
    public static func winProbability(_ d: Double) -> Double {
        d >= 0 ? 1 / (1 + Foundation.exp(-d)) : Foundation.exp(d) / (1 + Foundation.exp(d))
    }

    /// One bin of a calibration table.
    public struct CalibrationBin: Sendable, Equatable, Codable {
        /// Lowest predicted probability of the bin (inclusive).
        public var lower: Double
        /// Highest (exclusive, except 1 for the last bin).
        public var upper: Double
        /// Pairs in the bin.
        public var count: Int
        /// Mean predicted probability that the higher-scored response is the preferred one.
        public var predicted: Double?
        /// Share of those pairs whose higher-scored response is the preferred one.
        public var observed: Double?
    }

    /// Calibration of the model's win probabilities. Each pair is seen from its higher-scored response: the model
    /// predicts it wins with p = σ(|r_w − r_l|) ∈ [0.5, 1]; it does when r_w > r_l. Bins split [0.5, 1] evenly
    /// (orientation-free, so no pair is counted twice). Exact ties (p = 0.5) count as not won.
    public static func calibration(scoreDifferences: [Double], bins: Int) -> [CalibrationBin] {
        precondition(bins >= 1, "calibration needs at least one bin")
        var table = (0..<bins).map { i in
            CalibrationBin(
                lower: 0.5 + 0.5 * Double(i) / Double(bins), upper: 0.5 + 0.5 * Double(i + 1) / Double(bins),
                count: 0, predicted: nil, observed: nil)
        }
        var predictedSums = [Double](repeating: 0, count: bins), wins = [Int](repeating: 0, count: bins)
        for d in scoreDifferences {
            let p = winProbability(abs(d))
            let bin = min(bins - 1, Int(((p - 0.5) / 0.5 * Double(bins)).rounded(.down)))
            table[bin].count += 1
            predictedSums[bin] += p
            if d > 0 { wins[bin] += 1 }
        }
        for i in 0..<bins where table[i].count > 0 {
            table[i].predicted = predictedSums[i] / Double(table[i].count)
            table[i].observed = Double(wins[i]) / Double(table[i].count)
        }
        return table
    }

    /// Expected calibration error: the count-weighted mean |predicted − observed| over the bins.
    public static func expectedCalibrationError(_ table: [CalibrationBin]) -> Double? {
        let total = table.reduce(0) { $0 + $1.count }
        guard total > 0 else { return nil }
        return table.reduce(0.0) { sum, bin in
            guard let p = bin.predicted, let o = bin.observed else { return sum }
            return sum + Double(bin.count) * abs(p - o)
        } / Double(total)
    }
}
