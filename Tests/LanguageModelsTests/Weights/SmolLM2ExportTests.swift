import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// The real SmolLM2-135M-Instruct (`RLHF_SMOLLM2_GGUF`, Q4_1), exported as Q8_0 and read back: the same greedy
/// continuation of "The capital of France is" (transformers 5.23 on the source: " Paris.\n\nThe answer is: 201"),
/// and log-probs within 0.25 of the source's (measured: 0.13 at most; scripts/check-gguf-export.py compares the
/// file with transformers).
@Suite struct SmolLM2ExportTests {
    static let path = ProcessInfo.processInfo.environment["RLHF_SMOLLM2_GGUF"]

    // Quantising 135M weights takes ~90 s in a debug build and a second in release: CI runs it in release.
    @Test(
        .enabled(if: path != nil, "set RLHF_SMOLLM2_GGUF to the SmolLM2 GGUF (scripts/fetch-smollm2.sh)"),
        .enabled(if: !_isDebugAssertConfiguration(), "release builds only (slow in debug)"))
    func q8_0ExportKeepsTheGreedyContinuation() throws {
        let source = try TransformerLM.load(path: Self.path!)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("smollm2-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: file) }
        try source.writeGGUF(to: file.path, weightType: .q8_0)
        let exported = try TransformerLM.load(path: file.path)
        // The prompt and its greedy continuation in one pass: greedy decoding picks each next token exactly when it
        // is the argmax at the position before it.
        let prompt = [504, 3575, 282, 4649, 314],
            continuation = [7042, 30, 198, 198, 504, 2988, 314, 42, 216, 34, 32, 33]
        let ids = prompt + continuation
        let input = IntTensor(shape: [1, ids.count], scalars: ids)
        let (got, want) = withNoGrad { (exported(input).logSoftmax().scalars, source(input).logSoftmax().scalars) }
        let vocab = source.config.vocabSize
        for (offset, next) in continuation.enumerated() {
            let row = (prompt.count - 1 + offset) * vocab
            let scores = got[row..<(row + vocab)]
            #expect(scores.indices.max { scores[$0] < scores[$1] }! - row == next, "token \(offset + 1)")
            #expect(abs(got[row + next] - want[row + next]) <= 0.25, "token \(offset + 1)")
        }
    }
}
