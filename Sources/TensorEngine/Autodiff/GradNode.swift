/// How one op's result sends its gradient back to its inputs.
final class GradNode {
    /// The op's name, for error messages.
    let op: String
    /// Where each input's gradient goes, in the op's input order (emptied once the backward pass is through).
    var inputs: [GradInput]
    /// Given d(loss)/d(output), returns d(loss)/d(input) for each input (nil where not needed). Dropped once it has
    /// run, with whatever values it kept: the node is then spent, and its result no longer in a graph.
    var backward: ((Tensor) -> [Tensor?])?
    /// Whether `backward` reads the op's result through a pointer taken in the forward (softmax, attention): the
    /// result must then be kept while the node lives, whatever its consumers keep.
    let readsResult: Bool

    init(op: String, inputs: [GradInput], readsResult: Bool, backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.readsResult = readsResult
        self.backward = backward
    }
}

/// An op's input as the backward pass sees it.
///
/// By default the node holds the input tensor itself, so its values live until the backward pass (most ops' backward
/// reads them). An op whose backward needs none of its inputs' values (an addition, a reshape, a permutation, a
/// rotation) records with `keepsInputs: false`: the node then holds only the input's own node (where the gradient
/// goes on), and the input's memory is freed as soon as nothing else uses it — a block's projections before RoPE, the
/// outputs added into the residual stream. An input whose own op reads its result in backward is kept regardless
/// (`GradNode.readsResult`).
enum GradInput {
    /// The tensor itself: its values are kept.
    case tensor(Tensor)
    /// A computed tensor's node, its values not kept; `count` elements.
    case node(GradNode, count: Int)
    /// An input that takes no gradient, not kept.
    case constant

    init(_ tensor: Tensor, keepsValue: Bool) {
        if keepsValue || tensor.isParameter {
            self = .tensor(tensor)
        } else if let node = tensor.liveNode {
            self = node.readsResult ? .tensor(tensor) : .node(node, count: tensor.count)
        } else {
            self = .constant
        }
    }

    /// Whether a gradient goes to this input.
    var requiresGrad: Bool {
        switch self {
        case .tensor(let t): t.requiresGrad
        case .node(let n, _): n.backward != nil
        case .constant: false
        }
    }

    /// Its element count (a gradient must have as many); 0 for a constant.
    var count: Int {
        switch self {
        case .tensor(let t): t.count
        case .node(_, let count): count
        case .constant: 0
        }
    }
}

extension Tensor {
    /// The node this tensor's gradient goes through, unless a backward pass has already been through it.
    var liveNode: GradNode? { node.flatMap { $0.backward == nil ? nil : $0 } }

    /// Attaches a backward function to a freshly computed `result` when grad mode is on and an input requires grad.
    /// Returns `result` for chaining. `keepsInputs: false` promises that `backward` reads no input's values (its
    /// closure captures only what it needs, such as shapes), so the inputs are not kept alive for it (`GradInput`);
    /// `readsResult: false`, that it does not read `result` through a pointer taken in the forward, so that consumers
    /// that keep no inputs may let it go.
    @inline(__always)
    static func record(
        _ op: String, _ inputs: [Tensor], _ result: Tensor, keepsInputs: Bool = true, readsResult: Bool = true,
        backward: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        if GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) {
            let node = GradNode(
                op: op, inputs: inputs.map { GradInput($0, keepsValue: keepsInputs) }, readsResult: readsResult,
                backward: backward)
            result.node = node
        }
        return result
    }
}
