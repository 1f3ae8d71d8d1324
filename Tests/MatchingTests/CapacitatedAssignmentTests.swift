import Testing
@testable import Matching

/// The best (pairs, total) by exhaustive search over every subset of allowed pairs that fits the capacities.
func bruteForceCapacitated(_ scores: ScoreMatrix, rowCapacity: Int, columnCapacity: [Int], department: [Int]?) -> (pairs: Int, total: Double) {
    let allowed = (0..<scores.rows).flatMap { i in (0..<scores.columns).filter { scores.isAllowed(i, $0) }.map { (i, $0) } }
    var best = (pairs: 0, total: 0.0)
    var rowLoad = [Int](repeating: 0, count: scores.rows)
    var columnLoad = [Int](repeating: 0, count: scores.columns)
    var groups = Set<[Int]>()
    func visit(_ k: Int, _ pairs: Int, _ total: Double) {
        if k == allowed.count {
            if pairs > best.pairs || (pairs == best.pairs && total > best.total + 1e-12) { best = (pairs, total) }
            return
        }
        visit(k + 1, pairs, total)
        let (i, j) = allowed[k]
        let group = department.map { [i, $0[j]] }
        guard rowLoad[i] < rowCapacity, columnLoad[j] < columnCapacity[j], group.map({ !groups.contains($0) }) ?? true else { return }
        rowLoad[i] += 1; columnLoad[j] += 1
        if let group { groups.insert(group) }
        visit(k + 1, pairs + 1, total + Double(scores[i, j]))
        rowLoad[i] -= 1; columnLoad[j] -= 1
        if let group { groups.remove(group) }
    }
    visit(0, 0, 0)
    return best
}

@Suite("Capacities and advisory boards")
struct CapacitatedAssignmentTests {
    @Test func a_mentor_with_two_seats_takes_two_mentees() {
        let scores = ScoreMatrix([[0.5], [0.7]])
        let result = CapacitatedAssignment.solve(scores, rowCapacity: 1, columnCapacity: [2])
        #expect(result.pairs.count == 2)
        #expect(result.certificate.problems(for: result, on: scores, rowCapacity: 1, columnCapacity: [2]).isEmpty)
    }

    @Test(arguments: 0..<6)
    func matches_brute_force_with_capacities_boards_and_departments(seed: UInt64) {
        var rng = SeededGenerator(seed: 500 + seed)
        for _ in 0..<25 {
            let rows = Int.random(in: 1...3, using: &rng)
            let columns = Int.random(in: 1...4, using: &rng)
            let scores = randomScores(rows: rows, columns: columns, using: &rng, forbidden: 0.25,
                                      values: seed % 2 == 0 ? 0...1 : -2...3, integers: seed % 3 == 0)
            let rowCapacity = Int.random(in: 1...3, using: &rng)
            let seats = (0..<columns).map { _ in Int.random(in: 1...2, using: &rng) }
            let department: [Int]? = Bool.random(using: &rng) ? (0..<columns).map { _ in Int.random(in: 0...1, using: &rng) } : nil
            let expected = bruteForceCapacitated(scores, rowCapacity: rowCapacity, columnCapacity: seats, department: department)
            for candidates in [1, 12] {
                let result = CapacitatedAssignment.solve(scores, rowCapacity: rowCapacity, columnCapacity: seats, department: department, candidates: candidates)
                #expect(result.pairs.count == expected.pairs, "\(scores) \(rowCapacity) \(seats) \(String(describing: department))")
                #expect(abs(result.total - expected.total) < 1e-5)
                #expect(result.certificate.problems(for: result, on: scores, rowCapacity: rowCapacity, columnCapacity: seats, department: department).isEmpty)
            }
        }
    }

    @Test func boards_take_at_most_one_advisor_per_department() {
        var rng = SeededGenerator(seed: 99)
        let scores = randomScores(rows: 30, columns: 24, using: &rng)
        let department = (0..<24).map { $0 % 6 }
        let result = CapacitatedAssignment.solve(scores, rowCapacity: 3, columnCapacity: Array(repeating: 4, count: 24), department: department)
        #expect(result.pairs.count == 90)
        for row in 0..<30 {
            let departments = result.columns(ofRow: row).map { department[$0] }
            #expect(departments.count == 3 && Set(departments).count == 3)
        }
        #expect(result.certificate.problems(for: result, on: scores, rowCapacity: 3, columnCapacity: Array(repeating: 4, count: 24), department: department).isEmpty)
    }

    /// Seats share the matrix (no copy per seat); the general min-cost flow is the independent reference
    /// (one department per mentor makes the board rule vacuous and forces the flow path).
    @Test(arguments: 0..<4)
    func mentor_seats_agree_with_the_general_flow(seed: UInt64) {
        var rng = SeededGenerator(seed: 900 + seed)
        let rows = 60 + Int(seed) * 15, columns = 25 + Int(seed) * 5
        let scores = randomScores(rows: rows, columns: columns, using: &rng, forbidden: 0.15, integers: seed % 2 == 1)
        let seats = (0..<columns).map { _ in Int.random(in: 0...3, using: &rng) }
        let seated = CapacitatedAssignment.solve(scores, rowCapacity: 1, columnCapacity: seats)
        let flow = CapacitatedAssignment.solve(scores, rowCapacity: 1, columnCapacity: seats, department: Array(0..<columns))
        #expect(seated.pairs.count == flow.pairs.count)
        #expect(abs(seated.total - flow.total) < 1e-6 * max(1, abs(flow.total)))
        #expect(seated.certificate.problems(for: seated, on: scores, rowCapacity: 1, columnCapacity: seats).isEmpty)
        for j in 0..<columns { #expect(seated.pairs.filter { $0.column == j }.count <= seats[j]) }
    }

    @Test func large_capacity_instance_is_certified_and_agrees_with_the_assignment_solver() {
        var rng = SeededGenerator(seed: 2024)
        let scores = structuredScores(rows: 120, columns: 120, using: &rng)
        let flow = CapacitatedAssignment.solve(scores, rowCapacity: 1, columnCapacity: Array(repeating: 1, count: 120))
        let assignment = LinearAssignment.solve(scores)
        #expect(abs(flow.total - assignment.total) < 1e-6 * assignment.total)
        let doubled = CapacitatedAssignment.solve(scores, rowCapacity: 1, columnCapacity: Array(repeating: 2, count: 120))
        #expect(doubled.total >= flow.total - 1e-9)
        #expect(doubled.certificate.problems(for: doubled, on: scores, rowCapacity: 1, columnCapacity: Array(repeating: 2, count: 120)).isEmpty)
    }
}
