import TensorEngine

/// Prompt + response sequences right-padded into one [B, T] batch, with the mask of the positions whose next-token
/// log-probability belongs to a response token: what every policy-gradient loss is computed over.
///
/// Log-probabilities, values and per-token rewards live on the T − 1 "prediction" positions: position i predicts
/// token i + 1, so response token j of row b (at index promptLength + j) is scored at position promptLength + j − 1.
public struct ResponseBatch {
    /// The prompts' token ids.
    public let prompts: [[Int]]
    /// The responses' token ids (possibly empty).
    public let responses: [[Int]]
    /// [B, T]: prompt then response, then padding.
    public let ids: IntTensor
    /// [B, T]: 1 for real tokens, 0 for padding.
    public let attentionMask: Tensor
    /// [B, T − 1]: 1 where the next token is a response token.
    public let responseMask: Tensor
    /// Response tokens in the batch.
    public let responseTokens: Int

    /// Joins each prompt (non-empty) with its response and pads with `padId`.
    public init(prompts: [[Int]], responses: [[Int]], padId: Int) {
        precondition(prompts.count == responses.count && !prompts.isEmpty, "one response per prompt, at least one")
        precondition(prompts.allSatisfy { !$0.isEmpty }, "prompts must be non-empty")
        self.prompts = prompts
        self.responses = responses
        let b = prompts.count
        // At least two tokens, so there is at least one prediction position.
        let t = max(2, zip(prompts, responses).map { $0.count + $1.count }.max()!)
        var ids = [Int](repeating: padId, count: b * t)
        var mask = [Float](repeating: 0, count: b * t)
        var response = [Float](repeating: 0, count: b * (t - 1))
        for row in 0..<b {
            let sequence = prompts[row] + responses[row]
            for (i, id) in sequence.enumerated() { ids[row * t + i] = id; mask[row * t + i] = 1 }
            for j in 0..<responses[row].count { response[row * (t - 1) + prompts[row].count + j - 1] = 1 }
        }
        self.ids = IntTensor(shape: [b, t], scalars: ids)
        inputs = IntTensor(shape: [b, t - 1], scalars: (0..<b).flatMap { ids[($0 * t)..<($0 * t + t - 1)] })
        targets = IntTensor(shape: [b, t - 1], scalars: (0..<b).flatMap { ids[($0 * t + 1)..<($0 * t + t)] })
        attentionMask = Tensor(shape: [b, t], scalars: mask)
        responseMask = Tensor(shape: [b, t - 1], scalars: response)
        responseTokens = responses.reduce(0) { $0 + $1.count }
    }

    /// Rows.
    public var count: Int { prompts.count }

    /// [B, T − 1] inputs (every token but the last).
    public let inputs: IntTensor
    /// [B, T − 1] next tokens.
    public let targets: IntTensor

    /// The rows `indices`, keeping the batch's width (so per-token tensors can be selected alongside).
    public func selecting(_ indices: [Int]) -> ResponseBatch {
        func rows(_ x: IntTensor) -> IntTensor {
            let w = x.shape[1]
            return IntTensor(
                shape: [indices.count, w], scalars: indices.flatMap { x.scalars[($0 * w)..<(($0 + 1) * w)] })
        }
        return ResponseBatch(
            prompts: indices.map { prompts[$0] }, responses: indices.map { responses[$0] },
            ids: rows(ids), inputs: rows(inputs), targets: rows(targets),
            attentionMask: attentionMask.indexSelect(axis: 0, indices),
            responseMask: responseMask.indexSelect(axis: 0, indices),
            responseTokens: indices.reduce(0) { $0 + responses[$1].count })
    }

    private init(
        prompts: [[Int]], responses: [[Int]], ids: IntTensor, inputs: IntTensor, targets: IntTensor,
        attentionMask: Tensor, responseMask: Tensor, responseTokens: Int
    ) {
        self.prompts = prompts; self.responses = responses; self.ids = ids; self.inputs = inputs
        self.targets = targets; self.attentionMask = attentionMask; self.responseMask = responseMask
        self.responseTokens = responseTokens
    }
}
