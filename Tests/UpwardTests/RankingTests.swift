import Testing
@testable import Upward

@Suite("Selection ranking (pure)")
struct RankingTests {
    typealias C = Ranking.Candidate

    @Test func without_criteria_the_earlier_application_wins() {
        let places = Ranking.rank([C(department: "A", level: 1, firstTime: true), C(department: "B", level: 2, firstTime: true)], by: [])
        #expect(places.map(\.index) == [0, 1] && places.allSatisfy { $0.points == 0 })
    }

    @Test func department_spread_alternates_departments_greedily() {
        let candidates = [C(department: "Sales", level: 1, firstTime: true), C(department: "Sales", level: 1, firstTime: true),
                          C(department: "Legal", level: 1, firstTime: true)]
        let places = Ranking.rank(candidates, by: [.departmentSpread])
        #expect(places.map(\.index) == [0, 2, 1])
        #expect(places[2].points == 0.5)
    }

    @Test func first_timers_and_reviewed_motivation_add_up() {
        let candidates = [C(department: "A", level: 1, firstTime: false, motivationReview: 5),
                          C(department: "A", level: 1, firstTime: true, motivationReview: 1),
                          C(department: "A", level: 1, firstTime: true, motivationReview: nil)]
        let places = Ranking.rank(candidates, by: [.firstTime, .motivation])
        #expect(places.map(\.index) == [2, 0, 1])   // 1.5, 1.0, 1.0 (tie: earlier application first)
        #expect(places.map(\.points) == [1.5, 1.0, 1.0])
        #expect(places[0].breakdown.map(\.0) == [.firstTime, .motivation])
    }

    @Test func application_time_scores_from_one_to_zero() {
        let candidates = (0..<5).map { _ in C(department: "A", level: 1, firstTime: true) }
        #expect(Ranking.rank(candidates, by: [.applicationTime]).map(\.points) == [1, 0.75, 0.5, 0.25, 0])
        #expect(Ranking.rank([C(department: "A", level: 1, firstTime: true)], by: [.applicationTime]).map(\.points) == [1])
        #expect(Ranking.rank([], by: [.applicationTime]).isEmpty)
    }
}
