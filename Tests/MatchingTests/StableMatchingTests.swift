import Testing
@testable import Matching

@Suite("Stable matching")
struct StableMatchingTests {
    @Test(arguments: [StableMatching.Side.rows, .columns])
    func deferred_acceptance_leaves_no_blocking_pair(proposers: StableMatching.Side) {
        var rng = SeededGenerator(seed: 31)
        for _ in 0..<40 {
            let rows = Int.random(in: 1...12, using: &rng), columns = Int.random(in: 1...8, using: &rng)
            let scores = randomScores(rows: rows, columns: columns, using: &rng, forbidden: 0.2, integers: Bool.random(using: &rng))
            let seats = (0..<columns).map { _ in Int.random(in: 1...3, using: &rng) }
            let result = StableMatching.solve(scores, rowCapacity: 1, columnCapacity: seats, proposers: proposers)
            #expect(result.blockingPairs == 0)
            #expect(StableMatching.blockingPairs(result.pairs, scores, rowCapacity: 1, columnCapacity: seats).isEmpty)
            for j in 0..<columns { #expect(result.pairs.filter { $0.column == j }.count <= seats[j]) }
            #expect(Set(result.pairs.map(\.row)).count == result.pairs.count)
        }
    }

    @Test func the_proposing_side_gets_its_preferred_stable_matching() {
        // Two mentees, two mentors, opposed preferences: each side proposing gets its first choices.
        let scores = ScoreMatrix([[1, 0], [0, 1]])
        var mentorView = scores
        mentorView[0, 0] = 1; mentorView[0, 1] = 0; mentorView[1, 0] = 0; mentorView[1, 1] = 1
        #expect(StableMatching.solve(scores, columnCapacity: [1, 1], proposers: .rows).pairs.map(\.column) == [0, 1])
        #expect(StableMatching.solve(mentorView, columnCapacity: [1, 1], proposers: .columns).blockingPairs == 0)
    }

    @Test func a_blocking_pair_is_found_in_an_unstable_matching() {
        let scores = ScoreMatrix([[1, 0.5], [0.5, 1]])
        let swapped = [Assignment.Pair(row: 0, column: 1, score: 0.5), Assignment.Pair(row: 1, column: 0, score: 0.5)]
        #expect(StableMatching.blockingPairs(swapped, scores, rowCapacity: 1, columnCapacity: [1, 1]).count == 2)
    }
}
