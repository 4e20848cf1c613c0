/// Merges one pre-tokenized word into ids. Holds pointer views of the model's tables, so the encoding threads share
/// no reference counts; one per session, never shared between threads.
struct WordEncoder {
    private let model: BPEModel
    private let merges: PairTableView
    private let vocabulary: ByteKeyedTableView
    private let byteIDs: UnsafeMutablePointer<Int32>
    private let ignoreMerges: Bool
    private let coversAllBytes: Bool
    private var scratch = BPEScratch()

    init(model: BPEModel) {
        self.model = model
        merges = model.merges.view
        vocabulary = model.idsByBytes.view
        byteIDs = .allocate(capacity: 256)
        byteIDs.initialize(from: model.byteIDs, count: 256)
        ignoreMerges = model.ignoreMerges
        coversAllBytes = model.coversAllBytes
    }

    /// Frees the private copy of the byte table (the owner calls this once, when done).
    func release() { byteIDs.deallocate() }

    /// The id of a lone byte, or -1 when the vocabulary has no token for it.
    @inline(__always)
    func byteID(_ byte: UInt8) -> Int32 { byteIDs[Int(byte)] }

    /// Appends the ids of `p[0..<n]` to `out`.
    mutating func encode(_ p: UnsafePointer<UInt8>, _ n: Int, into out: inout [UInt32]) {
        if n == 1, byteIDs[Int(p[0])] >= 0 {
            out.append(UInt32(byteIDs[Int(p[0])]))
            return
        }
        if ignoreMerges, let id = vocabulary.find(p, n, hash: ByteKeyedTable.hash(p, n)) {
            out.append(UInt32(id))
            return
        }
        scratch.symbols.removeAll(keepingCapacity: true)
        if coversAllBytes {
            for i in 0..<n { scratch.symbols.append(UInt32(byteIDs[Int(p[i])])) }
        } else {
            model.initialSymbolsWithFallback(p, n, into: &scratch.symbols)
        }
        if scratch.symbols.count > BPEMerger.shortWordLimit {
            BPEMerger.mergeLong(&scratch, merges: merges)
        } else {
            BPEMerger.mergeShort(&scratch, merges: merges)
        }
        out.append(contentsOf: scratch.symbols)
    }
}
