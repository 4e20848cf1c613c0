/// A config that embeds the settings of the loop that runs it — the training loop's for SFT, reward models and
/// DPO, the rollout loop's for PPO and GRPO. They read and write as the config's own (`config.steps`), so callers
/// need not know which settings are shared.
@dynamicMemberLookup
public protocol LoopConfigured {
    /// The loop's settings type.
    associatedtype Loop
    /// The loop's settings.
    var loop: Loop { get set }
}

extension LoopConfigured {
    /// A loop setting, read and written as the config's own.
    public subscript<Value>(dynamicMember path: WritableKeyPath<Loop, Value>) -> Value {
        get { loop[keyPath: path] }
        set { loop[keyPath: path] = newValue }
    }

    /// A value derived from the loop's settings (`config.schedule`).
    public subscript<Value>(dynamicMember path: KeyPath<Loop, Value>) -> Value {
        loop[keyPath: path]
    }
}
