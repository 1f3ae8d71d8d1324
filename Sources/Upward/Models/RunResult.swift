import Foundation

/// What a run proposes, stored with the run: proposals keyed by application, the unmatched with reasons.
struct RunResult: Codable, Sendable, Equatable {
    struct Proposal: Codable, Sendable, Equatable {
        var menteeApplication: UUID
        var mentorApplication: UUID
        var score: Double
        var breakdown: [String: Double]
        var menteeExplanation: String
        var mentorExplanation: String
        var coordinatorNote: String
        var pinned: Bool
        /// Made by hand by the coordinator; `warnings` names any rule it breaks.
        var manual: Bool
        var warnings: [String]
        /// Already live from an earlier publication (kept as it is).
        var kept: Bool
    }

    struct Unmatched: Codable, Sendable, Equatable {
        var application: UUID
        var reason: String
        /// Which side they are on; nil in results stored before mentors were listed (mentees only).
        var side: MemberSide?
    }

    /// One change the coordinator made after the run, in words, with who and when.
    struct Adjustment: Codable, Sendable, Equatable {
        var description: String
        var by: String
        var at: Date
    }

    var proposals: [Proposal] = []
    var unmatched: [Unmatched] = []
    var method = ""
    var mentees = 0
    var mentors = 0
    /// What a re-run could not carry over from the run it started from, and why.
    var notes: [String] = []
    /// The coordinator's changes since the engine's result, oldest first.
    var adjustments: [Adjustment] = []

    init(method: String = "", mentees: Int = 0, mentors: Int = 0) {
        (self.method, self.mentees, self.mentors) = (method, mentees, mentors)
    }

    enum CodingKeys: String, CodingKey { case proposals, unmatched, method, mentees, mentors, notes, adjustments }

    /// Results stored before notes and adjustments existed still read in full.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        proposals = try c.decode([Proposal].self, forKey: .proposals)
        unmatched = try c.decode([Unmatched].self, forKey: .unmatched)
        method = try c.decode(String.self, forKey: .method)
        mentees = try c.decode(Int.self, forKey: .mentees)
        mentors = try c.decode(Int.self, forKey: .mentors)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        adjustments = try c.decodeIfPresent([Adjustment].self, forKey: .adjustments) ?? []
    }

    var total: Double { proposals.reduce(0) { $0 + $1.score } }
    var lowest: Double? { proposals.map(\.score).min() }
    /// Share of mentees with at least one proposal.
    var matchedShare: Double {
        mentees == 0 ? 0 : Double(Set(proposals.map(\.menteeApplication)).count) / Double(mentees)
    }
}

/// Which of a run's proposals are weak, the ones a coordinator should look at first: in the lowest tenth of the
/// scores, or under half the median score. With a single proposal nothing is weak (there is nothing to compare).
struct WeakProposals: Sendable {
    private let tenth: Double, median: Double, count: Int

    init(scores: [Double]) {
        let sorted = scores.sorted()
        count = sorted.count
        median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        tenth = sorted.isEmpty ? 0 : sorted[max(0, sorted.count / 10 - 1)]
    }

    init(_ result: RunResult) { self.init(scores: result.proposals.map(\.score)) }

    func contains(_ score: Double) -> Bool { count > 1 && (score <= tenth || score < median / 2) }
}
