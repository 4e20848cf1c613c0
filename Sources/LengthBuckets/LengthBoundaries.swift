/// Bucket edges on the absolute length difference |len(chosen) − len(rejected)| of a pair: edges [e₀, e₁, …, eₙ]
/// make buckets [1, e₀), [e₀, e₁), …, [eₙ, ∞).
public enum LengthBoundaries {
    /// Why `edges` cannot be bucket edges, as one line, or nil when they are strictly increasing positive numbers.
    public static func problem(_ edges: [Int]) -> String? {
        guard !edges.isEmpty else { return "length buckets need at least one boundary" }
        guard edges[0] > 0, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            return
                "bucket boundaries must be strictly increasing positive numbers, got \(edges.map(String.init).joined(separator: ","))"
        }
        return nil
    }
}
