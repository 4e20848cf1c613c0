import Foundation

extension QuickstartReport {
    /// The ablations: for each technique, its measures with it on and off over several seeds.
    public struct Ablations: Codable, Sendable, Equatable {
        public var lengthBalancing: Ablation
        public var referenceBaseline: Ablation
        public var ptx: Ablation
        public init(lengthBalancing: Ablation, referenceBaseline: Ablation, ptx: Ablation) {
            self.lengthBalancing = lengthBalancing
            self.referenceBaseline = referenceBaseline
            self.ptx = ptx
        }
    }

    /// Which way the paper reports a measure moving when the technique is on.
    public enum Direction: String, Codable, Sendable, Equatable {
        case lower, higher
    }

    /// Whether a difference shows what the paper reports, judged against the seeds' noise.
    public enum Verdict: String, Codable, Sendable, Equatable {
        /// The mean difference points the paper's way and exceeds two standard errors.
        case matchesPaper = "matches the paper"
        /// The mean difference is within two standard errors: these seeds cannot tell.
        case withinNoise = "within noise"
        /// The mean difference exceeds two standard errors the other way.
        case oppositeToPaper = "opposite to the paper"
        /// One seed only: there is no noise estimate to judge the difference against.
        case singleSeed = "one seed, noise unknown"

        /// The verdict of a technique from its measures' verdicts: it matches the paper only when every measure
        /// does; any measure significantly the other way makes it opposite.
        public static func combining(_ verdicts: [Verdict]) -> Verdict {
            if verdicts.isEmpty { return .withinNoise }
            if verdicts.allSatisfy({ $0 == .matchesPaper }) { return .matchesPaper }
            if verdicts.contains(.oppositeToPaper) { return .oppositeToPaper }
            if verdicts.contains(.singleSeed) { return .singleSeed }
            return .withinNoise
        }
    }

    /// One measure with the technique on and off, per seed and summarised. Seed i's two sides share the seed, so the
    /// comparison is paired: the standard error is that of the mean per-seed difference.
    public struct MeasureComparison: Codable, Sendable, Equatable {
        /// The measure per seed with the technique on, in seed order.
        public var on: [Double]
        /// The measure per seed with it off.
        public var off: [Double]
        public var onMean: Double
        /// Sample standard deviation over seeds (n − 1); NaN for one seed.
        public var onStandardDeviation: Double
        public var offMean: Double
        public var offStandardDeviation: Double
        /// Mean over seeds of on − off.
        public var difference: Double
        /// Standard deviation of the per-seed differences over √seeds; NaN for one seed.
        public var standardError: Double

        /// The summary of per-seed values.
        ///
        /// - Precondition: one value per seed on each side.
        public init(on: [Double], off: [Double]) {
            precondition(on.count == off.count && !on.isEmpty, "one value per seed on each side")
            self.on = on
            self.off = off
            (onMean, onStandardDeviation) = Self.meanAndStandardDeviation(on)
            (offMean, offStandardDeviation) = Self.meanAndStandardDeviation(off)
            let differences = zip(on, off).map { $0 - $1 }
            let (mean, deviation) = Self.meanAndStandardDeviation(differences)
            difference = mean
            standardError = deviation / Double(differences.count).squareRoot()
        }

        /// Whether the mean difference exceeds two standard errors, and which way.
        public func verdict(expected: Direction) -> Verdict {
            guard on.count >= 2 else { return .singleSeed }
            // A NaN difference or standard error fails the comparison and counts as noise.
            guard abs(difference) > 2 * standardError else { return .withinNoise }
            return (difference < 0) == (expected == .lower) ? .matchesPaper : .oppositeToPaper
        }

        static func meanAndStandardDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
            let n = Double(values.count)
            let mean = values.reduce(0, +) / n
            guard values.count >= 2 else { return (mean, .nan) }
            let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            return (mean, (squares / (n - 1)).squareRoot())
        }
    }

    /// One technique on and off over `seeds` seeds: every measure summarised, the measures the paper reports with
    /// the direction it reports, the verdict on those, and a sentence saying what the numbers show.
    public struct Ablation: Codable, Sendable, Equatable {
        /// Seeds each side ran with.
        public var seeds: Int
        /// Every measure by name.
        public var measures: [String: MeasureComparison]
        /// The measures the paper reports, and the way each moves with the technique on.
        public var paperMeasures: [String: Direction]
        /// The verdict of each paper measure.
        public var measureVerdicts: [String: Verdict]
        /// The technique's verdict: the paper measures' combined (`Verdict.combining`).
        public var verdict: Verdict
        /// Curves of the first seed for the plots, by side then metric name.
        public var curvesOn: [String: [Double]]
        public var curvesOff: [String: [Double]]
        public var summary: String

        /// The ablation from per-seed measures (`on[i]` and `off[i]` are seed i's, by measure name); measures missing
        /// on either side of any seed are left out. The summary describes the paper measures.
        ///
        /// - Precondition: as many seeds on each side.
        public init(
            on: [[String: Double]], off: [[String: Double]], paperMeasures: [String: Direction],
            curvesOn: [String: [Double]], curvesOff: [String: [Double]], subject: String
        ) {
            precondition(on.count == off.count && !on.isEmpty, "one set of measures per seed on each side")
            seeds = on.count
            let names = Set(on.flatMap(\.keys)).union(off.flatMap(\.keys)).filter { name in
                on.allSatisfy { $0[name] != nil } && off.allSatisfy { $0[name] != nil }
            }
            var measures: [String: MeasureComparison] = [:]
            for name in names {
                measures[name] = MeasureComparison(on: on.map { $0[name]! }, off: off.map { $0[name]! })
            }
            self.measures = measures
            self.paperMeasures = paperMeasures
            var verdicts: [String: Verdict] = [:]
            for (name, direction) in paperMeasures {
                verdicts[name] = measures[name]?.verdict(expected: direction) ?? .withinNoise
            }
            measureVerdicts = verdicts
            verdict = Verdict.combining(paperMeasures.keys.sorted().map { verdicts[$0]! })
            self.curvesOn = curvesOn
            self.curvesOff = curvesOff
            let parts = paperMeasures.keys.sorted().map { name -> String in
                guard let m = measures[name] else { return "\(name): not measured" }
                return String(
                    format: "%@ %@ with vs %@ without (difference %+.4f, 2 SE %.4f): %@", name,
                    Self.meanText(m.onMean, m.onStandardDeviation), Self.meanText(m.offMean, m.offStandardDeviation),
                    m.difference, 2 * m.standardError, verdicts[name]!.rawValue)
            }
            summary =
                "\(subject) over \(seeds) seed\(seeds == 1 ? "" : "s") (mean ± sd): " + parts.joined(separator: "; ")
                + "."
        }

        /// "0.123 ± 0.010", or the mean alone for one seed.
        static func meanText(_ mean: Double, _ deviation: Double) -> String {
            deviation.isNaN ? String(format: "%.4f", mean) : String(format: "%.4f ± %.4f", mean, deviation)
        }
    }
}
