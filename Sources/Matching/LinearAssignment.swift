/// Exact maximum-weight one-to-one assignment with forbidden pairs: first the most pairs,
/// then the highest total. Rectangular matrices are fine.
///
/// Dense shortest-path solvers (Jonker–Volgenant, the Hungarian method) touch every pair on every
/// augmenting step. This solver works on a sparse *candidate graph* — each row's best `candidates`
/// columns and each column's best `candidates` rows — then checks the dual prices against the
/// whole matrix. When a pair outside the graph is underpriced, the graph gains those pairs and is
/// solved again, so the result is always exactly optimal; the returned certificate proves it.
///
/// ```swift
/// let scores = ScoreMatrix([[0.9, 0.1], [0.8, nil]])   // nil: a forbidden pair
/// let best = LinearAssignment.solve(scores)
/// best.pairs   // (0, 1, 0.1) and (1, 0, 0.8): two pairs beat one pair of 0.9
/// ```
///
/// - Complexity: O(nm) to choose candidates and to check the certificate, plus the sparse solve
///   (O(n · E log E) worst case for E candidate pairs, far less in practice). Memory: the matrix
///   plus O(E).
public enum LinearAssignment {
    public static let defaultCandidates = 8

    public static func solve(_ scores: ScoreMatrix, candidates: Int = defaultCandidates) -> Assignment {
        let n = scores.rows, m = scores.columns
        guard let range = scores.allowedRange else {
            return Assignment(pairs: [], columnOfRow: Array(repeating: nil, count: n), total: 0,
                              certificate: AssignmentCertificate(offset: 0, rowPrice: Array(repeating: 0, count: n),
                                                                 columnPrice: Array(repeating: 0, count: m)),
                              rounds: 0)
        }
        // w' = w + offset ≥ big > 0, and big exceeds what any change of total can gain.
        let big = (range.max - range.min) * Double(min(n, m) + 1) + 1
        let offset = big - range.min
        if let easy = everyRowGetsItsBest(scores, offset: offset) { return easy }
        var edges = CandidateGraph(scores: scores, perRow: candidates, perColumn: candidates)
        var rounds = 0
        var state: SparseAssignment.State?
        while true {
            let problem = edges.problem(offset: offset)
            var solution: SparseAssignment.Solution
            solution = problem.solve(prices: Auction.prices(for: problem, valueRange: range.max - range.min,
                                                            start: state.map { Array($0.price.prefix(m)) }))
            state = solution.state
            var rowPrice = solution.rowPrice.map { -$0 }
            var columnPrice = solution.columnPrice.map { -$0 }
            // Where the certificate fails, and — so fewer rounds reach the proof — pairs within a hundredth
            // of the score range of failing, in the same pass.
            let margin = (range.max - range.min) / 100
            var (missing, fails) = underpricedPairs(scores, offset: offset, rowPrice: rowPrice, columnPrice: columnPrice,
                                                    perRow: candidates + candidates / 4, margin: margin)
            if !fails { missing = [] }
            // A column left unassigned must have price 0. Starting prices can strand a column that was bid on
            // (the candidate graph had no room for it yet): give it its best rows as candidates.
            let stranded = (0..<m).filter { solution.state.rowOfColumn[$0] < 0 && columnPrice[$0] != 0 }
            missing += bestRows(for: stranded, scores, offset: offset, rowPrice: rowPrice, perColumn: candidates)
            if !stranded.isEmpty && !edges.wouldGrow(missing) {
                // Nothing left to add: a cold solve keeps every free column at price 0.
                solution = problem.solve()
                rowPrice = solution.rowPrice.map { -$0 }
                columnPrice = solution.columnPrice.map { -$0 }
                missing = underpricedPairs(scores, offset: offset, rowPrice: rowPrice, columnPrice: columnPrice, perRow: candidates).pairs
            }
            if missing.isEmpty || !edges.wouldGrow(missing) {
                var pairs: [Assignment.Pair] = []
                var columnOfRow = [Int?](repeating: nil, count: n)
                var total = 0.0
                for i in 0..<n where solution.columnOfRow[i] >= 0 {
                    let j = Int(solution.columnOfRow[i])
                    columnOfRow[i] = j
                    pairs.append(.init(row: i, column: j, score: scores[i, j]))
                    total += Double(scores[i, j])
                }
                return Assignment(pairs: pairs, columnOfRow: columnOfRow, total: total,
                                  certificate: AssignmentCertificate(offset: offset, rowPrice: rowPrice, columnPrice: columnPrice),
                                  rounds: rounds)
            }
            edges.add(missing)
            rounds += 1
        }
    }

    /// When every row can have a column of its own highest score at once (common with many ties),
    /// that assignment is optimal by construction: no row can do better. Prices `rowPrice = that score
    /// + offset` and `columnPrice = 0` certify it. Found by augmenting paths (Kuhn) on each row's
    /// "tight" columns; nil as soon as it cannot work — two rows whose only best column is the same,
    /// which on untied scores shows within a few dozen rows.
    /// - Complexity: O(nm) to find the tight columns, plus the augmenting paths on them.
    static func everyRowGetsItsBest(_ scores: ScoreMatrix, offset: Double) -> Assignment? {
        let n = scores.rows, m = scores.columns
        var tight = [[Int32]](repeating: [], count: n)
        var rowBest = [Float](repeating: -.infinity, count: n)
        var soleOwner = [Int32](repeating: -1, count: m)  // a row whose only tight column this is
        let feasible = scores.values.withUnsafeBufferPointer { values -> Bool in
            for i in 0..<n {
                let base = i * m
                var best = -Float.infinity
                for j in 0..<m where values[base + j] > best { best = values[base + j] }
                rowBest[i] = best
                guard best > -.infinity else { continue }
                var list: [Int32] = []
                for j in 0..<m where values[base + j] == best { list.append(Int32(j)) }
                if list.count == 1 {
                    if soleOwner[Int(list[0])] >= 0 { return false }
                    soleOwner[Int(list[0])] = Int32(i)
                }
                tight[i] = list
            }
            return true
        }
        guard feasible else { return nil }
        var rowOf = [Int32](repeating: -1, count: m)
        var columnOf = [Int32](repeating: -1, count: n)
        var visited = [Int](repeating: -1, count: m)
        // Kuhn's algorithm, iteratively: an augmenting path from each row over tight columns.
        for source in 0..<n where !tight[source].isEmpty {
            var stack: [(row: Int32, next: Int)] = [(Int32(source), 0)]
            var path: [Int32] = []  // the column taken at each level
            var found = false
            while let top = stack.last {
                let i = Int(top.row)
                if top.next == 0, let free = tight[i].first(where: { rowOf[Int($0)] < 0 }) {
                    // Look ahead first: a free best column ends the path here.
                    path.append(free)
                    found = true
                    break
                }
                if top.next >= tight[i].count {
                    stack.removeLast()
                    if !path.isEmpty { path.removeLast() }
                    continue
                }
                let j = Int(tight[i][top.next])
                stack[stack.count - 1].next += 1
                guard visited[j] != source else { continue }
                visited[j] = source
                path.append(Int32(j))
                if rowOf[j] < 0 {
                    found = true
                    break
                }
                stack.append((rowOf[j], 0))
            }
            guard found else { return nil }
            for (level, j) in path.enumerated() {
                let row = stack[level].row
                rowOf[Int(j)] = row
                columnOf[Int(row)] = j
            }
        }
        var pairs: [Assignment.Pair] = []
        var columnOfRow = [Int?](repeating: nil, count: n)
        var rowPrice = [Double](repeating: 0, count: n)
        var total = 0.0
        for i in 0..<n where columnOf[i] >= 0 {
            let j = Int(columnOf[i])
            columnOfRow[i] = j
            rowPrice[i] = Double(rowBest[i]) + offset
            pairs.append(.init(row: i, column: j, score: rowBest[i]))
            total += Double(rowBest[i])
        }
        return Assignment(pairs: pairs, columnOfRow: columnOfRow, total: total,
                          certificate: AssignmentCertificate(offset: offset, rowPrice: rowPrice,
                                                             columnPrice: [Double](repeating: 0, count: m)),
                          rounds: 0)
    }

    /// For each column, the rows that would gain most from it at the current prices.
    static func bestRows(for columns: [Int], _ scores: ScoreMatrix, offset: Double, rowPrice: [Double], perColumn: Int) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        for j in columns {
            var gains: [(Double, Int)] = []
            for i in 0..<scores.rows where scores.isAllowed(i, j) {
                gains.append((Double(scores[i, j]) + offset - rowPrice[i], i))
            }
            gains.sort { $0.0 > $1.0 }
            pairs += gains.prefix(perColumn).map { ($0.1, j) }
        }
        return pairs
    }

    /// Allowed pairs whose prices fall short of their adjusted score — where the certificate fails —
    /// at most `perRow` per row, the most underpriced first: adding every one would make the graph dense,
    /// while the worst few per row are what the optimum is likely to use. With `margin` > 0 it also
    /// returns pairs that are *nearly* underpriced, which the next round's prices would likely undercut.
    ///
    /// A vectorised `Float` pass finds each row's best `score − columnPrice`; only rows that come within
    /// a rounding allowance of their threshold are scanned exactly in `Double`.
    /// `fails` tells whether any pair is underpriced without the margin.
    static func underpricedPairs(_ scores: ScoreMatrix, offset: Double, rowPrice: [Double], columnPrice: [Double],
                                 perRow: Int = .max, margin: Double = 0) -> (pairs: [(Int, Int)], fails: Bool) {
        var missing: [(Int, Int)] = []
        var fails = false
        let tolerance = 1e-9 * max(1, offset)
        let m = scores.columns
        let vectorWidth = 8
        let floatPrice = columnPrice.map { Float($0) }
        // Float rounding of w − v, relative to the magnitudes involved.
        let maxPrice = columnPrice.reduce(0) { max($0, abs($1)) }
        var worst: [(Double, Int32)] = []
        scores.values.withUnsafeBufferPointer { values in
            columnPrice.withUnsafeBufferPointer { v in
                floatPrice.withUnsafeBufferPointer { vf in
                    let base0 = UnsafeRawPointer(values.baseAddress!)
                    let prices = UnsafeRawPointer(vf.baseAddress!)
                    for i in 0..<scores.rows {
                        // w + offset > u + v − margin + tol  ⇔  w − v > u − offset − margin + tol
                        let threshold = rowPrice[i] - offset - margin + tolerance
                        let base = i * m
                        var top = SIMD8<Float>(repeating: -.infinity)
                        var j = 0
                        while j + vectorWidth <= m {
                            let w = base0.loadUnaligned(fromByteOffset: (base + j) * 4, as: SIMD8<Float>.self)
                            let p = prices.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                            let d = w - p
                            top.replace(with: d, where: top .< d)
                            j += vectorWidth
                        }
                        var best = top.max()
                        while j < m {
                            best = max(best, values[base + j] - vf[j])
                            j += 1
                        }
                        let allowance = 1e-5 * (abs(threshold) + maxPrice + 1)
                        guard Double(best) > threshold - allowance else { continue }
                        worst.removeAll(keepingCapacity: true)
                        var floor = threshold
                        for j in 0..<m {
                            let excess = Double(values[base + j]) - v[j]
                            if excess > floor {
                                worst.append((excess, Int32(j)))
                                if worst.count >= 4 * min(perRow, m) {
                                    worst.sort { $0.0 > $1.0 }
                                    worst.removeLast(worst.count - perRow)
                                    floor = worst[perRow - 1].0
                                }
                            }
                        }
                        if worst.count > perRow {
                            worst.sort { $0.0 > $1.0 }
                            worst.removeLast(worst.count - perRow)
                        }
                        for (excess, j) in worst {
                            missing.append((i, Int(j)))
                            if excess > threshold + margin { fails = true }
                        }
                    }
                }
            }
        }
        return (missing, fails)
    }

}

/// The sparse set of pairs a solve considers.
struct CandidateGraph {
    let scores: ScoreMatrix
    /// For each row, its candidate columns.
    var columnsOfRow: [[Int32]]

    init(scores: ScoreMatrix, perRow: Int, perColumn: Int) {
        self.scores = scores
        let n = scores.rows, m = scores.columns
        var sets = [[Int32]](repeating: [], count: n)
        scores.values.withUnsafeBufferPointer { values in
            // Each row's best columns.
            var buffer: [(Float, Int32)] = []
            for i in 0..<n {
                buffer.removeAll(keepingCapacity: true)
                let base = i * m
                var threshold = -Float.infinity
                for j in 0..<m {
                    let w = values[base + j]
                    if w > threshold || (buffer.count < perRow && w > -Float.infinity) {
                        buffer.append((w, Int32(j)))
                        if buffer.count >= 4 * perRow {
                            buffer.sort { $0.0 > $1.0 }
                            buffer.removeLast(buffer.count - perRow)
                            threshold = buffer[perRow - 1].0
                        }
                    }
                }
                buffer.sort { $0.0 > $1.0 }
                sets[i] = buffer.prefix(perRow).map(\.1)
            }
            // Each column's best rows, in flat arrays (k slots per column) with the weakest slot remembered.
            let k = perColumn
            var slotValue = [Float](repeating: -Float.infinity, count: m * k)
            var slotRow = [Int32](repeating: -1, count: m * k)
            var weakest = [Int](repeating: 0, count: m)   // slot index of the weakest kept row
            var floor = [Float](repeating: -Float.infinity, count: m)
            for i in 0..<n {
                let base = i * m
                for j in 0..<m {
                    let w = values[base + j]
                    // The usual case costs one comparison: w is below the column's weakest kept row.
                    guard w > floor[j] else { continue }
                    let slots = j * k
                    slotValue[slots + weakest[j]] = w
                    slotRow[slots + weakest[j]] = Int32(i)
                    var low = 0
                    for s in 1..<k where slotValue[slots + s] < slotValue[slots + low] { low = s }
                    weakest[j] = low
                    floor[j] = slotValue[slots + low]
                }
            }
            for j in 0..<m {
                for s in 0..<k where slotRow[j * k + s] >= 0 { sets[Int(slotRow[j * k + s])].append(Int32(j)) }
            }
            // A greedy matching (each row its best column still free): with it the graph always holds a
            // matching as large as the greedy one, so rows that all prefer the same popular columns do not
            // start a price war over them.
            var taken = [Bool](repeating: false, count: m)
            for i in 0..<n {
                let base = i * m
                var bestValue = -Float.infinity, bestColumn = -1
                for j in 0..<m where values[base + j] > bestValue && !taken[j] {
                    bestValue = values[base + j]
                    bestColumn = j
                }
                if bestColumn >= 0 {
                    taken[bestColumn] = true
                    sets[i].append(Int32(bestColumn))
                }
            }
        }
        columnsOfRow = sets.map { Self.sortedUnique($0) }
    }

    /// Whether adding `pairs` would add any pair not in the graph yet.
    func wouldGrow(_ pairs: [(Int, Int)]) -> Bool {
        pairs.contains { i, j in columnsOfRow[i].binarySearchContains(Int32(j)) == false }
    }

    static func sortedUnique(_ list: [Int32]) -> [Int32] {
        var sorted = list.sorted()
        var kept = 0
        for value in sorted where kept == 0 || sorted[kept - 1] != value {
            sorted[kept] = value
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }

    mutating func add(_ pairs: [(Int, Int)]) {
        var grouped: [Int: [Int32]] = [:]
        for (i, j) in pairs { grouped[i, default: []].append(Int32(j)) }
        for (i, extra) in grouped {
            columnsOfRow[i] = Self.sortedUnique(columnsOfRow[i] + extra)
        }
    }

    /// The min-cost form: cost = -(w + offset), and a fallback of cost 0 for rows left unassigned.
    func problem(offset: Double) -> SparseAssignment {
        var start = [Int](repeating: 0, count: scores.rows + 1)
        var column: [Int32] = []
        var cost: [Double] = []
        column.reserveCapacity(columnsOfRow.reduce(0) { $0 + $1.count })
        cost.reserveCapacity(column.capacity)
        for i in 0..<scores.rows {
            for j in columnsOfRow[i] {
                column.append(j)
                cost.append(-(Double(scores[i, Int(j)]) + offset))
            }
            start[i + 1] = column.count
        }
        return SparseAssignment(rows: scores.rows, columns: scores.columns, start: start, column: column, cost: cost, fallbackCost: 0)
    }
}

extension Array where Element == Int32 {
    /// Whether a sorted array holds `value`.
    func binarySearchContains(_ value: Int32) -> Bool {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == value
    }
}
