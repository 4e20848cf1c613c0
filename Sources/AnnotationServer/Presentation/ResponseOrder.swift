import PreferenceData

/// The order in which an annotator sees a task's two responses.
///
/// Always showing the stored A first would let position bias (people favour the first, or the left, answer) leak into
/// the labels whenever A correlates with something, e.g. the model that produced it. So the order is drawn per task
/// and annotator: fixed (the same page after a reload, the same meaning of `a` in the API), different across
/// annotators. Choices cross this boundary through `stored` and `presented`.
struct ResponseOrder: Sendable, Hashable {
    /// Whether the annotator sees stored B as "a" and stored A as "b".
    let isSwapped: Bool

    /// The order for `annotator` on `task`; never swapped when shuffling is off.
    init(task: AnnotationTaskID, annotator: AnnotatorID, shuffle: Bool) {
        guard shuffle else {
            isSwapped = false
            return
        }
        // SplitMix64 finaliser of the two ids: well mixed, the same on every run and machine.
        var mixed = UInt64(bitPattern: task.rawValue) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: annotator.rawValue)
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        isSwapped = mixed & 1 == 1
    }

    /// The two texts in the order shown: (shown as "a", shown as "b").
    func presented(responseA: String, responseB: String) -> (a: String, b: String) {
        isSwapped ? (responseB, responseA) : (responseA, responseB)
    }

    /// A label as given relative to the shown order, turned relative to the stored A and B.
    func stored(_ label: LabelDraft) -> LabelDraft {
        isSwapped ? swapped(label) : label
    }

    /// A stored label turned relative to the shown order.
    func presented(_ label: LabelDraft) -> LabelDraft {
        isSwapped ? swapped(label) : label
    }

    private func swapped(_ label: LabelDraft) -> LabelDraft {
        LabelDraft(
            overall: label.overall.swapped, dimensions: label.dimensions.mapValues(\.swapped), comment: label.comment)
    }
}
