/// A selected participant's private matching preferences (`preferences.leaf`).
struct PreferencesView: Encodable {
    struct Choice: Encodable {
        var id: String
        var name: String
        var detail: String
        var preferred: Bool
        var avoided: Bool
    }

    var p: ProgrammeSummary
    var choices: [Choice]
    var action: String
    var programmeLink: String
    var open: Bool
}
