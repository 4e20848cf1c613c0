import TensorEngine

/// Walks a dataset in a seeded shuffled order, epoch after epoch. Its position (epoch and index) is all a
/// checkpoint needs to continue with exactly the same examples.
public struct DataCursor: Sendable, Equatable, Codable {
    /// Number of examples.
    public let count: Int
    /// Seed of the shuffles; epoch e uses an order derived from (seed, e).
    public let seed: UInt64
    /// Whether to shuffle at all.
    public let shuffle: Bool
    /// Completed passes over the data.
    public private(set) var epoch = 0
    /// Next index within the current epoch's order.
    public private(set) var position = 0
    /// The current epoch's order, kept so each step does not reshuffle (derived state: not saved or compared).
    private var cachedOrder: [Int]? = nil

    private enum CodingKeys: String, CodingKey { case count, seed, shuffle, epoch, position }

    public static func == (a: DataCursor, b: DataCursor) -> Bool {
        (a.count, a.seed, a.shuffle, a.epoch, a.position) == (b.count, b.seed, b.shuffle, b.epoch, b.position)
    }

    /// A cursor at the start of epoch 0.
    public init(count: Int, seed: UInt64, shuffle: Bool = true) {
        self.count = count
        self.seed = seed
        self.shuffle = shuffle
    }

    /// The order of epoch `e`.
    public func order(epoch e: Int) -> [Int] {
        var indices = Array(0..<count)
        guard shuffle else { return indices }
        var generator = RandomGenerator(seed: seed &+ UInt64(e) &* 0x9E37_79B9_7F4A_7C15)
        indices.shuffle(using: &generator)
        return indices
    }

    /// The next `n` example indices, moving to the next epoch (reshuffled) when one runs out.
    public mutating func next(_ n: Int) -> [Int] {
        precondition(count > 0, "DataCursor over an empty dataset")
        var result: [Int] = []
        if cachedOrder == nil { cachedOrder = order(epoch: epoch) }
        while result.count < n {
            if position == count {
                epoch += 1
                position = 0
                cachedOrder = order(epoch: epoch)
            }
            result.append(cachedOrder![position])
            position += 1
        }
        return result
    }
}
