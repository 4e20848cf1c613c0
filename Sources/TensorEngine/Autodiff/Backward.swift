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

        let root = GraphVertex(self)
        var order = root.topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [root.id: seed]
        var owned: Set<ObjectIdentifier> = []
        withNoGrad {
            for index in order.indices.reversed() {
                let vertex = order[index]
                // The pass holds a vertex's tensor only until it is through it.
                defer { order[index].tensor = nil }
                guard let g = pending.removeValue(forKey: vertex.id) else { continue }
                if let t = vertex.tensor, t.isParameter {
                    if let existing = t.grad {
                        existing.addInPlace(g)
                    } else {
                        let fresh = g.copy()
                        t.grad = fresh.shape == t.shape ? fresh : Tensor(shape: t.shape, storage: fresh.storage)
                    }
                }
                guard let node = vertex.node, let backward = node.backward else { continue }
                // Values dropped in the forward (`Tensor.dropUntilBackward`) are rebuilt for the op that reads them.
                for case .tensor(let t) in node.inputs { t.storage.restoreValues() }
                let inputGrads = backward(g)
                for (input, ig) in zip(node.inputs, inputGrads) where input.requiresGrad {
                    guard let ig else { continue }
                    if ig.count != input.count {
                        engineFailure(
                            node.op + " backward", "gradient of \(ig.count) elements for an input of \(input.count)")
                    }
                    let iid = GraphVertex(input).id
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
                // Spend the node (its result leaves the graph) and drop what the backward kept.
                node.backward = nil
                node.inputs = []
            }
        }
    }
}

/// A vertex of the backward pass: a computed tensor's node, or a leaf tensor (a parameter, which may also be
/// computed). A computed tensor is the same vertex however its consumers hold it (by value or by node). The pass
/// holds the tensor itself only where it must — a leaf (where a gradient accumulates), or a result its own op reads
/// in backward — and only until it is through it; the rest is held by the consumers' nodes, which drop their inputs
/// once through, so activations are freed as the pass goes back through the graph.
private struct GraphVertex {
    let node: GradNode?
    var tensor: Tensor?

    init(_ tensor: Tensor) { self.init(node: tensor.liveNode, tensor: tensor) }

    init(_ input: GradInput) {
        switch input {
        case .tensor(let t): self.init(node: t.liveNode, tensor: t)
        case .node(let n, _): self.init(node: n, tensor: nil)
        case .constant: preconditionFailure("a constant input is no vertex")
        }
    }

    private init(node: GradNode?, tensor: Tensor?) {
        self.node = node
        self.tensor = tensor.flatMap(Self.leaf)
        id = node.map(ObjectIdentifier.init) ?? ObjectIdentifier(tensor!)
    }

    private static func leaf(_ t: Tensor) -> Tensor? {
        guard let node = t.liveNode else { return t }
        return t.isParameter || node.readsResult ? t : nil
    }

    /// Fixed at creation (a leaf's tensor is never released before its id is last used).
    let id: ObjectIdentifier

    /// Vertices reachable from this one through grad-requiring inputs, inputs before the ops that use them.
    func topologicalOrder() -> [GraphVertex] {
        var order: [GraphVertex] = []
        var visited: Set<ObjectIdentifier> = []
        // Iterative DFS: deep graphs (many layers × ops) would overflow the stack with recursion.
        var stack: [(GraphVertex, Bool)] = [(self, false)]
        while let (vertex, expanded) = stack.popLast() {
            if expanded { order.append(vertex); continue }
            if visited.contains(vertex.id) { continue }
            visited.insert(vertex.id)
            stack.append((vertex, true))
            if let node = vertex.node {
                for input in node.inputs where input.requiresGrad {
                    let next = GraphVertex(input)
                    if !visited.contains(next.id) { stack.append((next, false)) }
                }
            }
        }
        return order
    }
}
