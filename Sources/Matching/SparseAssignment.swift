/// Minimum-cost assignment on a sparse bipartite graph in which every row must be assigned,
/// either to one of its columns or to a private fallback (its "dummy" column) of cost `fallbackCost`.
/// Columns take at most one row.
///
/// Successive shortest augmenting paths (Jonker–Volgenant's augmentation, with a heap because the
/// graph is sparse). All column prices start equal and only fall, so unassigned columns keep the
/// highest price: the prices returned are an optimality certificate for the rectangular problem.
///
/// - Complexity: O(n · E log E) in the worst case for n rows and E edges; in practice each
///   augmenting path is short.
struct SparseAssignment {
    /// Row `r`'s edges are `column[start[r]..<start[r+1]]` with the matching `cost`.
    let rows: Int
    let columns: Int
    let start: [Int]
    let column: [Int32]
    let cost: [Double]
    let fallbackCost: Double

    struct Solution {
        /// The column of each row, or -1 when the row took its fallback.
        var columnOfRow: [Int32]
        /// Row prices u and column prices v with cost - u - v ≥ 0 on every edge (and on the
        /// fallbacks), equality on the assignment, v ≤ 0, and v = 0 on unassigned columns.
        var rowPrice: [Double]
        var columnPrice: [Double]
    }

    func solve() -> Solution {
        let fallback0 = Int32(columns)  // column ids ≥ columns are fallbacks: columns + row
        let total = columns + rows
        var price = [Double](repeating: 0, count: total)
        var rowOfColumn = [Int32](repeating: -1, count: total)
        var columnOfRow = [Int32](repeating: -1, count: rows)
        var assignedCost = [Double](repeating: 0, count: rows)
        var distance = [Double](repeating: .infinity, count: total)
        var predecessor = [Int32](repeating: -1, count: total)
        var done = [Bool](repeating: false, count: total)
        var touched: [Int32] = []
        var scanned: [Int32] = []
        var heap = MinHeap()

        for source in 0..<rows {
            touched.removeAll(keepingCapacity: true)
            scanned.removeAll(keepingCapacity: true)
            heap.removeAll()

            @inline(__always) func relax(_ j: Int32, _ value: Double, from row: Int) {
                let jj = Int(j)
                if value < distance[jj] {
                    if distance[jj] == .infinity { touched.append(j) }
                    distance[jj] = value
                    predecessor[jj] = Int32(row)
                    heap.push(value, j)
                }
            }

            for e in start[source]..<start[source + 1] {
                relax(column[e], cost[e] - price[Int(column[e])], from: source)
            }
            relax(fallback0 + Int32(source), fallbackCost - price[columns + source], from: source)

            var sink: Int32 = -1
            var mu = 0.0
            while !heap.isEmpty {
                let (d, j) = heap.pop()
                let jj = Int(j)
                if done[jj] || d > distance[jj] { continue }
                done[jj] = true
                scanned.append(j)
                let owner = rowOfColumn[jj]
                if owner < 0 {
                    sink = j
                    mu = d
                    break
                }
                let i = Int(owner)
                let h = assignedCost[i] - price[jj]  // the row's current price
                for e in start[i]..<start[i + 1] {
                    let k = column[e]
                    if !done[Int(k)] { relax(k, d + (cost[e] - price[Int(k)] - h), from: i) }
                }
                let own = fallback0 + Int32(i)
                if !done[Int(own)] { relax(own, d + (fallbackCost - price[Int(own)] - h), from: i) }
            }
            precondition(sink >= 0, "every row reaches at least its own fallback")

            for j in scanned {
                let jj = Int(j)
                price[jj] += distance[jj] - mu
            }
            // Augment along the predecessors back to the source.
            var j = sink
            while true {
                let i = Int(predecessor[Int(j)])
                let previous = columnOfRow[i]
                columnOfRow[i] = j
                rowOfColumn[Int(j)] = Int32(i)
                assignedCost[i] = j >= fallback0 ? fallbackCost : edgeCost(row: i, column: j)
                if i == source { break }
                j = previous
            }
            for j in touched {
                distance[Int(j)] = .infinity
                done[Int(j)] = false
            }
        }

        var rowPrice = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            rowPrice[i] = assignedCost[i] - price[Int(columnOfRow[i])]
            if columnOfRow[i] >= fallback0 { columnOfRow[i] = -1 }
        }
        // Fallback columns are private to their row; only the real columns' prices are part of the answer.
        // An unused fallback has price ≤ 0, so cost - u ≥ v_fallback means u ≤ fallbackCost - v ≥ ... ; the
        // certificate needs u_i ≤ fallbackCost for assigned rows, which holds because the fallback edge
        // keeps a non-negative reduced cost.
        return Solution(columnOfRow: columnOfRow, rowPrice: rowPrice, columnPrice: Array(price[0..<columns]))
    }

    private func edgeCost(row: Int, column j: Int32) -> Double {
        for e in start[row]..<start[row + 1] where column[e] == j { return cost[e] }
        preconditionFailure("column \(j) is not an edge of row \(row)")
    }
}
