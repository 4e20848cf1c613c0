import Alignment
import Foundation

/// The readable form of a reward-model evaluation report.
enum RMReportTable {
    static func render(_ r: RewardEvaluationReport) -> String {
        func number(_ value: Double?, _ digits: Int = 3) -> String {
            value.map { String(format: "%.\(digits)f", $0) } ?? "n/a"
        }
        func row(_ cells: [String], _ widths: [Int]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: " ")
        }
        var lines = [
            "pairs          \(r.pairs)",
            "accuracy       \(number(r.accuracy))   ranking loss \(number(r.rankingLoss))",
            "scores         mean \(number(r.scoreMean)) std \(number(r.scoreStd))   chosen \(number(r.chosenScoreMean)) rejected \(number(r.rejectedScoreMean))",
            "length bias    pearson \(number(r.lengthPearson)) spearman \(number(r.lengthSpearman))  (score vs response tokens)",
            "",
            row(["category", "pairs", "accuracy"], [20, 8, 8]),
        ]
        lines += r.categories.map { row([$0.name, "\($0.pairs)", number($0.accuracy)], [20, 8, 8]) }
        lines += ["", row(["length diff", "pairs", "accuracy", "longer pref.", "shorter pref."], [12, 8, 9, 16, 16])]
        for b in r.lengthBuckets {
            let range = b.lower == 0 ? "equal" : "\(b.lower)–" + (b.upper.map { String($0 - 1) } ?? "")
            let sides = b.byPreferredSide.map { "\(number($0.accuracy)) (\($0.pairs))" }
            lines.append(
                row(
                    [range, "\(b.pairs)", number(b.accuracy)] + (sides.isEmpty ? ["", ""] : sides), [12, 8, 9, 16, 16]))
        }
        lines += ["", row(["P(win) bin", "pairs", "predicted", "observed"], [12, 8, 10, 10])]
        lines += r.calibration.map {
            row(
                [
                    String(format: "%.2f–%.2f", $0.lower, $0.upper), "\($0.count)", number($0.predicted),
                    number($0.observed),
                ], [12, 8, 10, 10])
        }
        lines.append("expected calibration error \(number(r.expectedCalibrationError))")
        return lines.joined(separator: "\n")
    }
}
