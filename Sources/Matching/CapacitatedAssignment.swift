/// Exact many-to-many assignment as a minimum-cost flow: each mentee (row) takes up to
/// `rowCapacity` mentors, each mentor (column) up to `columnCapacity[j]` mentees, a pair at most once,
/// and — for advisory boards — at most one mentor per `department` for each mentee.
/// First the most pairs, then the highest total.
///
/// Like `LinearAssignment`, it solves on a sparse candidate graph and checks node prices against
/// every allowed pair of the full matrix; underpriced pairs join the graph and it solves again.
///
/// ```swift
/// // Two mentees, one mentor who takes both.
/// let result = CapacitatedAssignment.solve(ScoreMatrix([[0.5], [0.7]]), rowCapacity: 1, columnCapacity: [2])
/// result.pairs.count   // 2
/// ```
///
/// - Complexity: O(nm) to choose candidates and to check, plus successive shortest paths on the
///   candidate graph (one Dijkstra with early exit per unit of flow).
public enum CapacitatedAssignment {
    public struct Result: Sendable, Equatable {
        public var pairs: [Assignment.Pair]
        public var total: Double
        public var certificate: FlowCertificate
        public var rounds: Int

        public func columns(ofRow row: Int) -> [Int] { pairs.filter { $0.row == row }.map(\.column) }
    }

    public static func solve(_ scores: ScoreMatrix, rowCapacity: Int, columnCapacity: [Int],
                             department: [Int]? = nil, candidates: Int = 12) -> Result {
        solve(scores, rowCapacities: Array(repeating: rowCapacity, count: scores.rows), columnCapacity: columnCapacity,
              department: department, candidates: candidates)
    }

    /// The same with a capacity per row (a mentee whose board is partly pinned needs fewer mentors).
    public static func solve(_ scores: ScoreMatrix, rowCapacities: [Int], columnCapacity: [Int],
                             department: [Int]? = nil, candidates: Int = 12) -> Result {
        precondition(rowCapacities.count == scores.rows, "one capacity per row")
        let rowCapacity = rowCapacities.max() ?? 0
        precondition(columnCapacity.count == scores.columns, "one capacity per column")
        precondition(department == nil || department!.count == scores.columns, "one department per column")
        let n = scores.rows
        let groups = department.map { ($0.max() ?? -1) + 1 } ?? 0
        guard let range = scores.allowedRange, rowCapacity > 0 else {
            let zero = FlowCertificate(offset: 0, rowPrice: Array(repeating: 0, count: n), groupPrice: Array(repeating: 0, count: n * groups),
                                       columnPrice: Array(repeating: 0, count: scores.columns), sinkPrice: 0)
            return Result(pairs: [], total: 0, certificate: zero, rounds: 0)
        }
        if rowCapacities.allSatisfy({ $0 == 1 }) && department == nil {
            return seated(scores, columnCapacity: columnCapacity, candidates: candidates)
        }
        let maxFlow = min(n * rowCapacity, columnCapacity.reduce(0, +))
        let big = (range.max - range.min) * Double(maxFlow + 1) + 1
        let offset = big - range.min
        let perRow = max(candidates, rowCapacity * 3)
        let perColumn = max(candidates, (columnCapacity.max() ?? 1) * 3)
        var graph = CandidateGraph(scores: scores, perRow: perRow, perColumn: perColumn)
        var rounds = 0
        while true {
            var network = FlowNetwork(scores: scores, candidates: graph.columnsOfRow, rowCapacities: rowCapacities,
                                      columnCapacity: columnCapacity, department: department, groups: groups, offset: offset)
            network.run()
            let certificate = network.certificate()
            let missing = certificate.underpricedPairs(scores, used: network.usedPairs(), department: department, groups: groups)
            if missing.isEmpty {
                let pairs = network.usedPairs().sorted { ($0.a, $0.b) < ($1.a, $1.b) }
                    .map { Assignment.Pair(row: Int($0.a), column: Int($0.b), score: scores[Int($0.a), Int($0.b)]) }
                return Result(pairs: pairs, total: pairs.reduce(0) { $0 + Double($1.score) }, certificate: certificate, rounds: rounds)
            }
            graph.add(missing)
            rounds += 1
        }
    }
}

extension CapacitatedAssignment {
    /// One mentor per mentee: an exact assignment onto mentor *seats* (`LinearAssignment.Seats`), which
    /// the fast assignment solver handles on the matrix itself — no copy per seat. Its prices translate
    /// into the flow certificate: π(row) = row price, π(mentor) = −(its cheapest seat's price), π(sink) = 0.
    static func seated(_ scores: ScoreMatrix, columnCapacity: [Int], candidates: Int) -> Result {
        let seats = LinearAssignment.Seats(capacity: columnCapacity)
        let range = scores.allowedRange!
        let offset = LinearAssignment.adjustment(range, pairs: min(scores.rows, seats.count))
        let solved = LinearAssignment.solve(scores, seats: seats, range: range, offset: offset, candidates: candidates)
        var price = seats.cheapest(solved.seatPrice)
        for j in 0..<scores.columns where price[j] == .infinity {
            // No seats: the network has no arc from this mentor to the sink, so any price at least every
            // row's gain from the pair certifies it; the least such price keeps the certificate finite.
            price[j] = (0..<scores.rows).filter { scores.isAllowed($0, j) }
                .map { Double(scores[$0, j]) + offset - solved.rowPrice[$0] }.max().map { max(0, $0) } ?? 0
        }
        let columnPrice = price.map { -$0 }
        return Result(pairs: solved.pairs, total: solved.total,
                      certificate: FlowCertificate(offset: offset, rowPrice: solved.rowPrice,
                                                   groupPrice: [], columnPrice: columnPrice, sinkPrice: 0),
                      rounds: solved.rounds)
    }
}

/// Node prices (potentials) of the flow network that prove a capacitated assignment optimal.
/// In max form with adjusted scores `w' = score + offset`: every allowed pair not used satisfies
/// `groupPrice(i, d(j)) ≥ w'(i, j) + columnPrice[j]` … see `problems(for:on:)` for the exact conditions.
public struct FlowCertificate: Sendable, Equatable {
    public var offset: Double
    /// Potentials π of the min-cost network (reduced cost of arc u→v: cost + π(u) − π(v)).
    public var rowPrice: [Double]
    /// One per (row, department) for boards; empty without departments.
    public var groupPrice: [Double]
    public var columnPrice: [Double]
    public var sinkPrice: Double

    /// Allowed, unused pairs whose arc would have a negative reduced cost.
    func underpricedPairs(_ scores: ScoreMatrix, used: Set<PairKey>, department: [Int]?, groups: Int) -> [(Int, Int)] {
        var missing: [(Int, Int)] = []
        let tolerance = 1e-9 * max(1, offset)
        let m = scores.columns
        for i in 0..<scores.rows {
            let base = i * m
            for j in 0..<m {
                let w = scores.values[base + j]
                guard w > -Float.infinity else { continue }
                let from = department.map { groupPrice[i * groups + $0[j]] } ?? rowPrice[i]
                // arc cost −w', reduced: −w' + π(from) − π(column) < 0 ?
                if -(Double(w) + offset) + from - columnPrice[j] < -tolerance && !used.contains(PairKey(i, j)) {
                    missing.append((i, j))
                }
            }
        }
        return missing
    }

    /// The problems with this certificate and `result` on `scores` (empty when the result is optimal).
    /// Checks feasibility and every optimality condition of the min-cost flow on the full matrix.
    public func problems(for result: CapacitatedAssignment.Result, on scores: ScoreMatrix, rowCapacity: Int,
                         columnCapacity: [Int], department: [Int]? = nil) -> [String] {
        problems(for: result, on: scores, rowCapacities: Array(repeating: rowCapacity, count: scores.rows),
                 columnCapacity: columnCapacity, department: department)
    }

    public func problems(for result: CapacitatedAssignment.Result, on scores: ScoreMatrix, rowCapacities: [Int],
                         columnCapacity: [Int], department: [Int]? = nil) -> [String] {
        var problems: [String] = []
        let tolerance = 1e-9 * max(1, offset)
        let groups = department.map { ($0.max() ?? -1) + 1 } ?? 0
        guard rowPrice.count == scores.rows, columnPrice.count == scores.columns, groupPrice.count == scores.rows * groups else {
            return ["the certificate's prices do not fit a \(scores.rows)×\(scores.columns) matrix"]
        }
        var rowLoad = [Int](repeating: 0, count: scores.rows)
        var columnLoad = [Int](repeating: 0, count: scores.columns)
        var groupLoad: [PairKey: Int] = [:]
        var used = Set<PairKey>()
        for p in result.pairs {
            if !scores.isAllowed(p.row, p.column) { problems.append("pair (\(p.row), \(p.column)) is forbidden") }
            if !used.insert(PairKey(p.row, p.column)).inserted { problems.append("pair (\(p.row), \(p.column)) is used twice") }
            rowLoad[p.row] += 1
            columnLoad[p.column] += 1
            if let department { groupLoad[PairKey(p.row, department[p.column]), default: 0] += 1 }
        }
        for i in rowLoad.indices where rowLoad[i] > rowCapacities[i] { problems.append("row \(i) has \(rowLoad[i]) pairs, more than \(rowCapacities[i])") }
        for j in columnLoad.indices where columnLoad[j] > columnCapacity[j] { problems.append("column \(j) is over capacity") }
        for (key, load) in groupLoad where load > 1 { problems.append("row \(key.a) has \(load) mentors from department \(key.b)") }
        if !problems.isEmpty { return problems }
        // Reduced costs (cost + π(u) − π(v)) must be ≥ 0 on every arc with residual capacity.
        func check(_ reduced: Double, _ what: @autoclosure () -> String) {
            if reduced < -tolerance && problems.count < 20 { problems.append("\(what()) has reduced cost \(reduced)") }
        }
        for i in 0..<scores.rows {
            // Fallback arc row → sink (cost 0): forward while the row has spare capacity, backward while used.
            let fallbackFlow = rowCapacities[i] - rowLoad[i]
            if fallbackFlow < rowCapacities[i] { check(rowPrice[i] - sinkPrice, "fallback of row \(i)") }
            if fallbackFlow > 0 { check(-(rowPrice[i] - sinkPrice), "used fallback of row \(i)") }
            if let department {
                for d in 0..<groups {
                    let flow = groupLoad[PairKey(i, d)] ?? 0
                    let reduced = rowPrice[i] - groupPrice[i * groups + d]
                    if flow == 0 { check(reduced, "row \(i) → department \(d)") } else { check(-reduced, "used row \(i) → department \(d)") }
                }
            }
            for j in 0..<scores.columns where scores.isAllowed(i, j) {
                let from = department.map { groupPrice[i * groups + $0[j]] } ?? rowPrice[i]
                let reduced = -(Double(scores[i, j]) + offset) + from - columnPrice[j]
                if used.contains(PairKey(i, j)) { check(-reduced, "used pair (\(i), \(j))") } else { check(reduced, "pair (\(i), \(j))") }
            }
        }
        for j in 0..<scores.columns {
            let reduced = columnPrice[j] - sinkPrice
            if columnLoad[j] < columnCapacity[j] { check(reduced, "column \(j) → sink") }
            if columnLoad[j] > 0 { check(-reduced, "used column \(j) → sink") }
        }
        return problems
    }
}

struct PairKey: Hashable, Sendable {
    let a: Int32, b: Int32
    init(_ a: Int, _ b: Int) { self.a = Int32(a); self.b = Int32(b) }
}

/// The residual network: sink, rows, (row, department) groups, columns; successive shortest paths
/// from each row's spare capacity to the sink, with potentials and early-exit Dijkstra.
struct FlowNetwork {
    let rows: Int, columns: Int, groups: Int
    let rowCapacities: [Int]
    // Nodes: 0 = sink, 1...rows = rows, then groups (rows × groups), then columns.
    let nodeCount: Int
    var head: [Int32] = []       // arc → target node
    var capacity: [Int32] = []   // residual capacity
    var cost: [Double] = []
    var first: [Int] = []        // CSR over nodes
    var arcOrder: [Int32] = []   // arcs grouped by tail
    var pairArc: [(row: Int32, column: Int32, arc: Int32)] = []
    var potential: [Double]
    let offset: Double
    /// Group nodes that have an arc from their row (the others are not part of the network).
    var groupInUse: [Bool]

    func rowNode(_ i: Int) -> Int { 1 + i }
    func groupNode(_ i: Int, _ d: Int) -> Int { 1 + rows + i * groups + d }
    func columnNode(_ j: Int) -> Int { 1 + rows + rows * groups + j }

    init(scores: ScoreMatrix, candidates: [[Int32]], rowCapacities: [Int], columnCapacity: [Int], department: [Int]?, groups: Int, offset: Double) {
        rows = scores.rows
        columns = scores.columns
        self.groups = groups
        self.rowCapacities = rowCapacities
        nodeCount = 1 + rows + rows * groups + columns
        self.offset = offset
        groupInUse = [Bool](repeating: false, count: rows * groups)
        potential = [Double](repeating: 0, count: 1 + rows + rows * groups + columns)
        var tails: [Int32] = []
        func arc(_ u: Int, _ v: Int, _ cap: Int, _ c: Double) {
            tails.append(Int32(u)); head.append(Int32(v)); capacity.append(Int32(cap)); cost.append(c)
            tails.append(Int32(v)); head.append(Int32(u)); capacity.append(0); cost.append(-c)
        }
        for i in 0..<rows {
            arc(rowNode(i), 0, rowCapacities[i], 0)  // fallback: capacity left unused
            if let department {
                var seen = Set<Int>()
                for j in candidates[i] where seen.insert(department[Int(j)]).inserted {
                    arc(rowNode(i), groupNode(i, department[Int(j)]), 1, 0)
                    groupInUse[i * groups + department[Int(j)]] = true
                }
            }
            for j in candidates[i] {
                let from = department.map { groupNode(i, $0[Int(j)]) } ?? rowNode(i)
                pairArc.append((Int32(i), j, Int32(head.count)))
                arc(from, columnNode(Int(j)), 1, -(Double(scores[i, Int(j)]) + offset))
            }
        }
        for j in 0..<columns { arc(columnNode(j), 0, columnCapacity[j], 0) }
        // CSR by tail.
        first = [Int](repeating: 0, count: nodeCount + 1)
        for t in tails { first[Int(t) + 1] += 1 }
        for v in 0..<nodeCount { first[v + 1] += first[v] }
        var fill = first
        arcOrder = [Int32](repeating: 0, count: tails.count)
        for (a, t) in tails.enumerated() {
            arcOrder[fill[Int(t)]] = Int32(a)
            fill[Int(t)] += 1
        }
        // Initial potentials make every arc with capacity non-negative: the graph is layered
        // (row → group → column → sink), so one pass in that order is a shortest-path tree.
        relaxLayers()
    }

    /// π(v) = min over arcs u→v with capacity of π(u) + cost, in layer order; rows start at 0.
    private mutating func relaxLayers() {
        var dist = [Double](repeating: .infinity, count: nodeCount)
        for i in 0..<rows { dist[rowNode(i)] = 0 }
        let layers: [Range<Int>] = [1..<(1 + rows), (1 + rows)..<(1 + rows + rows * groups), (1 + rows + rows * groups)..<nodeCount]
        for layer in layers {
            for u in layer where dist[u] < .infinity {
                for k in first[u]..<first[u + 1] {
                    let a = Int(arcOrder[k])
                    let v = Int(head[a])
                    if capacity[a] > 0 && v != 0 && dist[u] + cost[a] < dist[v] { dist[v] = dist[u] + cost[a] }
                }
            }
        }
        var sink = 0.0
        for u in 1..<nodeCount where dist[u] < .infinity {
            for k in first[u]..<first[u + 1] {
                let a = Int(arcOrder[k])
                if head[a] == 0 && capacity[a] > 0 { sink = min(sink, dist[u] + cost[a]) }
            }
        }
        dist[0] = sink
        for v in 0..<nodeCount { potential[v] = dist[v] == .infinity ? 0 : dist[v] }
    }

    mutating func run() {
        var distance = [Double](repeating: .infinity, count: nodeCount)
        var via = [Int32](repeating: -1, count: nodeCount)
        var done = [Bool](repeating: false, count: nodeCount)
        var touched: [Int] = []
        var heap = MinHeap()
        for i in 0..<rows {
            for _ in 0..<rowCapacities[i] {
                heap.removeAll()
                let s = rowNode(i)
                distance[s] = 0
                touched.append(s)
                heap.push(0, Int32(s))
                var reached = -1.0
                while !heap.isEmpty {
                    let (d, node) = heap.pop()
                    let u = Int(node)
                    if done[u] || d > distance[u] { continue }
                    done[u] = true
                    if u == 0 { reached = d; break }
                    for k in first[u]..<first[u + 1] {
                        let a = Int(arcOrder[k])
                        guard capacity[a] > 0 else { continue }
                        let v = Int(head[a])
                        if done[v] { continue }
                        let nd = d + cost[a] + potential[u] - potential[v]
                        if nd < distance[v] {
                            if distance[v] == .infinity { touched.append(v) }
                            distance[v] = nd
                            via[v] = Int32(a)
                            heap.push(nd, Int32(v))
                        }
                    }
                }
                precondition(reached >= 0, "the fallback arc always reaches the sink")
                for v in touched where done[v] { potential[v] += distance[v] - reached }
                var v = 0
                while v != s {
                    let a = Int(via[v])
                    capacity[a] -= 1
                    capacity[a ^ 1] += 1
                    v = Int(head[a ^ 1])
                }
                for v in touched { distance[v] = .infinity; done[v] = false }
                touched.removeAll(keepingCapacity: true)
            }
        }
    }

    func usedPairs() -> Set<PairKey> {
        Set(pairArc.filter { capacity[Int($0.arc)] == 0 }.map { PairKey(Int($0.row), Int($0.column)) })
    }

    func certificate() -> FlowCertificate {
        // A group outside the network costs nothing to enter: give it its row's price.
        FlowCertificate(
            offset: offset,
            rowPrice: (0..<rows).map { potential[rowNode($0)] },
            groupPrice: groups == 0 ? [] : (0..<(rows * groups)).map { g in
                groupInUse[g] ? potential[1 + rows + g] : potential[rowNode(g / groups)]
            },
            columnPrice: (0..<columns).map { potential[columnNode($0)] },
            sinkPrice: potential[0])
    }
}
