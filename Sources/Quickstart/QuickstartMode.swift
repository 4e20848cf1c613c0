/// The preset a quickstart run starts from; its raw value is what `run.json` and the report record.
public enum QuickstartMode: String, Codable, Sendable {
    /// The README's first command: under 10 minutes on a 2-core machine.
    case standard = "default"
    /// `--fast`: the same pipeline, smaller, under 2 minutes (CI and a first look).
    case fast
    /// `--model`: a real chat model aligned instead of one trained from scratch, under an hour on a 2-core machine.
    case realModel = "real-model"
    /// `--model` with `--fast`: the real-model recipe, tiny, in a few minutes (CI).
    case realModelFast = "real-model-fast"
}
