/// A programme's page (`programme.leaf`): what it is and asks, who may apply, the person's application, and the
/// coordinator's actions.
struct ProgrammePageView: Encodable {
    struct ActionButton: Encodable {
        var value: String
        var label: String
        var refusal: String?
        var closing: Bool
    }

    struct RoleLine: Encodable {
        var label: String
        var eligible: Bool
        var reason: String?
        var who: String
    }

    var p: ProgrammeSummary
    var coordinator: Bool
    var objectiveText: String?
    var topics: [String]
    var dates: [String: String]
    var places: String
    var boardSize: Int?
    var boardMix: [String]
    var eligibility: [RoleLine]
    var groundRules: GroundRules
    var starters: [String]
    var resources: [String]
    var stories: [Story]
    var lessons: String?
    var windowOpen: Bool
    var windowNote: String?
    var canApply: Bool
    /// The person's application status (raw value, for the badge's CSS class), if they applied.
    var myStatus: String?
    var myStatusLabel: String?
    var myRole: String?
    /// Selected: the links to matching preferences and the person's match.
    var isSelected: Bool
    var canWithdraw: Bool
    var programmesLink: String
    var applyLink: String
    var withdrawLink: String
    var actions: [ActionButton]
    var actionLink: String
    var editLink: String
    var runAgainLink: String
    var invitationsLink: String
    var selectionLink: String
    var balanceLink: String
    var matchingLink: String
    var preferencesLink: String
    var myMatchLink: String
    var counts: [Balance.Side]
    var closed: Bool
    var warnings: [String]
}
