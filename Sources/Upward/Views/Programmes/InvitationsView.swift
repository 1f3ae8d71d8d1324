/// Who was invited to a programme, who opened its page and who applied; the form to invite more (`invitations.leaf`).
struct InvitationsView: Encodable {
    struct Line: Encodable {
        var name: String
        var department: String
        var level: Int
        var audience: String
        var invitedOn: String
        var opened: Bool
        var application: String?
    }

    var p: ProgrammeSummary
    var action: String
    var departments: [String]
    var rows: [Line]
    var invited: Int
    var opened: Int
    var applied: Int
    var canInvite: Bool
    var programmeLink: String
}
