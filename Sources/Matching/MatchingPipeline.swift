/// One proposed pair, explained. For advisory boards a mentee has one proposal per board member.
public struct Proposal: Codable, Sendable, Equatable {
    public var menteeID: String
    public var mentorID: String
    /// The weighted score (higher is better).
    public var score: Double
    /// Each criterion in [0, 1], for the coordinator.
    public var breakdown: [Criterion: Double]
    /// For the mentee and for the mentor to read. Never mentions diversity attributes.
    public var menteeExplanation: String
    public var mentorExplanation: String
    /// For the coordinator: the strongest criteria with their values.
    public var coordinatorNote: String
    /// Kept from the coordinator's pins rather than chosen by this run.
    public var pinned: Bool
}

/// Somebody this run could not place, and why.
public struct Unmatched: Codable, Sendable, Equatable {
    public var id: String
    public var reason: String
}

public struct MatchResult: Codable, Sendable, Equatable {
    public var proposals: [Proposal]
    public var unmatchedMentees: [Unmatched]
    /// Mentors left without a mentee, each with the reason.
    public var unmatchedMentors: [Unmatched] = []
    public var total: Double
    /// The weakest proposal's score, nil with none.
    public var lowestScore: Double?
    public var method: String
}

/// Profiles → scores → rules → solver → explained proposals.
///
/// ```swift
/// let result = try MatchingPipeline.run(mentees: seniors, mentors: juniors, settings: .defaults(for: .reverse))
/// result.proposals.first?.menteeExplanation   // "You both care about accessibility; Sam offers …"
/// ```
///
/// - Complexity: O(nm) scoring plus the solver's cost (see `LinearAssignment`, `CapacitatedAssignment`).
public enum MatchingPipeline {
    public struct InputProblem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// - Parameters:
    ///   - pinned: (mentee id, mentor id) pairs to keep as they are; the rest is solved around them.
    ///   - forbidden: pairs never to propose (declined pairs, the coordinator's "not these two").
    ///   - progress: told the share done (0…1) now and then, for a progress bar; scoring is most of the work.
    public static func run(mentees: [Participant], mentors: [Participant], settings: MatchingSettings,
                           pinned: [(String, String)] = [], forbidden: [(String, String)] = [],
                           progress: (@Sendable (Double) -> Void)? = nil) throws -> MatchResult {
        try checkIDs(mentees, "mentee")
        try checkIDs(mentors, "mentor")
        let menteeIndex = Dictionary(uniqueKeysWithValues: mentees.enumerated().map { ($1.id, $0) })
        let mentorIndex = Dictionary(uniqueKeysWithValues: mentors.enumerated().map { ($1.id, $0) })
        let scoring = Scoring(settings: settings)
        let board = settings.format == .advisoryBoard ? max(1, settings.boardSize) : 1
        let forbiddenSet = Set(forbidden.map { "\($0.0)\u{1}\($0.1)" })

        // Pins first: they keep their place and use up capacity.
        var menteeNeeds = [Int](repeating: board, count: mentees.count)
        var mentorSeats = [Int](repeating: max(1, settings.mentorCapacity), count: mentors.count)
        var pinnedPairs: [(Int, Int)] = []
        for (menteeID, mentorID) in pinned {
            guard let i = menteeIndex[menteeID], let j = mentorIndex[mentorID] else {
                throw InputProblem(description: "the pinned pair \(menteeID)–\(mentorID) names someone who is not in this run")
            }
            guard menteeNeeds[i] > 0, mentorSeats[j] > 0 else {
                throw InputProblem(description: "the pinned pair \(menteeID)–\(mentorID) exceeds a capacity")
            }
            menteeNeeds[i] -= 1
            mentorSeats[j] -= 1
            pinnedPairs.append((i, j))
        }
        let pinnedSet = Set(pinnedPairs.map { "\($0.0)\u{1}\($0.1)" })

        var scores = ScoreMatrix(rows: mentees.count, columns: mentors.count)
        let index = ScoringIndex(mentees: mentees, mentors: mentors, settings: settings)
        var reasons = [[String: Int]](repeating: [:], count: mentees.count)
        // Breakdowns are not kept per pair (5 000 applicants make millions of pairs); the chosen pairs' are recomputed.
        for (i, mentee) in mentees.enumerated() {
            if i % 64 == 0 { progress?(0.8 * Double(i) / Double(max(1, mentees.count))) }
            for (j, mentor) in mentors.enumerated() {
                var reason = scoring.forbiddenReason(mentee: mentee, mentor: mentor)
                if reason == nil && forbiddenSet.contains("\(mentee.id)\u{1}\(mentor.id)") { reason = "ruled out by the coordinator or declined" }
                if reason == nil && pinnedSet.contains("\(i)\u{1}\(j)") { reason = "already pinned" }
                if settings.format == .advisoryBoard, reason == nil,
                   pinnedPairs.contains(where: { $0.0 == i && mentors[$0.1].department == mentor.department }) {
                    reason = "a pinned board member comes from the same department"
                }
                if let reason {
                    scores.forbid(i, j)
                    reasons[i][reason, default: 0] += 1
                } else {
                    scores[i, j] = Float(index.score(i, j))
                }
            }
        }

        // Solve for what is left: mentees already complete and mentors already full take no part.
        var open = scores
        for i in 0..<mentees.count where menteeNeeds[i] == 0 { for j in 0..<mentors.count { open.forbid(i, j) } }
        for j in 0..<mentors.count where mentorSeats[j] == 0 { for i in 0..<mentees.count { open.forbid(i, j) } }
        var chosen: [(Int, Int)] = []
        let method: String
        if settings.stable {
            let result = StableMatching.solve(open, rowCapacity: board, columnCapacity: mentorSeats)
            chosen = result.pairs.filter { menteeNeeds[$0.row] > 0 }.map { ($0.row, $0.column) }
            method = "stable matching (mentees propose)"
        } else if board == 1 && mentorSeats.allSatisfy({ $0 <= 1 }) {
            chosen = LinearAssignment.solve(open).pairs.map { ($0.row, $0.column) }
            method = "exact assignment"
        } else {
            let departments = settings.format == .advisoryBoard ? departmentIndices(mentors) : nil
            chosen = CapacitatedAssignment.solve(open, rowCapacities: menteeNeeds, columnCapacity: mentorSeats, department: departments)
                .pairs.map { ($0.row, $0.column) }
            method = settings.format == .advisoryBoard ? "exact advisory boards (min-cost flow)" : "exact assignment with capacities"
        }

        progress?(0.95)
        var proposals: [Proposal] = []
        for (i, j) in pinnedPairs + chosen {
            let breakdown = scoring.breakdown(mentee: mentees[i], mentor: mentors[j])
            proposals.append(Proposal(
                menteeID: mentees[i].id, mentorID: mentors[j].id, score: scoring.score(breakdown), breakdown: breakdown,
                menteeExplanation: Explanation.forMentee(mentees[i], mentor: mentors[j], format: settings.format),
                mentorExplanation: Explanation.forMentor(mentors[j], mentee: mentees[i], format: settings.format),
                coordinatorNote: Explanation.forCoordinator(breakdown, weights: settings.weights),
                pinned: pinnedSet.contains("\(i)\u{1}\(j)")))
        }
        proposals.sort { ($0.menteeID, $0.mentorID) < ($1.menteeID, $1.mentorID) }
        var placed = [Int](repeating: 0, count: mentees.count)
        for (i, _) in pinnedPairs + chosen { placed[i] += 1 }
        let unmatched = mentees.indices.filter { placed[$0] < board }.map { i in
            Unmatched(id: mentees[i].id, reason: Explanation.unmatched(
                reasons: reasons[i], mentors: mentors.count, allowed: (0..<mentors.count).filter { scores.isAllowed(i, $0) }.count,
                placed: placed[i], board: board))
        }
        // Mentors left out: their reasons are tallied only now, for the few there are, so scoring stays lean.
        var mentorLoad = [Int](repeating: 0, count: mentors.count)
        for (_, j) in pinnedPairs + chosen { mentorLoad[j] += 1 }
        let unmatchedMentors = mentors.indices.filter { mentorLoad[$0] == 0 }.map { j in
            var tally: [String: Int] = [:]
            for (i, mentee) in mentees.enumerated() where !scores.isAllowed(i, j) {
                let reason = scoring.forbiddenReason(mentee: mentee, mentor: mentors[j])
                    ?? (forbiddenSet.contains("\(mentee.id)\u{1}\(mentors[j].id)") ? "ruled out by the coordinator or declined" : "already pinned")
                tally[reason, default: 0] += 1
            }
            return Unmatched(id: mentors[j].id, reason: Explanation.unmatchedMentor(
                reasons: tally, mentees: mentees.count, allowed: (0..<mentees.count).filter { scores.isAllowed($0, j) }.count, board: board))
        }
        var result = MatchResult(proposals: proposals, unmatchedMentees: unmatched, total: proposals.reduce(0) { $0 + $1.score },
                                 lowestScore: proposals.map(\.score).min(), method: method)
        result.unmatchedMentors = unmatchedMentors
        return result
    }

    /// The hard rule this pair breaks, in words, or nil: for warning about a pair made by hand.
    public static func ruleBroken(mentee: Participant, mentor: Participant, settings: MatchingSettings) -> String? {
        Scoring(settings: settings).forbiddenReason(mentee: mentee, mentor: mentor)
    }

    static func checkIDs(_ people: [Participant], _ role: String) throws {
        var seen = Set<String>()
        for p in people where !seen.insert(p.id).inserted {
            throw InputProblem(description: "the \(role) id '\(p.id)' appears twice")
        }
    }

    static func departmentIndices(_ mentors: [Participant]) -> [Int] {
        var index: [String: Int] = [:]
        return mentors.map { m in
            if let k = index[m.department] { return k }
            index[m.department] = index.count
            return index.count - 1
        }
    }
}

/// The file `upward match --profiles` reads: settings (only what differs from the format's defaults),
/// the mentees and mentors, and optionally pinned and forbidden `[mentee id, mentor id]` pairs.
public struct ProfileFile: Codable, Sendable {
    public var settings: MatchingSettings
    public var mentees: [Participant]
    public var mentors: [Participant]
    public var pinned: [[String]]
    public var forbidden: [[String]]

    enum CodingKeys: String, CodingKey { case settings, mentees, mentors, pinned, forbidden }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        settings = try c.decodeIfPresent(MatchingSettings.self, forKey: .settings) ?? .defaults(for: .reverse)
        mentees = try c.decode([Participant].self, forKey: .mentees)
        mentors = try c.decode([Participant].self, forKey: .mentors)
        pinned = try c.decodeIfPresent([[String]].self, forKey: .pinned) ?? []
        forbidden = try c.decodeIfPresent([[String]].self, forKey: .forbidden) ?? []
        for pair in pinned + forbidden where pair.count != 2 {
            throw DecodingError.dataCorruptedError(forKey: .pinned, in: c, debugDescription: "each pair is [mentee id, mentor id]")
        }
    }

    public func run() throws -> MatchResult {
        try MatchingPipeline.run(mentees: mentees, mentors: mentors, settings: settings,
                                 pinned: pinned.map { ($0[0], $0[1]) }, forbidden: forbidden.map { ($0[0], $0[1]) })
    }
}
