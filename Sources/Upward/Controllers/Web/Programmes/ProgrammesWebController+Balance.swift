import Vapor

/// Supply and demand among a programme's applications.
extension ProgrammesWebController {
    func balance(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = try p.requireID()
        let view = BalanceView(p: try ProgrammeSummary(p), balance: try await req.applications.balance(of: p),
                               programmeLink: WebRoute.programme.link(id), invitationsLink: WebRoute.invitations.link(id))
        return try await req.page("balance", title: "Balance: \(p.name)", view)
    }
}
