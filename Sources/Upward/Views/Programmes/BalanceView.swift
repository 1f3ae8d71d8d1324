/// Supply and demand among a programme's applications (`balance.leaf`).
struct BalanceView: Encodable {
    var p: ProgrammeSummary
    var balance: Balance
    var programmeLink: String
    var invitationsLink: String
}
