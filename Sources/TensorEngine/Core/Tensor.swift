/// A dense, row-major Float32 tensor of any rank, and a node of the autodiff graph.
///
/// Tensors are reference types because the graph needs identity: an op's result remembers its inputs so that
/// `backward()` can send gradients to them. Storage is always contiguous; `reshaped` shares it (a view), every
/// other shape op copies.
public final class Tensor: @unchecked Sendable {
    /// The extent of each axis.
    public let shape: [Int]
    /// The memory holding the elements (shared by reshaped views).
    public let storage: TensorStorage
    /// Number of elements.
    public let count: Int

    /// Whether this leaf collects a gradient in `grad` when `backward()` runs through it.
    public var isParameter: Bool
    /// The accumulated gradient of a leaf (nil until a backward pass reaches it, or after `zeroGrad()`).
    public var grad: Tensor?
    /// How to send this tensor's gradient to its inputs; nil for leaves and for results computed without grad, spent
    /// (`liveNode` nil) once a backward pass has been through it.
    var node: GradNode?

    init(shape: [Int], storage: TensorStorage) {
        self.shape = shape
        self.storage = storage
        self.count = shape.reduce(1, *)
        self.isParameter = false
        precondition(count <= storage.count, "tensor of shape \(shape) does not fit its storage of \(storage.count)")
    }

    /// An uninitialised tensor; every kernel that creates one writes all of it.
    init(uninitializedShape shape: [Int]) {
        for d in shape where d < 0 { engineFailure("tensor", "negative dimension in shape \(shape)") }
        let n = shape.reduce(1, *)
        self.shape = shape
        self.count = n
        self.storage = TensorStorage(count: n)
        self.isParameter = false
    }

    /// A tensor holding `scalars` in row-major order.
    public convenience init(shape: [Int], scalars: [Float]) {
        let n = shape.reduce(1, *)
        if n != scalars.count {
            engineFailure(
                "Tensor(shape:scalars:)", "shape \(shape) holds \(n) elements but \(scalars.count) were given")
        }
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { src in
            if n > 0 { storage.pointer.update(from: src.baseAddress!, count: n) }
        }
    }

    /// A rank-0 tensor.
    public convenience init(_ value: Float) { self.init(shape: [], scalars: [value]) }

    /// Rank (number of axes).
    public var rank: Int { shape.count }

    /// Whether gradients flow through this tensor: a parameter leaf or a result computed from one with grad enabled.
    public var requiresGrad: Bool { isParameter || liveNode != nil }

    /// Marks this leaf as a parameter that collects gradients; returns self for chaining.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        isParameter = flag
        return self
    }

    /// Pointer to the first element.
    @inline(__always) var data: UnsafeMutablePointer<Float> { storage.pointer }

    /// A copy of the elements in row-major order (recomputed first if they were dropped: `dropUntilBackward`).
    public var scalars: [Float] {
        storage.restoreValues()
        return Array(UnsafeBufferPointer(start: data, count: count))
    }

    /// The single element of a one-element tensor.
    public func item() -> Float {
        if count != 1 { engineFailure("item", "tensor of shape \(shape) has \(count) elements, not 1") }
        storage.restoreValues()
        return data[0]
    }

    /// Reads the elements without copying (recomputed first if they were dropped).
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        storage.restoreValues()
        return try body(UnsafeBufferPointer(start: data, count: count))
    }

    /// Writes the elements in place. Not recorded by autodiff: use it for parameter updates and initialisation.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R
    {
        try body(UnsafeMutableBufferPointer(start: data, count: count))
    }

    /// The same values, cut from the graph: gradients do not flow through the result. Shares storage.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A copy with its own storage, not connected to the graph.
    public func copy() -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        if count > 0 { out.data.update(from: data, count: count) }
        return out
    }

    /// Overwrites the elements with those of `other` (same element count). Not recorded by autodiff.
    public func assign(_ other: Tensor) {
        if other.count != count { engineFailure("assign", "shapes \(shape) and \(other.shape) differ in size") }
        if count > 0 { data.update(from: other.data, count: count) }
    }

    /// Drops the accumulated gradient.
    public func zeroGrad() { grad = nil }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(16).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 16 ? ", …" : "")])"
    }
}

/// Stops the program on a programmer error inside the engine, naming the op and what was wrong.
/// Always active, also in release builds.
@inline(never)
public func engineFailure(_ op: String, _ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError("\(op): \(message)", file: file, line: line)
}
