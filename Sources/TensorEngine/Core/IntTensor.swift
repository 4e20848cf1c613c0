/// Integer indices with a shape: token ids, targets, gather indices. Not differentiable, so a value type.
public struct IntTensor: Sendable, Equatable {
    /// The extent of each axis.
    public var shape: [Int]
    /// The indices in row-major order.
    public var scalars: [Int]

    /// Indices with an explicit shape; the sizes must agree.
    public init(shape: [Int], scalars: [Int]) {
        let n = shape.reduce(1, *)
        if n != scalars.count {
            engineFailure("IntTensor", "shape \(shape) holds \(n) elements but \(scalars.count) were given")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A rank-1 tensor of indices.
    public init(_ scalars: [Int]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// Number of elements.
    public var count: Int { scalars.count }
}
