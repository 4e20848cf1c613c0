/// When an annotator gets a gold task, and which one.
///
/// The draws are hashes, not a random generator: the same store hands out the same sequence on every run (tests and
/// reruns are reproducible), yet an annotator cannot tell from the count of their labels when a gold task comes.
public enum GoldMixing {
    /// Whether the annotator's next task, after `labelled` labels, should be a gold task at `rate` (0…1).
    public static func isGoldTurn(annotator: AnnotatorID, labelled: Int, rate: Double) -> Bool {
        guard rate > 0 else { return false }
        let draw = Double(mix(UInt64(bitPattern: annotator.rawValue), UInt64(labelled)) >> 11) / Double(1 << 53)
        return draw < rate
    }

    /// A sort key of gold task `task` for `annotator`: each person meets the gold tasks in their own order.
    static func order(_ annotator: AnnotatorID, _ task: AnnotationTaskID) -> UInt64 {
        mix(UInt64(bitPattern: annotator.rawValue) &+ 0x5851_F42D_4C95_7F2D, UInt64(bitPattern: task.rawValue))
    }

    /// SplitMix64's finaliser of two values: well mixed, the same on every machine.
    static func mix(_ first: UInt64, _ second: UInt64) -> UInt64 {
        var value = first &* 0x9E37_79B9_7F4A_7C15 ^ (second &+ 0xD1B5_4A32_D192_ED03)
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
