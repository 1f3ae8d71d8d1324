/// The result of an exact one-to-one assignment.
public struct Assignment: Sendable, Equatable {
    public struct Pair: Sendable, Equatable, Hashable {
        public var row: Int
        public var column: Int
        public var score: Float
    }

    /// Assigned pairs, by row.
    public var pairs: [Pair]
    /// The column of each row, nil when the row is unassigned.
    public var columnOfRow: [Int?]
    /// The sum of the assigned scores.
    public var total: Double
    /// Proof of optimality (see `AssignmentCertificate`).
    public var certificate: AssignmentCertificate
    /// How many times the candidate graph had to grow before the proof held (0: the first solve was optimal).
    public var rounds: Int

    public var unassignedRows: [Int] { columnOfRow.indices.filter { columnOfRow[$0] == nil } }
}

/// Linear-programming dual prices that prove an assignment optimal. With adjusted scores
/// `w'(i, j) = score(i, j) + offset` (the offset makes every allowed score positive and large
/// enough that one more pair always beats any gain in total), the certificate holds when
/// - `rowPrice[i] ≥ 0` and `columnPrice[j] ≥ 0`;
/// - `rowPrice[i] + columnPrice[j] ≥ w'(i, j)` for every allowed pair;
/// - equality on every assigned pair;
/// - zero prices on unassigned rows and columns.
/// Then no assignment has more pairs, and none with as many pairs has a higher total.
public struct AssignmentCertificate: Sendable, Equatable {
    public var offset: Double
    public var rowPrice: [Double]
    public var columnPrice: [Double]

    /// The problems with this certificate for `assignment` on `scores` (empty when it proves optimality).
    /// Independent of the solver: it only reads the matrix, the pairs and the prices.
    public func problems(for assignment: Assignment, on scores: ScoreMatrix, tolerance: Double = 1e-9) -> [String] {
        var problems: [String] = []
        let tol = tolerance * max(1, abs(offset))
        guard rowPrice.count == scores.rows, columnPrice.count == scores.columns else {
            return ["the certificate has \(rowPrice.count)×\(columnPrice.count) prices for a \(scores.rows)×\(scores.columns) matrix"]
        }
        var rowUsed = [Bool](repeating: false, count: scores.rows)
        var columnUsed = [Bool](repeating: false, count: scores.columns)
        for pair in assignment.pairs {
            if rowUsed[pair.row] || columnUsed[pair.column] { problems.append("row \(pair.row) or column \(pair.column) is assigned twice") }
            rowUsed[pair.row] = true
            columnUsed[pair.column] = true
            guard scores.isAllowed(pair.row, pair.column) else {
                problems.append("pair (\(pair.row), \(pair.column)) is forbidden")
                continue
            }
            let slack = rowPrice[pair.row] + columnPrice[pair.column] - (Double(scores[pair.row, pair.column]) + offset)
            if abs(slack) > tol { problems.append("assigned pair (\(pair.row), \(pair.column)) has slack \(slack)") }
        }
        for i in 0..<scores.rows {
            if rowPrice[i] < -tol { problems.append("row \(i) has a negative price") }
            if !rowUsed[i] && abs(rowPrice[i]) > tol { problems.append("unassigned row \(i) has price \(rowPrice[i])") }
        }
        for j in 0..<scores.columns {
            if columnPrice[j] < -tol { problems.append("column \(j) has a negative price") }
            if !columnUsed[j] && abs(columnPrice[j]) > tol { problems.append("unassigned column \(j) has price \(columnPrice[j])") }
        }
        for i in 0..<scores.rows where problems.count < 20 {
            let base = i * scores.columns
            for j in 0..<scores.columns {
                let w = scores.values[base + j]
                if w > -Float.infinity && rowPrice[i] + columnPrice[j] < Double(w) + offset - tol {
                    problems.append("pair (\(i), \(j)) is underpriced: \(rowPrice[i]) + \(columnPrice[j]) < \(Double(w) + offset)")
                    break
                }
            }
        }
        return problems
    }
}
