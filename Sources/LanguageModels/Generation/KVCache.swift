import TensorEngine

/// Keys and values of the tokens seen so far, per layer, preallocated to a capacity so decoding appends in place.
///
/// Used only under `withNoGrad` (generation): appending writes into the buffers, which autodiff does not record.
/// A layer's buffers are allocated on its first append, with as many heads as it brings: a tensor-parallel shard
/// caches only its own key/value heads.
public final class KVCache {
    /// Tokens cached so far (the same for every layer once a forward pass completes).
    public private(set) var length = 0
    /// The most tokens the cache can hold.
    public let capacity: Int
    private var keys: [Tensor?]
    private var values: [Tensor?]

    /// An empty cache for `batch` sequences of at most `capacity` tokens.
    public init(config: ModelConfig, batch: Int, capacity: Int) {
        self.capacity = capacity
        keys = Array(repeating: nil, count: config.layerCount)
        values = Array(repeating: nil, count: config.layerCount)
    }

    /// Writes new keys and values [B, Hkv, T, hd] of `layer` after the cached ones; returns the buffers and the
    /// number of valid positions in them. `length` moves on when the model calls `advance` after its last layer.
    func append(layer: Int, keys newKeys: Tensor, values newValues: Tensor) -> (Tensor, Tensor, Int) {
        if GradMode.enabled { engineFailure("KVCache", "appending while recording gradients; use withNoGrad") }
        let t = newKeys.shape[2]
        if length + t > capacity {
            engineFailure("KVCache", "\(length) cached + \(t) new tokens exceed capacity \(capacity)")
        }
        if keys[layer] == nil {
            let shape = [newKeys.shape[0], newKeys.shape[1], capacity, newKeys.shape[3]]
            keys[layer] = Tensor.zeros(shape)
            values[layer] = Tensor.zeros(shape)
        }
        let (layerKeys, layerValues) = (keys[layer]!, values[layer]!)
        for (buffer, new) in [(layerKeys, newKeys), (layerValues, newValues)] {
            let rows = new.shape[0] * new.shape[1], hd = new.shape[3]
            new.withUnsafeBufferPointer { src in
                buffer.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<rows {
                        let from = src.baseAddress! + r * t * hd
                        (dst.baseAddress! + (r * capacity + length) * hd).update(from: from, count: t * hd)
                    }
                }
            }
        }
        return (layerKeys, layerValues, length + t)
    }

    /// Marks `count` more tokens as cached (after every layer has appended them).
    func advance(by count: Int) { length += count }

    /// Keeps only the sequences `rows` (indices into the current batch, ascending), in that order: the generator
    /// drops sequences that have finished so that later steps compute only the ones still answering.
    func keepRows(_ rows: [Int]) {
        keys = keys.map { $0.map { Self.selecting(rows, of: $0, length: length) } }
        values = values.map { $0.map { Self.selecting(rows, of: $0, length: length) } }
    }

    /// The rows of `buffer` [B, Hkv, capacity, hd] listed in `rows`, with the first `length` positions copied.
    private static func selecting(_ rows: [Int], of buffer: Tensor, length: Int) -> Tensor {
        let (heads, capacity, hd) = (buffer.shape[1], buffer.shape[2], buffer.shape[3])
        let kept = Tensor.zeros([rows.count, heads, capacity, hd])
        let rowSize = heads * capacity * hd
        buffer.withUnsafeBufferPointer { src in
            kept.withUnsafeMutableBufferPointer { dst in
                for (to, from) in rows.enumerated() {
                    for h in 0..<heads {
                        let offset = h * capacity * hd
                        (dst.baseAddress! + to * rowSize + offset)
                            .update(from: src.baseAddress! + from * rowSize + offset, count: length * hd)
                    }
                }
            }
        }
        return kept
    }
}
