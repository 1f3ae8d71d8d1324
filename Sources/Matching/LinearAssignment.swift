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
    public static let defaultCandidates = 12

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
        var edges = CandidateGraph(scores: scores, perRow: candidates, perColumn: candidates)
        var rounds = 0
        while true {
            let solution = edges.problem(offset: offset).solve()
            let rowPrice = solution.rowPrice.map { -$0 }
            let columnPrice = solution.columnPrice.map { -$0 }
            let missing = underpricedPairs(scores, offset: offset, rowPrice: rowPrice, columnPrice: columnPrice)
            if missing.isEmpty {
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

    /// Allowed pairs whose prices fall short of their adjusted score: the certificate fails there.
    static func underpricedPairs(_ scores: ScoreMatrix, offset: Double, rowPrice: [Double], columnPrice: [Double]) -> [(Int, Int)] {
        var missing: [(Int, Int)] = []
        let tolerance = 1e-9 * max(1, offset)
        let m = scores.columns
        scores.values.withUnsafeBufferPointer { values in
            columnPrice.withUnsafeBufferPointer { v in
                for i in 0..<scores.rows {
                    // w + offset > u + v + tol  ⇔  w > u + v + tol - offset
                    let shifted = rowPrice[i] - offset + tolerance
                    let base = i * m
                    for j in 0..<m {
                        let w = Double(values[base + j])
                        if w > shifted + v[j] { missing.append((i, j)) }
                    }
                }
            }
        }
        return missing
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
            // Each column's best rows: a small sorted list per column, updated row by row.
            var best = [[(Float, Int32)]](repeating: [], count: m)
            var floor = [Float](repeating: -Float.infinity, count: m)
            for i in 0..<n {
                let base = i * m
                for j in 0..<m {
                    let w = values[base + j]
                    guard w > -Float.infinity else { continue }
                    if best[j].count < perColumn {
                        best[j].append((w, Int32(i)))
                        if best[j].count == perColumn { floor[j] = best[j].min { $0.0 < $1.0 }!.0 }
                    } else if w > floor[j] {
                        let weakest = best[j].indices.min { best[j][$0].0 < best[j][$1].0 }!
                        best[j][weakest] = (w, Int32(i))
                        floor[j] = best[j].min { $0.0 < $1.0 }!.0
                    }
                }
            }
            for j in 0..<m {
                for (_, i) in best[j] { sets[Int(i)].append(Int32(j)) }
            }
        }
        columnsOfRow = sets.map { Array(Set($0)).sorted() }
    }

    mutating func add(_ pairs: [(Int, Int)]) {
        var grouped: [Int: [Int32]] = [:]
        for (i, j) in pairs { grouped[i, default: []].append(Int32(j)) }
        for (i, extra) in grouped {
            columnsOfRow[i] = Array(Set(columnsOfRow[i] + extra)).sorted()
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
