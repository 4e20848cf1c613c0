import Foundation
import PreferenceData

/// The dashboard: progress, one row per person (best first), agreement per pair of people, labels over time.
struct DashboardPage {
    /// The progress numbers, formatted.
    struct Progress {
        let tasks: Int
        let tasksComplete: Int
        let labelsWanted: Int
        let labelsDone: Int
        let percentDone: String
        let activeLeases: Int
        let labelsLastHour: Int
        let goldTasks: Int
        let goldLabels: Int
    }

    /// One person's row.
    struct AnnotatorRow {
        let rank: Int
        let name: String
        let active: Bool
        let labels: Int
        let medianSeconds: String
        let shareA: String
        let shareB: String
        let shareTie: String
        let shareBothBad: String
        let majority: String
        let meanKappa: String
        let goldAccuracy: String
        let goldKappa: String
        /// Worth a look: gold accuracy under 60%, or 80% or more of the choices on one side as shown.
        let flagged: Bool
    }

    /// Agreement of two people.
    struct PairRow {
        let first: String
        let second: String
        let shared: Int
        let agreement: String
        let kappa: String
    }

    let admin: AdminNav
    let progress: Progress
    let annotators: [AnnotatorRow]
    let pairs: [PairRow]
    let hasPairs: Bool
    let chart: LabelsChart?

    init(admin: AdminNav, progress: AnnotationProgress, quality: AnnotationQualityReport) {
        self.admin = admin
        self.progress = Progress(
            tasks: progress.tasks, tasksComplete: progress.tasksComplete, labelsWanted: progress.labelsWanted,
            labelsDone: progress.labelsDone,
            percentDone: Self.percent(
                progress.labelsWanted > 0 ? Double(progress.labelsDone) / Double(progress.labelsWanted) : nil),
            activeLeases: progress.activeLeases, labelsLastHour: progress.labelsLastHour,
            goldTasks: progress.goldTasks, goldLabels: progress.goldLabels)
        annotators = quality.annotators.enumerated().map { index, person in
            let sideShares = [person.shownShare(.a) ?? 0, person.shownShare(.b) ?? 0]
            return AnnotatorRow(
                rank: index + 1, name: person.name, active: person.isActive, labels: person.labels,
                medianSeconds: person.medianSecondsPerTask.map { String(format: $0 < 10 ? "%.1f s" : "%.0f s", $0) }
                    ?? "—",
                shareA: Self.percent(person.shownShare(.a)), shareB: Self.percent(person.shownShare(.b)),
                shareTie: Self.percent(person.shownShare(.tie)),
                shareBothBad: Self.percent(person.shownShare(.bothBad)),
                majority: person.majorityAgreement.map { "\(Self.percent($0)) of \(person.majorityItems)" } ?? "—",
                meanKappa: Self.decimal(person.meanCohenKappa),
                goldAccuracy: person.gold.accuracy.map {
                    "\(Self.percent($0)) (\(person.gold.correct)/\(person.gold.answered))"
                } ?? "—",
                goldKappa: Self.decimal(person.goldKappa),
                flagged: (person.gold.accuracy ?? 1) < 0.6 || (person.labels >= 10 && sideShares.max()! >= 0.8))
        }
        let names = Dictionary(quality.annotators.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        pairs = quality.pairwise.map { pair in
            PairRow(
                first: names[pair.first] ?? "#\(pair.first)", second: names[pair.second] ?? "#\(pair.second)",
                shared: pair.sharedItems, agreement: Self.percent(pair.agreement), kappa: Self.decimal(pair.cohenKappa))
        }
        hasPairs = !pairs.isEmpty
        chart = LabelsChart(quality.labelsPerHour)
    }

    /// "48%", or "—" for nil.
    static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.0f%%", $0 * 100) } ?? "—"
    }

    /// "0.61", or "—" for nil.
    static func decimal(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "—"
    }
}
