/// The coordinator's selection page (`selection.leaf`): the ranking by the chosen criteria, one section per role,
/// and the decisions.
struct SelectionView: Encodable {
    struct CriterionChoice: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    /// One decision the coordinator can take on a candidate: the form value, the button's words and its style.
    struct DecisionButton: Encodable {
        var value: String
        var label: String
        var style: String?

        /// The decisions other than the candidate's current status, in the order select, waitlist, decline.
        static func available(for current: ApplicationStatus) -> [DecisionButton] {
            let all: [(ApplicationStatus, String, String?)] = [(.selected, "Select", nil), (.waitlisted, "Waitlist", "secondary"), (.declined, "Decline", "danger")]
            return all
                .filter { $0.0 != current }
                .map { DecisionButton(value: $0.0.rawValue, label: $0.1, style: $0.2) }
        }
    }

    struct Candidate: Encodable {
        var rank: Int
        var name: String
        var department: String
        var level: Int
        /// For the status badge's CSS class only.
        var status: String
        var statusLabel: String
        var waitlistPosition: Int?
        var points: String
        var breakdown: String
        var firstTime: Bool
        var motivation: String
        var review: String?
        var submittedOn: String
        var decisionLink: String
        var decisions: [DecisionButton]
        var history: [String]
        var wishes: String?
    }

    struct RoleSection: Encodable {
        var label: String
        var places: Int
        var selected: Int
        var candidates: [Candidate]
    }

    var p: ProgrammeSummary
    var criteria: [CriterionChoice]
    /// The chosen ranking as a percent-encoded query, sent back with each decision so the page comes back as it was.
    var criteriaQuery: String
    var sections: [RoleSection]
    var selecting: Bool
    var applyLink: String
    var selectionLink: String
    var programmeLink: String
    var levels = ["1", "2", "3", "4", "5"]
}
