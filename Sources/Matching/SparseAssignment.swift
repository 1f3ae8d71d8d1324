/// Minimum-cost assignment on a sparse bipartite graph in which every row must be assigned,
/// either to one of its columns or to a private fallback (its "dummy" column) of cost `fallbackCost`.
/// Columns take at most one row.
///
/// Jonker–Volgenant on a sparse graph: augmenting row reduction (an auction-like phase that settles
/// most rows cheaply) and then shortest augmenting paths (Dijkstra with a heap). Throughout, every
/// assigned row holds a column of least reduced cost and column prices only fall; fallback prices
/// never move. So unassigned real columns keep the highest price (0) and the final prices certify
/// the rectangular problem.
///
/// - Complexity: O(n · E log E) in the worst case for n rows and E edges; in practice most rows are
///   settled by the row reduction and the remaining augmenting paths are short.
struct SparseAssignment {
    /// Row `r`'s edges are `column[start[r]..<start[r+1]]` with the matching `cost`.
    let rows: Int
    let columns: Int
    let start: [Int]
    let column: [Int32]
    let cost: [Double]
    let fallbackCost: Double

    /// Prices and the assignment.
    struct State {
        /// Column prices, real columns first, then one fallback per row.
        var price: [Double]
        /// Each row's column (≥ `columns` is its fallback), -1 while unassigned.
        var columnOfRow: [Int32]
        var rowOfColumn: [Int32]
        var assignedCost: [Double]

        init(rows: Int, columns: Int) {
            price = [Double](repeating: 0, count: columns + rows)
            columnOfRow = [Int32](repeating: -1, count: rows)
            rowOfColumn = [Int32](repeating: -1, count: columns + rows)
            assignedCost = [Double](repeating: 0, count: rows)
        }
    }

    struct Solution {
        /// The column of each row, or -1 when the row took its fallback.
        var columnOfRow: [Int32]
        /// Row prices u and column prices v: cost − u − v ≥ 0 on every edge and fallback, equality on
        /// the assignment, v ≤ 0, v = 0 on unassigned columns.
        var rowPrice: [Double]
        var columnPrice: [Double]
        var state: State
    }

    /// - Parameter prices: starting column prices (min form, ≤ 0), e.g. from `Auction`; all rows start free.
    func solve(prices: [Double]? = nil) -> Solution {
        var state = State(rows: rows, columns: columns)
        if let prices {
            for j in 0..<columns { state.price[j] = prices[j] }
        }
        var free = (0..<Int32(rows)).map { $0 }
        reduceRows(&free, &state)
        reduceRows(&free, &state)
        augment(free, &state)

        var rowPrice = [Double](repeating: 0, count: rows)
        var columnOfRow = state.columnOfRow
        for i in 0..<rows {
            rowPrice[i] = state.assignedCost[i] - state.price[Int(columnOfRow[i])]
            if columnOfRow[i] >= Int32(columns) { columnOfRow[i] = -1 }
        }
        return Solution(columnOfRow: columnOfRow, rowPrice: rowPrice, columnPrice: Array(state.price[0..<columns]), state: state)
    }

    /// The least and second-least reduced cost of a row (fallback included) and where they are.
    @inline(__always)
    private func best(_ i: Int, _ state: State) -> (value: Double, column: Int32, cost: Double, second: Double, secondColumn: Int32, secondCost: Double) {
        var u1 = fallbackCost - state.price[columns + i], j1 = Int32(columns + i), c1 = fallbackCost
        var u2 = Double.infinity, j2: Int32 = -1, c2 = 0.0
        for e in start[i]..<start[i + 1] {
            let j = column[e]
            let h = cost[e] - state.price[Int(j)]
            if h < u2 {
                if h >= u1 {
                    (u2, j2, c2) = (h, j, cost[e])
                } else {
                    (u2, j2, c2) = (u1, j1, c1)
                    (u1, j1, c1) = (h, j, cost[e])
                }
            }
        }
        return (u1, j1, c1, u2, j2, c2)
    }

    /// Augmenting row reduction (Jonker & Volgenant 1987): each free row takes its best column and
    /// lowers that column's price to its second-best value; whoever held the column is freed.
    /// Rows it cannot settle stay in `free` for the augmenting paths.
    private func reduceRows(_ free: inout [Int32], _ state: inout State) {
        var list = free
        free.removeAll(keepingCapacity: true)
        var k = 0
        var budget = 200 * list.count + 1024  // price wars on near-ties can be long; paths finish the job
        while k < list.count {
            let i = Int(list[k])
            k += 1
            budget -= 1
            if budget < 0 {
                free.append(Int32(i))
                continue
            }
            var (u1, j1, c1, u2, j2, c2) = best(i, state)
            var previous = state.rowOfColumn[Int(j1)]
            let isFallback = j1 >= Int32(columns)
            if u1 < u2 {
                if !isFallback { state.price[Int(j1)] -= u2 - u1 }
            } else if previous >= 0 {
                (j1, c1) = (j2, c2)
                previous = state.rowOfColumn[Int(j1)]
            }
            if previous >= 0 { state.columnOfRow[Int(previous)] = -1 }
            state.columnOfRow[i] = j1
            state.rowOfColumn[Int(j1)] = Int32(i)
            state.assignedCost[i] = c1
            if previous >= 0 {
                if u1 < u2 {
                    k -= 1
                    list[k] = previous  // the freed row goes next
                } else {
                    free.append(previous)
                }
            }
        }
    }

    /// Shortest augmenting paths from each free row.
    private func augment(_ free: [Int32], _ state: inout State) {
        let fallback0 = Int32(columns)
        let total = columns + rows
        var distance = [Double](repeating: .infinity, count: total)
        var predecessor = [Int32](repeating: -1, count: total)
        var viaCost = [Double](repeating: 0, count: total)
        var done = [Bool](repeating: false, count: total)
        var touched: [Int32] = []
        var scanned: [Int32] = []
        var heap = MinHeap()

        for source32 in free {
            let source = Int(source32)
            touched.removeAll(keepingCapacity: true)
            scanned.removeAll(keepingCapacity: true)
            heap.removeAll()

            @inline(__always) func relax(_ j: Int32, _ value: Double, from row: Int, cost c: Double) {
                let jj = Int(j)
                if value < distance[jj] {
                    if distance[jj] == .infinity { touched.append(j) }
                    distance[jj] = value
                    predecessor[jj] = Int32(row)
                    viaCost[jj] = c
                    heap.push(value, j)
                }
            }

            for e in start[source]..<start[source + 1] {
                relax(column[e], cost[e] - state.price[Int(column[e])], from: source, cost: cost[e])
            }
            relax(fallback0 + source32, fallbackCost - state.price[columns + source], from: source, cost: fallbackCost)

            var sink: Int32 = -1
            var mu = 0.0
            while !heap.isEmpty {
                let (d, j) = heap.pop()
                let jj = Int(j)
                if done[jj] || d > distance[jj] { continue }
                done[jj] = true
                scanned.append(j)
                let owner = state.rowOfColumn[jj]
                if owner < 0 {
                    sink = j
                    mu = d
                    break
                }
                let i = Int(owner)
                let h = state.assignedCost[i] - state.price[jj]  // the row's current price
                for e in start[i]..<start[i + 1] {
                    let k = column[e]
                    if !done[Int(k)] { relax(k, d + (cost[e] - state.price[Int(k)] - h), from: i, cost: cost[e]) }
                }
                let own = fallback0 + Int32(i)
                if !done[Int(own)] { relax(own, d + (fallbackCost - state.price[Int(own)] - h), from: i, cost: fallbackCost) }
            }
            precondition(sink >= 0, "every row reaches at least its own fallback")

            for j in scanned {
                let jj = Int(j)
                state.price[jj] += distance[jj] - mu
            }
            var j = sink
            while true {
                let i = Int(predecessor[Int(j)])
                let previous = state.columnOfRow[i]
                state.columnOfRow[i] = j
                state.rowOfColumn[Int(j)] = Int32(i)
                state.assignedCost[i] = viaCost[Int(j)]
                if i == source { break }
                j = previous
            }
            for j in touched {
                distance[Int(j)] = .infinity
                done[Int(j)] = false
            }
        }
    }
}
