/// Finds preference cycles (A > B, B > C, C > A; any length) in a directed graph of preferences.
///
/// An edge lies on a directed cycle exactly when both its ends are in the same strongly connected component, so the
/// detector computes the components (Tarjan's algorithm, iterative so no input can overflow the stack) in O(V + E).
public enum CycleDetector {
    /// The strongly connected components with two or more nodes, each sorted, in order of their smallest node.
    /// Every edge between two nodes of one such component lies on a cycle.
    public static func cyclicComponents(nodeCount: Int, edges: [(from: Int, to: Int)]) -> [[Int]] {
        let component = componentIndex(nodeCount: nodeCount, edges: edges)
        var members: [Int: [Int]] = [:]
        for node in 0..<nodeCount { members[component[node], default: []].append(node) }
        return members.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    /// For each edge, whether it lies on a directed cycle.
    public static func edgesOnCycles(nodeCount: Int, edges: [(from: Int, to: Int)]) -> [Bool] {
        let component = componentIndex(nodeCount: nodeCount, edges: edges)
        return edges.map { $0.from != $0.to && component[$0.from] == component[$0.to] }
    }

    /// The strongly connected component of each node, numbered from 0.
    static func componentIndex(nodeCount: Int, edges: [(from: Int, to: Int)]) -> [Int] {
        // Adjacency in compressed rows: the targets of node v are targets[start[v]..<start[v + 1]].
        var start = [Int](repeating: 0, count: nodeCount + 1)
        for edge in edges {
            precondition(
                edge.from >= 0 && edge.from < nodeCount && edge.to >= 0 && edge.to < nodeCount,
                "edge (\(edge.from), \(edge.to)) outside 0..<\(nodeCount)")
            start[edge.from + 1] += 1
        }
        for node in 0..<nodeCount { start[node + 1] += start[node] }
        var targets = [Int](repeating: 0, count: edges.count)
        var fill = start
        for edge in edges {
            targets[fill[edge.from]] = edge.to
            fill[edge.from] += 1
        }

        var order = [Int](repeating: -1, count: nodeCount)  // discovery order, -1 if unvisited
        var lowLink = [Int](repeating: 0, count: nodeCount)
        var onStack = [Bool](repeating: false, count: nodeCount)
        var component = [Int](repeating: -1, count: nodeCount)
        var stack: [Int] = []
        var calls: [(node: Int, nextEdge: Int)] = []
        var counter = 0
        var components = 0

        for root in 0..<nodeCount where order[root] == -1 {
            order[root] = counter
            lowLink[root] = counter
            counter += 1
            stack.append(root)
            onStack[root] = true
            calls.append((root, start[root]))
            while let (node, nextEdge) = calls.last {
                if nextEdge < start[node + 1] {
                    calls[calls.count - 1].nextEdge += 1
                    let target = targets[nextEdge]
                    if order[target] == -1 {
                        order[target] = counter
                        lowLink[target] = counter
                        counter += 1
                        stack.append(target)
                        onStack[target] = true
                        calls.append((target, start[target]))
                    } else if onStack[target] {
                        lowLink[node] = min(lowLink[node], order[target])
                    }
                    continue
                }
                calls.removeLast()
                if lowLink[node] == order[node] {
                    while true {
                        let member = stack.removeLast()
                        onStack[member] = false
                        component[member] = components
                        if member == node { break }
                    }
                    components += 1
                }
                if let parent = calls.last?.node {
                    lowLink[parent] = min(lowLink[parent], lowLink[node])
                }
            }
        }
        return component
    }
}
