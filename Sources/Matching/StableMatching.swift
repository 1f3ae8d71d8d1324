/// Deferred acceptance (Gale–Shapley) with capacities: a matching no pair would both rather leave
/// for each other. Preferences come from the scores (higher first; ties by index, so results are
/// deterministic); a forbidden pair is unacceptable to both.
///
/// ```swift
/// let stable = StableMatching.solve(scores, rowCapacity: 1, columnCapacity: mentorSeats, proposers: .rows)
/// StableMatching.blockingPairs(stable.pairs, scores, rowCapacity: 1, columnCapacity: mentorSeats)  // []
/// ```
///
/// The proposing side gets its best stable matching; the other side its worst.
///
/// - Complexity: O(nm log m) to sort preferences, O(nm) proposals.
public enum StableMatching {
    public enum Side: String, Sendable { case rows, columns }

    public struct Result: Sendable, Equatable {
        public var pairs: [Assignment.Pair]
        public var total: Double
        public var blockingPairs: Int
    }

    public static func solve(_ scores: ScoreMatrix, rowCapacity: Int = 1, columnCapacity: [Int], proposers: Side = .rows) -> Result {
        let transposed = proposers == .columns
        let n = transposed ? scores.columns : scores.rows
        let m = transposed ? scores.rows : scores.columns
        func score(_ p: Int, _ r: Int) -> Float { transposed ? scores[r, p] : scores[p, r] }
        let proposerCapacity = transposed ? columnCapacity : Array(repeating: rowCapacity, count: n)
        let receiverCapacity = transposed ? Array(repeating: rowCapacity, count: m) : columnCapacity

        // Each proposer's acceptable receivers, best first.
        let preferences: [[Int32]] = (0..<n).map { p in
            (0..<m).filter { score(p, $0) > -Float.infinity }
                .sorted { (score(p, $0), -$0) > (score(p, $1), -$1) }
                .map(Int32.init)
        }
        var next = [Int](repeating: 0, count: n)
        var load = [Int](repeating: 0, count: n)
        var held = [[Int32]](repeating: [], count: m)   // proposers each receiver holds
        // Receiver r prefers p to q when score(p, r) is higher, ties to the lower index.
        func prefers(_ r: Int, _ p: Int32, over q: Int32) -> Bool {
            (score(Int(p), r), -Int(p)) > (score(Int(q), r), -Int(q))
        }
        var queue = Array((0..<n).reversed())
        while let p = queue.popLast() {
            while load[p] < proposerCapacity[p] && next[p] < preferences[p].count {
                let r = Int(preferences[p][next[p]])
                next[p] += 1
                if held[r].count < receiverCapacity[r] {
                    held[r].append(Int32(p))
                    load[p] += 1
                } else if let worst = held[r].indices.min(by: { prefers(r, held[r][$1], over: held[r][$0]) }),
                          prefers(r, Int32(p), over: held[r][worst]) {
                    let rejected = Int(held[r][worst])
                    held[r][worst] = Int32(p)
                    load[p] += 1
                    load[rejected] -= 1
                    queue.append(rejected)
                }
            }
        }
        var pairs: [Assignment.Pair] = []
        for r in 0..<m {
            for p in held[r] {
                let (row, column) = transposed ? (r, Int(p)) : (Int(p), r)
                pairs.append(.init(row: row, column: column, score: scores[row, column]))
            }
        }
        pairs.sort { ($0.row, $0.column) < ($1.row, $1.column) }
        return Result(pairs: pairs, total: pairs.reduce(0) { $0 + Double($1.score) },
                      blockingPairs: blockingPairs(pairs, scores, rowCapacity: rowCapacity, columnCapacity: columnCapacity).count)
    }

    /// Pairs (row, column), both acceptable and not matched, where each side has a free place or
    /// prefers the other to its worst partner. Independent of how the matching was made.
    public static func blockingPairs(_ pairs: [Assignment.Pair], _ scores: ScoreMatrix, rowCapacity: Int, columnCapacity: [Int]) -> [(Int, Int)] {
        var rowPartners = [[Int]](repeating: [], count: scores.rows)
        var columnPartners = [[Int]](repeating: [], count: scores.columns)
        for p in pairs {
            rowPartners[p.row].append(p.column)
            columnPartners[p.column].append(p.row)
        }
        // The worst partner's key; a free place counts as worse than anyone.
        let rowWorst: [(Float, Int)?] = rowPartners.enumerated().map { i, cs in
            cs.count < rowCapacity ? nil : cs.map { (scores[i, $0], -$0) }.min { $0 < $1 }
        }
        let columnWorst: [(Float, Int)?] = columnPartners.enumerated().map { j, rs in
            rs.count < columnCapacity[j] ? nil : rs.map { (scores[$0, j], -$0) }.min { $0 < $1 }
        }
        var blocking: [(Int, Int)] = []
        for i in 0..<scores.rows {
            let partners = Set(rowPartners[i])
            for j in 0..<scores.columns where scores.isAllowed(i, j) && !partners.contains(j) {
                let w = scores[i, j]
                let rowWants = rowWorst[i].map { (w, -j) > $0 } ?? true
                let columnWants = columnWorst[j].map { (w, -i) > $0 } ?? true
                if rowWants && columnWants { blocking.append((i, j)) }
            }
        }
        return blocking
    }
}
