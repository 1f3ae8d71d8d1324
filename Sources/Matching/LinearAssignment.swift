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
        let offset = adjustment(range, pairs: min(n, m))
        if let easy = everyRowGetsItsBest(scores, offset: offset) { return easy }
        let solved = solve(scores, seats: nil, range: range, offset: offset, candidates: candidates)
        return Assignment(pairs: solved.pairs, columnOfRow: solved.columnOfRow, total: solved.total,
                          certificate: AssignmentCertificate(offset: offset, rowPrice: solved.rowPrice, columnPrice: solved.seatPrice),
                          rounds: solved.rounds)
    }

    /// The offset that makes w' = w + offset ≥ big > 0, where big exceeds what any change of total can gain,
    /// so one more pair always wins.
    static func adjustment(_ range: (min: Double, max: Double), pairs: Int) -> Double {
        let big = (range.max - range.min) * Double(pairs + 1) + 1
        return big - range.min
    }

    /// Mentor *seats*: column `j` of the matrix stands for `capacity[j]` identical columns (seats), so a
    /// one-to-one assignment onto seats lets a mentor take several mentees — without copying the matrix.
    /// The candidate graph and the certificate check stay on the matrix's columns; only the sparse
    /// problem expands each candidate column into its seats.
    struct Seats {
        /// The matrix column of each seat; a column's seats are consecutive.
        let owner: [Int32]
        /// Column `j`'s seats are `first[j]..<first[j + 1]`.
        let first: [Int]

        init(capacity: [Int]) {
            var first = [0]
            var owner: [Int32] = []
            for (j, c) in capacity.enumerated() {
                owner += Array(repeating: Int32(j), count: max(0, c))
                first.append(owner.count)
            }
            self.owner = owner
            self.first = first
        }

        var count: Int { owner.count }
        func capacity(_ j: Int) -> Int { first[j + 1] - first[j] }

        /// Each column's lowest seat price: a pair (i, j) is priced fairly only if it is against every seat of j.
        /// A column without seats can take nobody, so its price is +∞ (no pair to it is ever underpriced).
        func cheapest(_ seatPrice: [Double]) -> [Double] {
            (0..<(first.count - 1)).map { j in
                first[j] == first[j + 1] ? .infinity : seatPrice[first[j]..<first[j + 1]].min()!
            }
        }
    }

    struct SeatedSolution {
        var pairs: [Assignment.Pair]
        var columnOfRow: [Int?]
        var total: Double
        var rowPrice: [Double]
        /// Max-form prices of the sparse problem's columns: the seats, or the matrix columns without seats.
        var seatPrice: [Double]
        var rounds: Int
    }

    /// The candidate-graph solve with its certificate loop; `seats` nil means one seat per column.
    static func solve(_ scores: ScoreMatrix, seats: Seats?, range: (min: Double, max: Double), offset: Double,
                      candidates: Int) -> SeatedSolution {
        let n = scores.rows
        let width = seats?.count ?? scores.columns
        let capacity = seats.map { s in (0..<scores.columns).map { s.capacity($0) } }
        var edges = CandidateGraph(scores: scores, perRow: candidates, perColumn: candidates, capacity: capacity)
        var rounds = 0
        var state: SparseAssignment.State?
        while true {
            let problem = edges.problem(offset: offset, seats: seats)
            var solution: SparseAssignment.Solution
            solution = problem.solve(prices: Auction.prices(for: problem, valueRange: range.max - range.min,
                                                            start: state.map { Array($0.price.prefix(width)) }))
            state = solution.state
            var rowPrice = solution.rowPrice.map { -$0 }
            var seatPrice = solution.columnPrice.map { -$0 }
            var columnPrice = seats?.cheapest(seatPrice) ?? seatPrice
            // Where the certificate fails, and — so fewer rounds reach the proof — pairs within a hundredth
            // of the score range of failing, in the same pass.
            let margin = (range.max - range.min) / 100
            var (missing, fails) = underpricedPairs(scores, offset: offset, rowPrice: rowPrice, columnPrice: columnPrice,
                                                    perRow: candidates + candidates / 4, margin: margin)
            if !fails { missing = [] }
            // A column (seat) left unassigned must have price 0. Starting prices can strand one that was bid on
            // (the candidate graph had no room for it yet): give its column its best rows as candidates.
            var stranded = (0..<width).filter { solution.state.rowOfColumn[$0] < 0 && seatPrice[$0] != 0 }
            if let seats { stranded = CandidateGraph.sortedUnique(stranded.map { seats.owner[$0] }).map(Int.init) }
            missing += bestRows(for: stranded, scores, offset: offset, rowPrice: rowPrice, perColumn: candidates)
            if !stranded.isEmpty && !edges.wouldGrow(missing) {
                // Nothing left to add: a cold solve keeps every free column at price 0.
                solution = problem.solve()
                rowPrice = solution.rowPrice.map { -$0 }
                seatPrice = solution.columnPrice.map { -$0 }
                columnPrice = seats?.cheapest(seatPrice) ?? seatPrice
                missing = underpricedPairs(scores, offset: offset, rowPrice: rowPrice, columnPrice: columnPrice, perRow: candidates).pairs
            }
            if missing.isEmpty || !edges.wouldGrow(missing) {
                var pairs: [Assignment.Pair] = []
                var columnOfRow = [Int?](repeating: nil, count: n)
                var total = 0.0
                for i in 0..<n where solution.columnOfRow[i] >= 0 {
                    let seat = Int(solution.columnOfRow[i])
                    let j = seats.map { Int($0.owner[seat]) } ?? seat
                    columnOfRow[i] = j
                    pairs.append(.init(row: i, column: j, score: scores[i, j]))
                    total += Double(scores[i, j])
                }
                return SeatedSolution(pairs: pairs, columnOfRow: columnOfRow, total: total, rowPrice: rowPrice,
                                      seatPrice: seatPrice, rounds: rounds)
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
                        var top = SIMD4<Float>(repeating: -.infinity), top2 = top
                        var j = 0
                        while j + vectorWidth <= m {
                            let w = base0.loadUnaligned(fromByteOffset: (base + j) * 4, as: SIMD4<Float>.self)
                            let p = prices.loadUnaligned(fromByteOffset: j * 4, as: SIMD4<Float>.self)
                            let d = w - p
                            top.replace(with: d, where: top .< d)
                            let w2 = base0.loadUnaligned(fromByteOffset: (base + j + 4) * 4, as: SIMD4<Float>.self)
                            let p2 = prices.loadUnaligned(fromByteOffset: (j + 4) * 4, as: SIMD4<Float>.self)
                            let d2 = w2 - p2
                            top2.replace(with: d2, where: top2 .< d2)
                            j += vectorWidth
                        }
                        var best = max(top.max(), top2.max())
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

    /// - Parameter capacity: seats per column (nil: one each); a column keeps `perColumn` best rows per seat
    ///   (up to four seats' worth), and the greedy seed fills every seat.
    init(scores: ScoreMatrix, perRow: Int, perColumn: Int, capacity: [Int]? = nil) {
        self.scores = scores
        let n = scores.rows, m = scores.columns
        var sets = [[Int32]](repeating: [], count: n)
        // Two vectorised passes over the matrix, branch-free in the common case, since choosing candidates is
        // most of a small solve's time. SIMD4 is one SSE register: the default x86-64 target compiles its
        // comparisons and blends to single instructions, while SIMD8 masks there go lane by lane (2× slower).
        // The first pass keeps, four scores at a time, each lane's top four scores of
        // a row (so the row's top `perRow` ≥ the `perRow`-th best of those 16: a threshold that few scores pass),
        // the maximum of each column within `k` groups of rows (so its top `k` ≥ the least of those maxima), and
        // a greedy matching. Each row's scores above its threshold are collected while the row is in cache;
        // the second pass collects each column's scores above its threshold. Only those few are sorted.
        let k = max(1, perColumn * min(4, capacity?.max() ?? 1))
        let laneSlots = 4
        var groupMax = [Float](repeating: -Float.infinity, count: m * k)
        // The greedy matching: each row takes its best column with a seat left. With it the graph always holds
        // a matching as large as the greedy one, so rows that all prefer the same popular columns do not start
        // a price war over them. A full column gets −∞ added to its scores.
        var seatsLeft = capacity ?? [Int](repeating: 1, count: m)
        var closed = [Float](repeating: 0, count: m)
        for j in 0..<m where seatsLeft[j] <= 0 { closed[j] = -.infinity }
        let lanes = SIMD4<Int32>(0, 1, 2, 3)
        let chunks = m / 4 * 4
        var found: [(Float, Int32)] = []
        scores.values.withUnsafeBufferPointer { values in
        groupMax.withUnsafeMutableBufferPointer { groupMax in
        closed.withUnsafeMutableBufferPointer { closed in
            guard let matrix = UnsafeRawPointer(values.baseAddress), let groups = UnsafeMutableRawPointer(groupMax.baseAddress),
                  let penalty = UnsafeRawPointer(closed.baseAddress) else { return }
            for i in 0..<n {
                let base = i * m
                let group = (i % k) * m
                var top1 = SIMD4<Float>(repeating: -.infinity), top2 = top1, top3 = top1, top4 = top1
                var greedyValue = SIMD4<Float>(repeating: -.infinity), greedyColumn = SIMD4<Int32>(repeating: -1)
                var j = 0
                while j < chunks {
                    let w = matrix.loadUnaligned(fromByteOffset: (base + j) * 4, as: SIMD4<Float>.self)
                    // (stdlib's pointwiseMin/Max go lane by lane; comparisons and blends vectorise)
                    top4.replace(with: top3.replacing(with: w, where: w .< top3), where: w .> top4)
                    top3.replace(with: top2.replacing(with: w, where: w .< top2), where: w .> top3)
                    top2.replace(with: top1.replacing(with: w, where: w .< top1), where: w .> top2)
                    top1.replace(with: w, where: w .> top1)
                    var g = groups.loadUnaligned(fromByteOffset: (group + j) * 4, as: SIMD4<Float>.self)
                    g.replace(with: w, where: w .> g)
                    groups.storeBytes(of: g, toByteOffset: (group + j) * 4, as: SIMD4<Float>.self)
                    let value = w + penalty.loadUnaligned(fromByteOffset: j * 4, as: SIMD4<Float>.self)
                    let better = value .> greedyValue
                    greedyValue.replace(with: value, where: better)
                    greedyColumn.replace(with: lanes &+ Int32(j), where: better)
                    j += 4
                }
                // The greedy choice: the highest value, the lowest column among equals.
                var bestValue = -Float.infinity, bestColumn = -1
                for lane in 0..<4 where greedyValue[lane] > bestValue
                    || (greedyValue[lane] == bestValue && bestValue > -.infinity && Int(greedyColumn[lane]) < bestColumn) {
                    bestValue = greedyValue[lane]
                    bestColumn = Int(greedyColumn[lane])
                }
                for j in chunks..<m {
                    let v = values[base + j]
                    groupMax[group + j] = max(groupMax[group + j], v)
                    if v + closed[j] > bestValue {
                        bestValue = v + closed[j]
                        bestColumn = j
                    }
                }
                // The row's threshold, then its scores at or above it.
                var threshold = -Float.infinity
                if perRow <= 4 * laneSlots && chunks == m {
                    let kept = (0..<4).flatMap { [top1[$0], top2[$0], top3[$0], top4[$0]] }.sorted(by: >)
                    threshold = kept[perRow - 1]
                }
                found.removeAll(keepingCapacity: true)
                Self.collect(values, base: base, count: m, atLeast: SIMD4(repeating: threshold), thresholds: nil) { c, v in
                    found.append((v, Int32(c)))
                }
                found.sort { ($0.0, $1.1) > ($1.0, $0.1) }
                sets[i] = found.prefix(perRow).map(\.1)
                if bestColumn >= 0 && bestValue > -.infinity {
                    seatsLeft[bestColumn] -= 1
                    if seatsLeft[bestColumn] == 0 { closed[bestColumn] = -.infinity }
                    sets[i].append(Int32(bestColumn))
                }
            }
        }}}
        // Each column's threshold: at least k scores (one per group) reach it.
        var columnThreshold = [Float](repeating: .infinity, count: m)
        for g in 0..<k {
            for j in 0..<m { columnThreshold[j] = min(columnThreshold[j], groupMax[g * m + j]) }
        }
        var byColumn = [[(Float, Int32)]](repeating: [], count: m)
        scores.values.withUnsafeBufferPointer { values in
            columnThreshold.withUnsafeBufferPointer { thresholds in
                for i in 0..<n {
                    Self.collect(values, base: i * m, count: m, atLeast: nil, thresholds: thresholds) { c, v in
                        byColumn[c].append((v, Int32(i)))
                    }
                }
            }
        }
        for j in 0..<m {
            byColumn[j].sort { ($0.0, $1.1) > ($1.0, $0.1) }
            for (_, i) in byColumn[j].prefix(k) { sets[Int(i)].append(Int32(j)) }
        }
        columnsOfRow = sets.map { Self.sortedUnique($0) }
    }

    /// Calls `found(column, score)` for each allowed score of the row at `base` that is at least its threshold:
    /// `atLeast` for every column, or `thresholds[column]`. Four at a time (see `CandidateGraph.init` on SIMD4); few pass.
    @inline(__always)
    static func collect(_ values: UnsafeBufferPointer<Float>, base: Int, count m: Int, atLeast: SIMD4<Float>?,
                        thresholds: UnsafeBufferPointer<Float>?, _ found: (Int, Float) -> Void) {
        guard let matrix = UnsafeRawPointer(values.baseAddress) else { return }
        let perColumn = thresholds.flatMap { UnsafeRawPointer($0.baseAddress) }
        var j = 0
        while j + 4 <= m {
            let w = matrix.loadUnaligned(fromByteOffset: (base + j) * 4, as: SIMD4<Float>.self)
            let t = atLeast ?? perColumn!.loadUnaligned(fromByteOffset: j * 4, as: SIMD4<Float>.self)
            let passed = (w .>= t) .& (w .> SIMD4(repeating: -.infinity))
            if any(passed) {
                for lane in 0..<4 where passed[lane] { found(j + lane, w[lane]) }
            }
            j += 4
        }
        while j < m {
            let w = values[base + j], t = atLeast?[0] ?? thresholds![j]
            if w >= t && w > -.infinity { found(j, w) }
            j += 1
        }
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
    /// With `seats`, each candidate column becomes an edge to each of its seats.
    func problem(offset: Double, seats: LinearAssignment.Seats? = nil) -> SparseAssignment {
        var start = [Int](repeating: 0, count: scores.rows + 1)
        var column: [Int32] = []
        var cost: [Double] = []
        column.reserveCapacity(columnsOfRow.reduce(0) { $0 + $1.count })
        cost.reserveCapacity(column.capacity)
        for i in 0..<scores.rows {
            for j in columnsOfRow[i] {
                let c = -(Double(scores[i, Int(j)]) + offset)
                if let seats {
                    for seat in seats.first[Int(j)]..<seats.first[Int(j) + 1] {
                        column.append(Int32(seat))
                        cost.append(c)
                    }
                } else {
                    column.append(j)
                    cost.append(c)
                }
            }
            start[i + 1] = column.count
        }
        return SparseAssignment(rows: scores.rows, columns: seats?.count ?? scores.columns, start: start, column: column,
                                cost: cost, fallbackCost: 0)
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
