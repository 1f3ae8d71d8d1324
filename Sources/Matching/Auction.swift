/// Forward auction with ε-scaling (Bertsekas) on the sparse candidate graph, used only to find good
/// starting prices for the exact solver: near-equilibrium prices turn the shortest-path phase from
/// long price wars into a few short paths. Its assignment is discarded; optimality comes from
/// `SparseAssignment` and the full-matrix certificate.
///
/// Max form: value of row i on column j is `−cost` (≥ the offset), a row's fallback is worth
/// `−fallbackCost` and never changes price.
///
/// - Complexity: O(E · log(range·n/ε)) bids in practice; bounded by `budget`.
enum Auction {
    /// Column prices in min form (`v = −p`), ready for `SparseAssignment.State`.
    /// - Parameter start: earlier prices (min form) to continue from with a small ε, e.g. the last round's.
    static func prices(for problem: SparseAssignment, valueRange: Double, start: [Double]? = nil) -> [Double] {
        let n = problem.rows, m = problem.columns
        var price = start.map { $0.map { -$0 } } ?? [Double](repeating: 0, count: m)
        var owner = [Int32](repeating: -1, count: m)
        var assigned = [Int32](repeating: -1, count: n)  // -2: on its fallback
        let fallbackValue = -problem.fallbackCost
        let finalEpsilon = max(valueRange, 1e-9) / Double(8 * max(n, 1))
        var epsilon = start == nil ? max(valueRange, 1e-9) / 8 : finalEpsilon * 36
        var budget = 16 * problem.column.count + 64 * n
        var queue: [Int32] = []
        while budget > 0 {
            for j in 0..<m { owner[j] = -1 }
            for i in 0..<n { assigned[i] = -1 }
            queue.removeAll(keepingCapacity: true)
            for i in (0..<n).reversed() { queue.append(Int32(i)) }
            while let i32 = queue.popLast(), budget > 0 {
                budget -= 1
                let i = Int(i32)
                var best = fallbackValue, second = -Double.infinity, target: Int32 = -1
                for e in problem.start[i]..<problem.start[i + 1] {
                    let j = problem.column[e]
                    let value = -problem.cost[e] - price[Int(j)]
                    if value > best {
                        second = best
                        best = value
                        target = j
                    } else if value > second {
                        second = value
                    }
                }
                guard target >= 0 else {
                    assigned[i] = -2  // the fallback is best and uncontested
                    continue
                }
                if second == -.infinity { second = fallbackValue }
                let t = Int(target)
                price[t] += best - second + epsilon
                let previous = owner[t]
                owner[t] = i32
                assigned[i] = target
                if previous >= 0 {
                    assigned[Int(previous)] = -1
                    queue.append(previous)
                }
            }
            if epsilon <= finalEpsilon { break }
            epsilon = max(finalEpsilon, epsilon / 6)
        }
        return price.map { -$0 }
    }
}
