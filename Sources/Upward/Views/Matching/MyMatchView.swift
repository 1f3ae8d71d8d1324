/// A participant's proposed match and their answer (`my-match.leaf`). Partners' reasons are never in it.
struct MyMatchView: Encodable {
    struct PartnerLine: Encodable {
        var name: String
        var detail: String
        var answer: String
    }

    var p: ProgrammeSummary
    var has: Bool
    /// For the status badge's CSS class only.
    var status: String?
    var statusLabel: String?
    /// The answer-by date is shown while everyone's answer is awaited.
    var awaitingConsent = false
    var deadline: String?
    var explanation: String?
    var partners: [PartnerLine]
    var myAnswer: String?
    var myReason: String?
    var canAnswer: Bool
    /// Once the pairing has started: its shared space.
    var spaceLink: String?
    var action: String
    var programmeLink: String
}
