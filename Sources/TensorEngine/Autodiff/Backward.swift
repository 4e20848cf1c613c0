extension Tensor {
    /// Reverse-mode differentiation from this tensor: accumulates d(self)/d(p) into `p.grad` of every parameter
    /// `p` it depends on (a parameter that is itself computed also passes its gradient on). `self` must be a scalar unless `gradient` (the upstream gradient, same shape) is given.
    /// The graph is released afterwards, so its activations are freed.
    public func backward(_ gradient: Tensor? = nil) {
        let seed: Tensor
        if let gradient {
            if gradient.shape != shape {
                engineFailure("backward", "gradient shape \(gradient.shape) differs from tensor shape \(shape)")
            }
            seed = gradient
        } else {
            if count != 1 {
                engineFailure("backward", "called on a tensor of shape \(shape); give a gradient or reduce to a scalar")
            }
            seed = Tensor.full(shape, 1)
        }
        guard requiresGrad else {
            engineFailure("backward", "tensor does not require grad (no parameter in its graph)")
        }

        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        var owned: Set<ObjectIdentifier> = []
        withNoGrad {
            for t in order.reversed() {
                let id = ObjectIdentifier(t)
                guard let g = pending.removeValue(forKey: id) else { continue }
                if t.isParameter {
                    if let existing = t.grad {
                        existing.addInPlace(g)
                    } else {
                        let fresh = g.copy()
                        t.grad = fresh.shape == t.shape ? fresh : Tensor(shape: t.shape, storage: fresh.storage)
                    }
                }
                guard let node = t.node else { continue }
                let inputGrads = node.backward(g)
                for (input, ig) in zip(node.inputs, inputGrads) where input.requiresGrad {
                    guard let ig else { continue }
                    if ig.count != input.count {
                        engineFailure(
                            node.op + " backward", "gradient shape \(ig.shape) for input of shape \(input.shape)")
                    }
                    let iid = ObjectIdentifier(input)
                    if let existing = pending[iid] {
                        if owned.contains(iid) {
                            existing.addInPlace(ig)
                        } else {
                            let sum = existing.copy()
                            sum.addInPlace(ig)
                            pending[iid] = sum
                            owned.insert(iid)
                        }
                    } else {
                        pending[iid] = ig
                    }
                }
                t.node = nil
            }
        }
    }

    /// Tensors reachable from self through grad-requiring inputs, inputs before the ops that use them.
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited: Set<ObjectIdentifier> = []
        // Iterative DFS: deep graphs (many layers × ops) would overflow the stack with recursion.
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (t, expanded) = stack.popLast() {
            if expanded { order.append(t); continue }
            let id = ObjectIdentifier(t)
            if visited.contains(id) { continue }
            visited.insert(id)
            stack.append((t, true))
            if let node = t.node {
                for input in node.inputs where input.requiresGrad && !visited.contains(ObjectIdentifier(input)) {
                    stack.append((input, false))
                }
            }
        }
        return order
    }
}
