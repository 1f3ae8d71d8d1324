/// The selection ranking as a pure function: no database, so it is tested on its own (`RankingTests`).
enum Ranking {
    typealias Criterion = ApplicationService.Criterion

    /// What the ranking knows of one applicant.
    struct Candidate: Sendable, Equatable {
        var department: String
        var level: Int
        /// Never selected in an earlier programme.
        var firstTime: Bool
        /// The coordinator's 1–5 review of the motivation, if any.
        var motivationReview: Int?
    }

    struct Place: Sendable {
        /// The candidate's index in the input.
        var index: Int
        var points: Double
        /// Each chosen criterion's contribution, in [0, 1].
        var breakdown: [(Criterion, Double)]
    }

    /// `candidates` (in the order they applied, earliest first) best first by the sum of the chosen criteria.
    /// Spreads are greedy: each pick counts against later candidates from the same department or level. Ties go to
    /// the earlier application.
    ///
    /// - Complexity: O(n² · c) for n candidates and c criteria: each of the n picks scores every candidate left.
    static func rank(_ candidates: [Candidate], by criteria: [Criterion]) -> [Place] {
        var remaining = Array(candidates.indices)
        var departments: [String: Int] = [:], levels: [Int: Int] = [:]
        var places: [Place] = []
        let n = max(1, candidates.count - 1)
        while !remaining.isEmpty {
            var best = (slot: 0, place: Place(index: remaining[0], points: -.infinity, breakdown: []))
            for (slot, index) in remaining.enumerated() {
                let c = candidates[index]
                let breakdown: [(Criterion, Double)] = criteria.map { criterion in
                    let value: Double = switch criterion {
                    case .departmentSpread: 1 / Double(1 + departments[c.department, default: 0])
                    case .levelSpread: 1 / Double(1 + levels[c.level, default: 0])
                    case .firstTime: c.firstTime ? 1 : 0
                    case .motivation: c.motivationReview.map { Double($0 - 1) / 4 } ?? 0.5
                    case .applicationTime: candidates.count == 1 ? 1 : 1 - Double(index) / Double(n)
                    }
                    return (criterion, value)
                }
                let points = breakdown.reduce(0) { $0 + $1.1 }
                if points > best.place.points + 1e-12 { best = (slot, Place(index: index, points: points, breakdown: breakdown)) }
            }
            remaining.remove(at: best.slot)
            departments[candidates[best.place.index].department, default: 0] += 1
            levels[candidates[best.place.index].level, default: 0] += 1
            places.append(best.place)
        }
        return places
    }
}
