/// A byte-level BPE model: the vocabulary and the ranked merges, working on token ids. Immutable and shared by every
/// encoding thread.
final class BPEModel: Sendable {
    /// Vocabulary strings (in the byte-level alphabet) by id; nil for ids the vocabulary skips.
    let tokens: [String?]
    /// Vocabulary string → id.
    let ids: [String: Int]
    /// Raw bytes → id, for every vocabulary string written in the byte-level alphabet.
    let idsByBytes: ByteKeyedTable
    /// The id of each single byte's token, -1 where the vocabulary lacks it.
    let byteIDs: [Int32]
    /// Ranked merges.
    let merges: PairTable
    /// The merge list as (left, right) strings, for saving.
    let mergeList: [(String, String)]
    /// HF `ignore_merges`: a word that is itself in the vocabulary becomes that one token (Llama-3).
    let ignoreMerges: Bool
    /// HF `unk_token`'s id, used for bytes missing from the vocabulary.
    let unknownID: Int32?
    /// HF `fuse_unk`: consecutive unknown characters become one unknown token.
    let fuseUnknown: Bool
    /// HF `byte_fallback`: ids of `<0x00>`…`<0xFF>` when the vocabulary has all of them.
    let byteFallbackIDs: [Int32]?
    /// True when every byte has a token, so the fallback path is never needed.
    let coversAllBytes: Bool

    /// Builds the model. `merges` are strings in the vocabulary; throws `BPEModel.BuildError` naming the first
    /// merge that refers to a token the vocabulary lacks.
    init(
        tokens: [String?], merges: [(String, String)], ignoreMerges: Bool = false, unknownToken: String? = nil,
        fuseUnknown: Bool = false, byteFallback: Bool = false
    ) throws {
        self.tokens = tokens
        var ids: [String: Int] = [:]
        ids.reserveCapacity(tokens.count)
        let table = ByteKeyedTable(minimumCapacity: tokens.count)
        for (id, token) in tokens.enumerated() {
            guard let token else { continue }
            ids[token] = id
            if let bytes = ByteLevelAlphabet.bytes(of: token) {
                bytes.withUnsafeBufferPointer { b in
                    let p = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
                    table.insert(p, b.count, hash: ByteKeyedTable.hash(p, b.count), value: UInt64(id))
                }
            }
        }
        self.ids = ids
        idsByBytes = table
        var byteIDs = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 {
            if let id = ids[String(Character(ByteLevelAlphabet.scalarForByte[byte]))] { byteIDs[byte] = Int32(id) }
        }
        self.byteIDs = byteIDs
        coversAllBytes = !byteIDs.contains(-1)

        var ranked: [(left: UInt32, right: UInt32, merged: UInt32)] = []
        ranked.reserveCapacity(merges.count)
        for (index, (left, right)) in merges.enumerated() {
            guard let l = ids[left] else {
                throw BuildError.unknownMergeToken(index: index, merge: (left, right), token: left)
            }
            guard let r = ids[right] else {
                throw BuildError.unknownMergeToken(index: index, merge: (left, right), token: right)
            }
            guard let m = ids[left + right] else {
                throw BuildError.unknownMergeToken(index: index, merge: (left, right), token: left + right)
            }
            ranked.append((UInt32(l), UInt32(r), UInt32(m)))
        }
        self.merges = PairTable(merges: ranked)
        mergeList = merges
        self.ignoreMerges = ignoreMerges
        if let unknownToken {
            guard let id = ids[unknownToken] else { throw BuildError.unknownUnknownToken(unknownToken) }
            unknownID = Int32(id)
        } else {
            unknownID = nil
        }
        self.fuseUnknown = fuseUnknown
        if byteFallback {
            let fallback = (0..<256).map { b in ids["<0x\(String(b, radix: 16, uppercase: true).leftPadded(to: 2))>"] }
            byteFallbackIDs = fallback.contains(where: { $0 == nil }) ? nil : fallback.map { Int32($0!) }
        } else {
            byteFallbackIDs = nil
        }
    }

    /// Why a vocabulary and merge list do not form a model.
    enum BuildError: Error {
        case unknownMergeToken(index: Int, merge: (String, String), token: String)
        case unknownUnknownToken(String)

        var message: String {
            switch self {
            case .unknownMergeToken(let index, let merge, let token):
                "merge #\(index + 1) \"\(merge.0) \(merge.1)\" uses \"\(token)\", which is not in the vocabulary"
            case .unknownUnknownToken(let token): "unk_token \"\(token)\" is not in the vocabulary"
            }
        }
    }

    /// Number of entries in the id space (highest id + 1).
    var idCount: Int { tokens.count }

    /// Initial symbols when some bytes have no token: HF's byte fallback, then the unknown token, else the byte is
    /// dropped (as HF does when the model has no `unk_token`).
    func initialSymbolsWithFallback(_ p: UnsafePointer<UInt8>, _ n: Int, into symbols: inout [UInt32]) {
        var previousWasUnknown = false
        for i in 0..<n {
            let id = byteIDs[Int(p[i])]
            if id >= 0 {
                symbols.append(UInt32(id))
                previousWasUnknown = false
                continue
            }
            if let fallback = byteFallbackIDs {
                // HF falls back on the UTF-8 bytes of the byte-level character, not on the raw byte.
                for b in String(Character(ByteLevelAlphabet.scalarForByte[Int(p[i])])).utf8 {
                    symbols.append(UInt32(fallback[Int(b)]))
                }
                previousWasUnknown = false
            } else if let unknownID {
                if !(fuseUnknown && previousWasUnknown) { symbols.append(UInt32(unknownID)) }
                previousWasUnknown = true
            }
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
