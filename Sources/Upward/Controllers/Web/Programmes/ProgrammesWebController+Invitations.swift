import Fluent
import Vapor

/// Inviting people to a programme, and the funnel from invitation to application.
extension ProgrammesWebController {
    func invitations(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = try p.requireID()
        let rows = try await req.programmes.invitations(for: p)
        let departments = try await req.people.departments().map(\.name)
        let view = InvitationsView(
            p: try ProgrammeSummary(p), action: WebRoute.invitations.link(id), departments: departments,
            rows: rows.map {
                InvitationsView.Line(name: $0.person.name, department: $0.person.department, level: $0.person.level, audience: $0.audience,
                                     invitedOn: $0.invitedAt.map { Day($0).description } ?? "", opened: $0.openedAt != nil,
                                     application: $0.application.map(\.label))
            },
            invited: rows.count, opened: rows.filter { $0.openedAt != nil }.count,
            applied: rows.filter { $0.application?.countsAsApplied ?? false }.count,
            canInvite: ProgrammeService.mayInvite(to: p), programmeLink: WebRoute.programme.link(id))
        return try await req.page("invitations", title: "Invitations: \(p.name)", view)
    }

    func invite(req: Request) async throws -> Response {
        let p = try await programme(req)
        let form = try req.content.decode([String: String].self)
        let back = WebRoute.invitations.link(try p.requireID())
        var audience = ProgrammeService.Audience()
        if form["scope"] != "everybody" {
            audience.department = form["department"]?.trimmed.nilIfEmpty
            for (key, label) in [("minLevel", "The lowest level"), ("maxLevel", "The highest level")] {
                guard let text = form[key]?.trimmed, !text.isEmpty else { continue }
                guard let n = Int(text) else { return req.redirect(to: back, flash: "Not sent: \(label) must be a whole number; “\(text)” is not.") }
                if key == "minLevel" { audience.minLevel = n } else { audience.maxLevel = n }
            }
        }
        return try await req.redirecting(to: back, onRefusal: "Not sent") {
            let count = try await req.programmes.invite(audience, to: p, by: try req.user().email, linkBase: req.application.upward.publicURL)
            return req.redirect(to: back, flash: count == 0 ? "Everyone in \(audience.label) was already invited."
                                : "Invited \(count) \(count == 1 ? "person" : "people") (\(audience.label)). The invitations are in the outbox.")
        }
    }
}
