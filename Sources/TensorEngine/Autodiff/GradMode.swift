/// Whether ops record themselves for backward. Bound per task (and per thread outside tasks).
public enum GradMode {
    @TaskLocal static var isEnabled = true

    /// Whether ops executed now record a graph.
    public static var enabled: Bool { isEnabled }

    /// Whether this forward is a checkpointed block's (`checkpointed`), run once without a tape and again under one in
    /// the backward pass: an op that picks its kernel by whether it is recorded (attention) must pick the same in both
    /// runs, so that they compute the same values.
    @TaskLocal static var inCheckpointedBlock = false
}

/// Runs `body` without recording any op: results have no graph and keep no activations alive.
/// Generation and evaluation live here.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false, operation: body)
}
