import Foundation
import GRDB

/// How well and how one person labels: the numbers of the admin dashboard.
public struct AnnotatorQuality: Sendable, Hashable {
    /// The person.
    public var id: AnnotatorID
    /// Their name.
    public var name: String
    /// Whether they may sign in.
    public var isActive: Bool
    /// Task labels they gave (gold ones included).
    public var labels: Int
    /// Median seconds from a task being handed to them to their label; nil without timed labels.
    public var medianSecondsPerTask: Double?
    /// Their overall choices as they were shown the responses ("A" is the left one on their screen): an honest
    /// annotator's A and B shares are close, someone who always clicks the left answer has nearly all A. Labels
    /// whose shown order is unknown (given before it was recorded) count as stored.
    public var shownChoices: [Choice: Int]
    /// Share of their labels that match the majority of the other people's labels of the same comparison (only
    /// comparisons where at least two others labelled and one choice leads); nil without such comparisons.
    public var majorityAgreement: Double?
    /// Comparisons behind `majorityAgreement`.
    public var majorityItems: Int
    /// Mean of their Cohen's kappas with each other person they share comparisons with; nil if none is defined.
    public var meanCohenKappa: Double?
    /// Their answers to gold tasks.
    public var gold: GoldScore
    /// Cohen's kappa of their choices against the known answers of the gold tasks they answered (chance-corrected
    /// gold accuracy: always "A" scores about 0 even where half the answers are A); nil if undefined.
    public var goldKappa: Double?

    /// Share of their choices that were `choice` as shown; nil without labels.
    public func shownShare(_ choice: Choice) -> Double? {
        let total = shownChoices.values.reduce(0, +)
        return total > 0 ? Double(shownChoices[choice, default: 0]) / Double(total) : nil
    }
}

/// Labels given in one hour.
public struct HourlyLabels: Sendable, Hashable {
    /// The start of the hour.
    public var hour: Date
    /// Labels given in it.
    public var labels: Int
}

/// The quality of the whole team: per person, per pair of people, and labels over time.
public struct AnnotationQualityReport: Sendable, Hashable {
    /// Every person who can sign in, best first: by gold accuracy, then gold kappa, then agreement with the
    /// majority (people without gold answers last), then name.
    public var annotators: [AnnotatorQuality]
    /// Cohen's kappa for every two people with at least two comparisons in common.
    public var pairwise: [PairwiseAgreement]
    /// Labels per hour from the first labelled hour (at most the last `AnnotationQualityReport.hoursShown`) to the
    /// last, hours without labels included.
    public var labelsPerHour: [HourlyLabels]

    /// Most hours `labelsPerHour` covers.
    public static let hoursShown = 72
}

/// One human label of a task comparison, as the quality report needs it.
struct QualityLabel: Sendable, Hashable {
    var annotator: AnnotatorID
    var comparison: ComparisonID
    var overall: Choice
    var judgedAt: Date?
    var handedAt: Date?
    var shownSwapped: Bool?
    var goldAnswer: Choice?
}

extension AnnotationQualityReport {
    /// Computes the report of `people` (id, name, active) from their `labels`.
    static func compute(people: [(id: AnnotatorID, name: String, isActive: Bool)], labels: [QualityLabel])
        -> AnnotationQualityReport
    {
        var byComparison: [ComparisonID: [QualityLabel]] = [:]
        for label in labels { byComparison[label.comparison, default: []].append(label) }
        let agreement = AgreementStatistics(
            items: byComparison.values.map { $0.map { Rating(rater: $0.annotator, choice: $0.overall) } })
        var byPerson: [AnnotatorID: [QualityLabel]] = [:]
        for label in labels { byPerson[label.annotator, default: []].append(label) }

        let annotators = people.map { person -> AnnotatorQuality in
            let own = byPerson[person.id] ?? []
            var shown: [Choice: Int] = [:]
            for label in own {
                shown[label.shownSwapped == true ? label.overall.swapped : label.overall, default: 0] += 1
            }
            let seconds = own.compactMap { label -> Double? in
                guard let judged = label.judgedAt, let handed = label.handedAt else { return nil }
                return max(0, judged.timeIntervalSince(handed))
            }
            let (majority, majorityItems) = majorityAgreement(own, byComparison: byComparison)
            let kappas = agreement.pairwise.filter { $0.first == person.id || $0.second == person.id }
                .compactMap(\.cohenKappa)
            let goldLabels = own.compactMap { label in label.goldAnswer.map { (label.overall, $0) } }
            return AnnotatorQuality(
                id: person.id, name: person.name, isActive: person.isActive, labels: own.count,
                medianSecondsPerTask: median(seconds), shownChoices: shown, majorityAgreement: majority,
                majorityItems: majorityItems,
                meanCohenKappa: kappas.isEmpty ? nil : kappas.reduce(0, +) / Double(kappas.count),
                gold: GoldScore(answered: goldLabels.count, correct: goldLabels.filter { $0.0 == $0.1 }.count),
                goldKappa: cohenKappa(goldLabels))
        }
        return AnnotationQualityReport(
            annotators: annotators.sorted(by: ranksAbove), pairwise: agreement.pairwise,
            labelsPerHour: hourly(labels.compactMap(\.judgedAt)))
    }

    /// Whether `lhs` ranks above `rhs`: higher gold accuracy, then gold kappa, then majority agreement; unknown
    /// values last.
    static func ranksAbove(_ lhs: AnnotatorQuality, _ rhs: AnnotatorQuality) -> Bool {
        for (left, right) in [
            (lhs.gold.accuracy, rhs.gold.accuracy), (lhs.goldKappa, rhs.goldKappa),
            (lhs.majorityAgreement, rhs.majorityAgreement),
        ] where left != right {
            return (left ?? -.infinity) > (right ?? -.infinity)
        }
        return lhs.name < rhs.name
    }

    /// Leave-one-out agreement with the majority: each label against the leading choice of the others' labels.
    static func majorityAgreement(_ own: [QualityLabel], byComparison: [ComparisonID: [QualityLabel]])
        -> (Double?, Int)
    {
        var items = 0
        var agreeing = 0
        for label in own {
            let others = (byComparison[label.comparison] ?? []).filter { $0.annotator != label.annotator }
            guard others.count >= 2 else { continue }
            var counts: [Choice: Int] = [:]
            for other in others { counts[other.overall, default: 0] += 1 }
            let most = counts.values.max() ?? 0
            let leaders = counts.filter { $0.value == most }
            guard leaders.count == 1, let leader = leaders.first?.key else { continue }
            items += 1
            if leader == label.overall { agreeing += 1 }
        }
        return (items > 0 ? Double(agreeing) / Double(items) : nil, items)
    }

    /// Cohen's kappa of (given, known) pairs over the four choices.
    static func cohenKappa(_ pairs: [(Choice, Choice)]) -> Double? {
        guard !pairs.isEmpty else { return nil }
        let n = Double(pairs.count)
        let observed = Double(pairs.filter { $0.0 == $0.1 }.count) / n
        let chance = Choice.allCases.reduce(0.0) { sum, choice in
            sum + Double(pairs.filter { $0.0 == choice }.count) / n * Double(pairs.filter { $0.1 == choice }.count) / n
        }
        return AgreementStatistics.kappa(observed: observed, chance: chance)
    }

    /// The median of `values`, nil if empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Labels per hour over the last `hoursShown` hours that end with the last label.
    static func hourly(_ times: [Date]) -> [HourlyLabels] {
        guard !times.isEmpty else { return [] }
        var counts: [Int: Int] = [:]
        for time in times { counts[Int((time.timeIntervalSince1970 / 3600).rounded(.down)), default: 0] += 1 }
        let last = counts.keys.max()!
        let first = max(counts.keys.min()!, last - hoursShown + 1)
        return (first...last).map { hour in
            HourlyLabels(hour: Date(timeIntervalSince1970: Double(hour) * 3600), labels: counts[hour, default: 0])
        }
    }
}

extension PreferenceStore {
    /// The quality report of every person who can sign in, from their labels of annotation tasks.
    public func annotationQuality() async throws -> AnnotationQualityReport {
        let (people, labels) = try await readAsync { db in
            let people = try Annotator.fetchAll(
                db, sql: "SELECT * FROM annotator WHERE kind = 'human' AND token_hash IS NOT NULL ORDER BY name"
            ).map { (id: $0.id, name: $0.name, isActive: $0.isActive) }
            let labels = try Row.fetchAll(
                db,
                sql: """
                    SELECT j.annotator_id, j.comparison_id, j.overall, j.judged_at, w.handed_at, w.shown_swapped,
                           g.answer AS gold_answer
                    FROM judgement j
                    JOIN annotator a ON a.id = j.annotator_id AND a.kind = 'human'
                    JOIN annotation_task t ON t.comparison_id = j.comparison_id
                    LEFT JOIN label_work w ON w.judgement_id = j.id
                    LEFT JOIN gold_task g ON g.task_id = t.id
                    """
            ).map { row in
                QualityLabel(
                    annotator: row["annotator_id"], comparison: row["comparison_id"],
                    overall: Choice(rawValue: row["overall"]) ?? .tie,
                    judgedAt: (row["judged_at"] as String?).flatMap(Timestamp.date(from:)),
                    handedAt: (row["handed_at"] as String?).flatMap(Timestamp.date(from:)),
                    shownSwapped: (row["shown_swapped"] as Int?).map { $0 == 1 },
                    goldAnswer: (row["gold_answer"] as String?).flatMap(Choice.init(rawValue:)))
            }
            return (people, labels)
        }
        return AnnotationQualityReport.compute(people: people, labels: labels)
    }
}
