import Testing
@testable import Matching

/// The best (pairs, total) over every partial one-to-one assignment, by exhaustive search.
func bruteForce(_ scores: ScoreMatrix) -> (pairs: Int, total: Double) {
    var best = (pairs: 0, total: 0.0)
    var used = [Bool](repeating: false, count: scores.columns)
    func visit(_ row: Int, _ pairs: Int, _ total: Double) {
        if row == scores.rows {
            if pairs > best.pairs || (pairs == best.pairs && total > best.total + 1e-12) { best = (pairs, total) }
            return
        }
        visit(row + 1, pairs, total)  // leave this row unassigned
        for j in 0..<scores.columns where !used[j] && scores.isAllowed(row, j) {
            used[j] = true
            visit(row + 1, pairs + 1, total + Double(scores[row, j]))
            used[j] = false
        }
    }
    visit(0, 0, 0)
    return best
}

func randomScores(rows: Int, columns: Int, using rng: inout SeededGenerator,
                  forbidden: Double = 0, values: ClosedRange<Float> = 0...1, integers: Bool = false) -> ScoreMatrix {
    var scores = ScoreMatrix(rows: rows, columns: columns)
    for i in 0..<rows {
        for j in 0..<columns {
            if Double.random(in: 0..<1, using: &rng) < forbidden {
                scores.forbid(i, j)
            } else {
                let value = Float.random(in: values, using: &rng)
                scores[i, j] = integers ? value.rounded() : value
            }
        }
    }
    return scores
}

/// Scores like real compatibility: dot products of random non-negative 20-dimensional skill vectors plus 1 % noise.
func structuredScores(rows: Int, columns: Int, using rng: inout SeededGenerator) -> ScoreMatrix {
    let d = 20
    let a = (0..<rows * d).map { _ in Float.random(in: 0...1, using: &rng) }
    let b = (0..<columns * d).map { _ in Float.random(in: 0...1, using: &rng) }
    var scores = ScoreMatrix(rows: rows, columns: columns)
    for i in 0..<rows {
        for j in 0..<columns {
            var dot: Float = 0
            for k in 0..<d { dot += a[i * d + k] * b[j * d + k] }
            scores[i, j] = dot + Float.random(in: 0...0.05, using: &rng)
        }
    }
    return scores
}

@Suite("Exact one-to-one assignment")
struct LinearAssignmentTests {
    @Test func more_pairs_beat_a_higher_total() {
        let scores = ScoreMatrix([[0.9, 0.1], [0.8, nil]])
        let best = LinearAssignment.solve(scores)
        #expect(best.pairs.map { [$0.row, $0.column] } == [[0, 1], [1, 0]])
        #expect(abs(best.total - 0.9) < 1e-6)
        #expect(best.certificate.problems(for: best, on: scores).isEmpty)
    }

    @Test func a_row_with_every_pair_forbidden_stays_unassigned() {
        let scores = ScoreMatrix([[nil, nil], [0.5, 0.4], [0.7, nil]])
        let best = LinearAssignment.solve(scores)
        #expect(best.unassignedRows == [0])
        #expect(best.columnOfRow == [nil, 1, 0])
        #expect(best.certificate.problems(for: best, on: scores).isEmpty)
    }

    @Test func an_all_forbidden_or_empty_matrix_assigns_nobody() {
        #expect(LinearAssignment.solve(ScoreMatrix([[nil, nil]])).pairs.isEmpty)
        #expect(LinearAssignment.solve(ScoreMatrix(rows: 0, columns: 3)).pairs.isEmpty)
        #expect(LinearAssignment.solve(ScoreMatrix(rows: 3, columns: 0)).pairs.isEmpty)
    }

    @Test(arguments: 0..<8)
    func matches_brute_force_on_small_instances(seed: UInt64) {
        var rng = SeededGenerator(seed: 1000 + seed)
        for _ in 0..<60 {
            let rows = Int.random(in: 1...5, using: &rng)
            let columns = Int.random(in: 1...5, using: &rng)
            let kind = Int.random(in: 0..<4, using: &rng)
            let scores = randomScores(
                rows: rows, columns: columns, using: &rng,
                forbidden: [0, 0.3, 0.6, 0.1][kind],
                values: kind == 3 ? -5...5 : 0...1,     // negative scores
                integers: kind == 1)                     // many ties
            let expected = bruteForce(scores)
            // Tiny candidate graphs force the proof-and-repair loop to run.
            for candidates in [1, 2, 12] {
                let best = LinearAssignment.solve(scores, candidates: candidates)
                #expect(best.pairs.count == expected.pairs, "\(scores)")
                #expect(abs(best.total - expected.total) < 1e-5, "\(scores)")
                #expect(best.certificate.problems(for: best, on: scores).isEmpty, "\(scores)")
            }
        }
    }

    @Test func the_same_input_gives_the_same_output() {
        var rng = SeededGenerator(seed: 7)
        let scores = randomScores(rows: 40, columns: 40, using: &rng, integers: true)  // full of ties
        #expect(LinearAssignment.solve(scores) == LinearAssignment.solve(scores))
    }

    @Test(arguments: [(200, 200), (150, 260), (260, 150)])
    func certificates_hold_on_larger_random_and_structured_instances(rows: Int, columns: Int) {
        var rng = SeededGenerator(seed: UInt64(rows * 1000 + columns))
        for scores in [randomScores(rows: rows, columns: columns, using: &rng, forbidden: 0.2),
                       structuredScores(rows: rows, columns: columns, using: &rng),
                       randomScores(rows: rows, columns: columns, using: &rng, values: 0...9, integers: true)] {
            let sparse = LinearAssignment.solve(scores)
            #expect(sparse.certificate.problems(for: sparse, on: scores).isEmpty)
            #expect(sparse.pairs.count == min(rows, columns) || scores.values.contains(ScoreMatrix.forbidden))
            // Every pair a candidate: the plain dense solve reaches the same optimum.
            let dense = LinearAssignment.solve(scores, candidates: max(rows, columns))
            #expect(dense.pairs.count == sparse.pairs.count)
            #expect(abs(dense.total - sparse.total) < 1e-6 * max(1, abs(dense.total)))
        }
    }

    @Test func a_certificate_check_catches_a_wrong_assignment() {
        let scores = ScoreMatrix([[1, 0], [0, 1]])
        var best = LinearAssignment.solve(scores)
        #expect(best.certificate.problems(for: best, on: scores).isEmpty)
        best.pairs = [.init(row: 0, column: 1, score: 0), .init(row: 1, column: 0, score: 0)]
        #expect(!best.certificate.problems(for: best, on: scores).isEmpty)
    }
}

@Suite("Ties")
struct TiesShortcutTests {
    @Test func every_row_gets_its_best_when_ties_allow() {
        var rng = SeededGenerator(seed: 3)
        let scores = randomScores(rows: 300, columns: 300, using: &rng, values: 0...9, integers: true)
        let offset = 1000.0
        let easy = LinearAssignment.everyRowGetsItsBest(scores, offset: offset)
        #expect(easy != nil)
        if let easy {
            #expect(easy.pairs.count == 300)
            #expect(easy.certificate.problems(for: easy, on: scores).isEmpty)
            #expect(abs(easy.total - bruteForceFreeBound(scores)) < 1e-9)
        }
        // Untied scores: the shortcut gives up at once and the full solver decides.
        let untied = randomScores(rows: 300, columns: 300, using: &rng)
        #expect(LinearAssignment.everyRowGetsItsBest(untied, offset: offset) == nil)
    }

    /// The sum of row maxima: an upper bound that the shortcut reaches.
    func bruteForceFreeBound(_ scores: ScoreMatrix) -> Double {
        (0..<scores.rows).reduce(0.0) { total, i in
            total + Double((0..<scores.columns).map { scores[i, $0] }.max()!)
        }
    }
}
