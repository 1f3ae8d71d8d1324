import Fluent
import Vapor

/// A selected participant's private wishes: people they would like to be matched with, and would rather not be.
extension MatchingWebController {
    /// The signed-in person and their selected application in the programme.
    func mine(_ req: Request, _ p: Programme) async throws -> (Person, ProgrammeApplication) {
        let service = req.applications
        let me = try await service.applicant(try req.user())
        return (me, try await service.selectedApplication(of: me, in: p))
    }

    func preferencesForm(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = try p.requireID()
        let (_, mine) = try await mine(req, p)
        let others = try await req.matching.preferenceCandidates(for: mine, in: p)
        let view = PreferencesView(
            p: try ProgrammeSummary(p),
            choices: try others.map {
                let person = try $0.person.requireID()
                return PreferencesView.Choice(id: person.uuidString, name: $0.person.name, detail: "\($0.person.department), level \($0.person.level)",
                                              preferred: mine.preferred.contains(person), avoided: mine.avoided.contains(person))
            },
            action: WebRoute.preferences.link(id), programmeLink: WebRoute.programme.link(id),
            open: MatchingService.preferencesOpen(p))
        return try await req.page("preferences", title: "Matching preferences: \(p.name)", view)
    }

    func savePreferences(req: Request) async throws -> Response {
        let p = try await programme(req)
        let (_, mine) = try await mine(req, p)
        let form = try req.content.decode([String: String].self)
        var preferred: [UUID] = [], avoided: [UUID] = []
        for (key, value) in form where key.hasPrefix("choice_") {
            guard let id = UUID(uuidString: String(key.dropFirst(7))) else { continue }
            if value == "prefer" { preferred.append(id) } else if value == "avoid" { avoided.append(id) }
        }
        try await req.matching.setPreferences(mine, preferred: preferred, avoided: avoided, programme: p)
        return req.redirect(to: WebRoute.programme.link(try p.requireID()),
                            flash: "Your matching preferences are saved. Only you and the coordinator see them.")
    }
}
