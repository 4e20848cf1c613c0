import Parallelism

/// Row-wise log-softmax statistics of logits [rows, vocab]: the log-sum-exp of each row.
private func rowLogSumExp(_ logits: UnsafePointer<Float>, rows: Int, vocab: Int) -> [Float] {
    var lse = [Float](repeating: 0, count: rows)
    lse.withUnsafeMutableBufferPointer { out in
        let o = out.baseAddress!
        Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(vocab, 1))) { r in
            for row in r {
                let x = logits + row * vocab
                let m = VectorMath.max(x, vocab)
                o[row] = m + _log(VectorMath.sumExpShifted(x, vocab, shift: m))
            }
        }
    }
    return lse
}

/// dX[row] = coefficient(row) · softmax(x[row]) + (onehot term added by `extra`), recomputing the softmax from the
/// saved log-sum-exp instead of keeping it.
private func softmaxRowsScaled(
    _ logits: UnsafePointer<Float>, lse: [Float], rows: Int, vocab: Int, coefficient: (Int) -> Float,
    into out: UnsafeMutablePointer<Float>
) {
    lse.withUnsafeBufferPointer { l in
        Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(vocab, 1))) { r in
            for row in r {
                let x = logits + row * vocab, dx = out + row * vocab
                let c = coefficient(row)
                if c == 0 { dx.update(repeating: 0, count: vocab); continue }
                _ = VectorMath.expShifted(x, dx, vocab, shift: l[row])
                VectorMath.scale(dx, vocab, by: c)
            }
        }
    }
}

private func checkTargets(_ op: String, _ logits: Tensor, _ targets: IntTensor) -> (rows: Int, vocab: Int) {
    if logits.rank < 1 || targets.shape != Array(logits.shape.dropLast()) {
        engineFailure(
            op, "logits \(logits.shape) need targets of shape \(Array(logits.shape.dropLast())), got \(targets.shape)")
    }
    let vocab = logits.shape.last!
    return (targets.count, vocab)
}

/// Mean cross-entropy of `logits` [..., vocab] against class `targets` [...], skipping targets equal to
/// `ignoreIndex`. Returns 0 (with zero gradient) when every target is ignored, where torch would give NaN.
public func crossEntropy(_ logits: Tensor, targets: IntTensor, ignoreIndex: Int = -100) -> Tensor {
    let op = "crossEntropy"
    let (rows, vocab) = checkTargets(op, logits, targets)
    for t in targets.scalars where t != ignoreIndex && (t < 0 || t >= vocab) {
        engineFailure(op, "target \(t) out of range for vocabulary \(vocab)")
    }
    let lse = rowLogSumExp(logits.data, rows: rows, vocab: vocab)
    var total: Double = 0
    var counted = 0
    for r in 0..<rows where targets.scalars[r] != ignoreIndex {
        total += Double(lse[r] - logits.data[r * vocab + targets.scalars[r]])
        counted += 1
    }
    let out = Tensor(counted == 0 ? 0 : Float(total / Double(counted)))
    return Tensor.record(op, [logits], out) { g in
        let gx = Tensor(uninitializedShape: logits.shape)
        let scale = counted == 0 ? 0 : g.data[0] / Float(counted)
        let t = targets.scalars
        softmaxRowsScaled(
            logits.data, lse: lse, rows: rows, vocab: vocab,
            coefficient: { t[$0] == ignoreIndex ? 0 : scale }, into: gx.data)
        for r in 0..<rows where t[r] != ignoreIndex { gx.data[r * vocab + t[r]] -= scale }
        return [gx]
    }
}

/// log p(token) under softmax(`logits`) for each position: logits [..., vocab], tokens [...] → [...].
/// Log-softmax and gather are fused; backward recomputes the softmax from one saved number per row.
public func tokenLogProbs(_ logits: Tensor, tokens: IntTensor) -> Tensor {
    let op = "tokenLogProbs"
    let (rows, vocab) = checkTargets(op, logits, tokens)
    for t in tokens.scalars where t < 0 || t >= vocab {
        engineFailure(op, "token \(t) out of range for vocabulary \(vocab)")
    }
    let lse = rowLogSumExp(logits.data, rows: rows, vocab: vocab)
    let out = Tensor(uninitializedShape: tokens.shape)
    for r in 0..<rows { out.data[r] = logits.data[r * vocab + tokens.scalars[r]] - lse[r] }
    return Tensor.record(op, [logits], out) { g in
        let gx = Tensor(uninitializedShape: logits.shape)
        let gp = g.data
        softmaxRowsScaled(logits.data, lse: lse, rows: rows, vocab: vocab, coefficient: { -gp[$0] }, into: gx.data)
        for r in 0..<rows { gx.data[r * vocab + tokens.scalars[r]] += gp[r] }
        return [gx]
    }
}

/// Entropy of softmax(`logits`) along the last axis: −Σ p log p, [..., vocab] → [...].
public func entropy(_ logits: Tensor) -> Tensor {
    if logits.rank < 1 { engineFailure("entropy", "logits must have a vocabulary axis, got \(logits.shape)") }
    let vocab = logits.shape.last!, rows = logits.count / Swift.max(vocab, 1)
    let lse = rowLogSumExp(logits.data, rows: rows, vocab: vocab)
    let out = Tensor(uninitializedShape: Array(logits.shape.dropLast()))
    let xp = logits.data, op = out.data
    lse.withUnsafeBufferPointer { l in
        Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(vocab, 1))) { r in
            for row in r {
                // H = lse − Σ p·x
                let x = xp + row * vocab
                var s: Float = 0
                for j in 0..<vocab { s += VectorMath.exp(x[j] - l[row]) * x[j] }
                op[row] = l[row] - s
            }
        }
    }
    let saved = out.detached()
    return Tensor.record("entropy", [logits], out) { g in
        // dH/dx = −p·(log p + H)
        let gx = Tensor(uninitializedShape: logits.shape)
        let gp = g.data, dp = gx.data, hp = saved.data
        lse.withUnsafeBufferPointer { l in
            Parallel.forRanges(rows, grain: Swift.max(1, 8192 / Swift.max(vocab, 1))) { r in
                for row in r {
                    let x = xp + row * vocab, dx = dp + row * vocab
                    for j in 0..<vocab {
                        let logp = x[j] - l[row]
                        dx[j] = -gp[row] * VectorMath.exp(logp) * (logp + hp[row])
                    }
                }
            }
        }
        return [gx]
    }
}
