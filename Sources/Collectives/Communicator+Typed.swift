/// The typed collectives built on a communicator's raw ones: Float and bfloat16 buffers, small arrays of Double, Int
/// and UInt64 (statistics, counts, checksums), and byte strings of any length (settings fingerprints).
extension Communicator {
    /// In-place sum over ranks of a Float buffer (e.g. the flat gradient buffer).
    public func allReduceSum(_ buffer: UnsafeMutableBufferPointer<Float>, label: String) {
        allReduceSum(UnsafeMutableRawBufferPointer(buffer), type: .float, label: label)
    }

    /// In-place sum over ranks of bfloat16 values held as their 16 bits.
    public func allReduceSum(bfloat16 buffer: UnsafeMutableBufferPointer<UInt16>, label: String) {
        allReduceSum(UnsafeMutableRawBufferPointer(buffer), type: .bfloat16, label: label)
    }

    /// The elementwise sum over ranks of `values` (same count on every rank).
    public func allReduceSum(_ values: [Double], label: String) -> [Double] {
        var result = values
        result.withUnsafeMutableBytes { allReduceSum($0, type: .double, label: label) }
        return result
    }

    /// The elementwise sum over ranks of `values` (same count on every rank).
    public func allReduceSum(_ values: [Int], label: String) -> [Int] {
        var wide = values.map(Int64.init)
        wide.withUnsafeMutableBytes { allReduceSum($0, type: .int64, label: label) }
        return wide.map { Int($0) }
    }

    /// The sum over ranks of one number.
    public func allReduceSum(_ value: Double, label: String) -> Double {
        allReduceSum([value], label: label)[0]
    }

    /// `root`'s Float buffer copied into every rank's.
    public func broadcast(_ buffer: UnsafeMutableBufferPointer<Float>, root: Int, label: String) {
        broadcast(UnsafeMutableRawBufferPointer(buffer), root: root, label: label)
    }

    /// `root`'s bytes, on every rank; the other ranks' `bytes` may have any length (it is sent first).
    public func broadcast(_ bytes: [UInt8], root: Int, label: String) -> [UInt8] {
        var length = [Int64(bytes.count)]
        length.withUnsafeMutableBytes { broadcast($0, root: root, label: label) }
        var result = rank == root ? bytes : [UInt8](repeating: 0, count: Int(length[0]))
        result.withUnsafeMutableBytes { broadcast($0, root: root, label: label) }
        return result
    }

    /// `root`'s string, on every rank.
    public func broadcast(_ string: String, root: Int, label: String) -> String {
        String(decoding: broadcast(Array(string.utf8), root: root, label: label), as: UTF8.self)
    }

    /// Every rank's `values` (same count everywhere), concatenated in rank order.
    public func allGather(_ values: [Float], label: String) -> [Float] {
        gather(values, label: label)
    }

    /// Every rank's `values` (same count everywhere), concatenated in rank order.
    public func allGather(_ values: [UInt64], label: String) -> [UInt64] {
        gather(values, label: label)
    }

    /// Every rank's bytes (any length), in rank order.
    public func allGather(_ bytes: [UInt8], label: String) -> [[UInt8]] {
        let lengths = allGather([UInt64(bytes.count)], label: label)
        let longest = Int(lengths.max() ?? 0)
        let padded = bytes + [UInt8](repeating: 0, count: longest - bytes.count)
        let all = gather(padded, label: label)
        return lengths.indices.map { r in Array(all[r * longest..<r * longest + Int(lengths[r])]) }
    }

    /// Every rank's string, in rank order.
    public func allGather(_ string: String, label: String) -> [String] {
        allGather(Array(string.utf8), label: label).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sums every rank's `send` (size × `receive.count` floats) and leaves block `rank` of the sum in `receive`.
    public func reduceScatterSum(
        _ send: UnsafeBufferPointer<Float>, into receive: UnsafeMutableBufferPointer<Float>, label: String
    ) {
        precondition(send.count == receive.count * size, "reduceScatter: \(send.count) floats for \(size) ranks")
        reduceScatterSum(
            UnsafeRawBufferPointer(send), into: UnsafeMutableRawBufferPointer(receive), type: .float, label: label)
    }

    private func gather<T: BitwiseCopyable>(_ values: [T], label: String) -> [T] {
        [T](unsafeUninitializedCapacity: values.count * size) { buffer, initialized in
            values.withUnsafeBytes { send in
                allGather(send, into: UnsafeMutableRawBufferPointer(buffer), label: label)
            }
            initialized = values.count * size
        }
    }
}
