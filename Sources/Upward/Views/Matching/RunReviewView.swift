/// One matching run for the coordinator (`run.leaf`): its progress while it works, then its proposals weakest
/// first, the unmatched, and the adjustments until it is published.
struct RunReviewView: Encodable {
    struct ProposalLine: Encodable {
        var mentee: String
        var menteeID: String
        var mentor: String
        var mentorID: String
        var score: String
        var weak: Bool
        var breakdown: [String]
        var menteeExplanation: String
        var mentorExplanation: String
        var note: String
        var pinned: Bool
        var manual: Bool
        var kept: Bool
        var warnings: [String]
    }

    struct PersonChoice: Encodable {
        var id: String
        var name: String
    }

    var p: ProgrammeSummary
    var number: Int
    var running: Bool
    var failed: String?
    var progress: Int
    var method: String
    var proposals: [ProposalLine]
    var unmatched: [MatchingMemberLine]
    var mentees: [PersonChoice]
    var mentors: [PersonChoice]
    var published: Bool
    var editable: Bool
    var adjustLink: String
    var publishLink: String
    var rerunLink: String
    var runID: String
    var matchingLink: String
    var stats: [String: String]
    var hasUnmatchedMentors: Bool
    /// What a re-run could not carry over, and the coordinator's changes since the engine's result.
    var notes: [String]
    var adjustments: [String]
    var computedTotal: String?
}
