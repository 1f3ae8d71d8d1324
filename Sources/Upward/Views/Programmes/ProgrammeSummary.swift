/// A programme as a line in a list, a card, or the heading of one of its pages.
struct ProgrammeSummary: Encodable {
    var id: String
    var name: String
    /// The status's raw value, for the status badge's CSS class only; templates branch on booleans, never on this.
    var status: String
    var statusLabel: String
    var format: String
    var objective: String
    var round: Int
    var link: String
    var enrolment: String?
    var commitment: String
    var applied: Int
    /// The coordinator's pairings page, once pairings have started (running or closed); pages show it to coordinators only.
    var pairingsLink: String?
    /// The programme-health board, once pairs have started.
    var healthLink: String?

    init(_ p: Programme, applied: Int = 0) throws {
        let id = try p.requireID()
        self.id = id.uuidString
        name = p.name
        status = p.status.rawValue
        statusLabel = p.status.label
        format = p.format.label
        objective = p.objective == .custom ? (p.objectiveText ?? "") : p.objective.label
        round = p.round
        link = WebRoute.programme.link(id)
        enrolment = switch (p.enrolmentOpens, p.enrolmentCloses) {
        case let (o?, c?): "\(o) to \(c)"
        case let (nil, c?): "until \(c)"
        default: nil
        }
        commitment = p.commitment
        self.applied = applied
        pairingsLink = [.running, .closed].contains(p.status) ? WebRoute.programmePairings.link(id) : nil
        healthLink = [.running, .closed].contains(p.status) ? WebRoute.programmeHealth.link(id) : nil
    }
}
