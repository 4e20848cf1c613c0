import PreferenceData

/// A list of task ids as a person types it: numbers and ranges separated by commas or spaces (`1-20, 25`).
enum TaskIDList {
    /// Most ids one list may name (a typo like `1-1000000000` must not make a huge statement).
    static let maximumCount = 100_000

    /// The ids in the order given, without repeats; a one-line error naming the part that is not an id or range.
    static func parse(_ text: String) throws -> [AnnotationTaskID] {
        var ids: [AnnotationTaskID] = []
        var seen = Set<Int64>()
        let parts = text.split { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard !parts.isEmpty else { throw TaskIDListError(message: "no task ids given") }
        for part in parts {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = Int64(bounds[0]), low > 0, let high = bounds.count == 2 ? Int64(bounds[1]) : low,
                high >= low
            else {
                throw TaskIDListError(message: "\"\(part.prefix(40))\" is not a task id or a range like 1-20")
            }
            guard high - low < Int64(maximumCount) - Int64(ids.count) else {
                throw TaskIDListError(message: "more than \(maximumCount) task ids")
            }
            for id in low...high where seen.insert(id).inserted { ids.append(AnnotationTaskID(id)) }
        }
        return ids
    }
}

/// Why a task id list is not valid.
struct TaskIDListError: Error {
    let message: String
}
