import Fluent
import Vapor

/// `/api/v1/programmes…` and `/api/v1/applications…`: design, stages, invitations, applications, selection, balance.
struct ProgrammesAPIController {
    func register(on routes: any RoutesBuilder) {
        let members = routes.grouped(RequireRole(.admin, .coordinator, .participant))
        members.get(APIRoute.programmes.components, use: list)
        members.get(APIRoute.programme.components, use: detail)
        members.get(APIRoute.myApplication.components, use: myApplication)
        members.put(APIRoute.myApplication.components, use: saveApplication)
        members.post(APIRoute.withdraw.components, use: withdraw)
        let coordinators = routes.grouped(RequireRole(.admin, .coordinator))
        coordinators.post(APIRoute.programmes.components, use: create)
        coordinators.patch(APIRoute.programme.components, use: update)
        coordinators.post(APIRoute.programmeActions.components, use: act)
        coordinators.post(APIRoute.runAgain.components, use: runAgain)
        coordinators.get(APIRoute.balance.components, use: balance)
        coordinators.get(APIRoute.invitations.components, use: invitations)
        coordinators.post(APIRoute.invitations.components, use: invite)
        coordinators.get(APIRoute.applications.components, use: applications)
        coordinators.get(APIRoute.ranking.components, use: ranking)
        coordinators.post(APIRoute.ranking.components, use: applyRanking)
        coordinators.get(APIRoute.application.components, use: application)
        coordinators.post(APIRoute.decision.components, use: decide)
    }

    /// The programme in the path; a draft is not found for participants and sponsors.
    func programme(_ req: Request) async throws -> Programme {
        try await req.programmes.find(req.parameters.get("programmeID", as: UUID.self), for: req.user().role)
    }

    func list(req: Request) async throws -> [ProgrammeDTO] {
        try await req.programmes.all(for: req.user().role).map { ProgrammeDTO($0) }
    }

    func detail(req: Request) async throws -> ProgrammeDTO {
        let p = try await programme(req)
        let role = try req.user().role
        let coordinating = role == .admin || role == .coordinator
        return ProgrammeDTO(p, warnings: coordinating ? try await req.programmes.warnings(for: p) : nil)
    }

    /// The body is a programme's settings; only `name` is required, the rest take the format's defaults.
    func create(req: Request) async throws -> Response {
        let patch = try req.jsonBody(ProgrammePatch.self)
        let input = patch.applied(to: .defaults(for: patch.format ?? .reverse))
        let created = try await req.programmes.create(input, by: try req.user().email)
        let warnings = try await req.programmes.warnings(for: created)
        return try await ProgrammeDTO(created, warnings: warnings).encodeResponse(status: .created, for: req)
    }

    /// Changes only the keys in the body.
    func update(req: Request) async throws -> ProgrammeDTO {
        let p = try await programme(req)
        let patch = try req.jsonBody(ProgrammePatch.self)
        let service = req.programmes
        try await service.update(p, with: patch.applied(to: ProgrammeInput(p)))
        return ProgrammeDTO(p, warnings: try await service.warnings(for: p))
    }

    /// Moves the programme on; 409 with the reason when the move is not allowed.
    func act(req: Request) async throws -> ProgrammeDTO {
        let p = try await programme(req)
        let body = try req.jsonBody(ProgrammeActionBody.self)
        try await req.programmes.perform(body.action, on: p, lessons: body.lessons, stories: body.stories)
        return ProgrammeDTO(p)
    }

    func runAgain(req: Request) async throws -> Response {
        let p = try await programme(req)
        let next = try await req.programmes.runAgain(p, by: try req.user().email)
        return try await ProgrammeDTO(next).encodeResponse(status: .created, for: req)
    }

    func balance(req: Request) async throws -> Balance {
        try await req.applications.balance(of: programme(req))
    }

    func invitations(req: Request) async throws -> [InvitationDTO] {
        try await req.programmes.invitations(for: programme(req)).map {
            InvitationDTO(personId: try $0.person.requireID(), name: $0.person.name, department: $0.person.department, level: $0.person.level,
                          audience: $0.audience, invitedAt: $0.invitedAt, openedAt: $0.openedAt, application: $0.application)
        }
    }

    /// Invites a department, a level range, both, or (with an empty body) everybody not invited yet.
    func invite(req: Request) async throws -> InviteResult {
        let p = try await programme(req)
        let body = try req.jsonBody(InviteBody.self, whenAbsent: InviteBody())
        _ = try BoundedInt.check(body.minLevel, "minLevel", in: Person.levelRange)
        _ = try BoundedInt.check(body.maxLevel, "maxLevel", in: Person.levelRange)
        let count = try await req.programmes.invite(
            .init(department: body.department, minLevel: body.minLevel, maxLevel: body.maxLevel), to: p,
            by: try req.user().email, linkBase: req.application.upward.publicURL)
        return InviteResult(invited: count)
    }

    func applications(req: Request) async throws -> [ApplicationDTO] {
        let p = try await programme(req)
        return try await req.applications.submittedApplications(in: p).map { ApplicationDTO($0, person: $0.person) }
    }

    func criteria(_ text: String?) throws -> [ApplicationService.Criterion] {
        guard let text, !text.isEmpty else { return [] }
        let names = ApplicationService.Criterion.allCases.map(\.rawValue).joined(separator: ", ")
        var seen = Set<ApplicationService.Criterion>()
        return try text.split(separator: ",").map { name in
            guard let c = ApplicationService.Criterion(rawValue: String(name).trimmed) else {
                throw InvalidInput(issues: [FieldIssue(field: "criteria", message: "“\(name.prefix(40))” is not a ranking criterion; use \(names).")])
            }
            guard seen.insert(c).inserted else {
                throw InvalidInput(issues: [FieldIssue(field: "criteria", message: "“\(c.rawValue)” is named twice; name each criterion once.")])
            }
            return c
        }
    }

    /// `?role=mentee&criteria=departmentSpread,firstTime`: the applicants of one role, best first.
    func ranking(req: Request) async throws -> [RankedDTO] {
        let p = try await programme(req)
        let q = try req.strictQuery(RankingQuery.self)
        let role = q.role ?? p.format.roles[0]
        return try await req.applications.ranking(p, role: role, criteria: criteria(q.criteria)).map {
            RankedDTO(rank: $0.rank, points: $0.points, firstTime: $0.firstTime,
                      breakdown: Dictionary($0.breakdown.map { ($0.0.rawValue, $0.1) }, uniquingKeysWith: { first, _ in first }),
                      application: ApplicationDTO($0.application, person: $0.person))
        }
    }

    /// Selects the best-ranked undecided applicants up to capacity and waitlists the rest.
    func applyRanking(req: Request) async throws -> RankingResult {
        let p = try await programme(req)
        let q = try req.strictQuery(RankingQuery.self)
        let result = try await req.applications.applyRanking(p, criteria: criteria(q.criteria), by: try req.user().email)
        return RankingResult(selected: result.selected, waitlisted: result.waitlisted)
    }

    func findApplication(_ req: Request) async throws -> ProgrammeApplication {
        try await req.applications.application(req.parameters.get("applicationID", as: UUID.self))
    }

    func application(req: Request) async throws -> ApplicationDetailDTO {
        let a = try await findApplication(req)
        let decisions = try await req.applications.decisions(for: a)
        return ApplicationDetailDTO(application: ApplicationDTO(a, person: a.person),
                                 decisions: decisions.map { DecisionDTO(status: $0.status, decidedBy: $0.decidedBy, note: $0.note, at: $0.createdAt) })
    }

    /// `{"status": "selected" | "waitlisted" | "declined", "note": …}` and/or `{"motivationReview": 1…5}`.
    func decide(req: Request) async throws -> ApplicationDTO {
        let a = try await findApplication(req)
        let body = try req.jsonBody(DecisionBody.self)
        let service = req.applications
        if body.motivationReview != nil { try await service.review(a, motivation: body.motivationReview) }
        if let status = body.status { try await service.decide(a, status, by: try req.user().email, note: body.note) }
        return ApplicationDTO(a, person: a.person)
    }

    func me(_ req: Request) async throws -> Person {
        try await req.applications.applicant(try req.user())
    }

    func myApplication(req: Request) async throws -> ApplicationDTO {
        let p = try await programme(req)
        let person = try await me(req)
        guard let a = try await req.applications.application(of: person.requireID(), in: p) else {
            throw Problem(.notFound, "You have not applied to “\(p.name)” yet. PUT your answers here to save a draft or submit.")
        }
        return ApplicationDTO(a, person: person)
    }

    /// Saves a draft, or submits with `?submit=true`. A submitted application can be changed until enrolment closes.
    func saveApplication(req: Request) async throws -> ApplicationDTO {
        let p = try await programme(req)
        let person = try await me(req)
        let input = try req.jsonBody(ApplicationInput.self)
        let submit = try req.strictQuery(ApplicationSaveQuery.self).submit ?? false
        let a = try await req.applications.save(input, for: person, in: p, submit: submit)
        return ApplicationDTO(a, person: person)
    }

    func withdraw(req: Request) async throws -> ApplicationDTO {
        let p = try await programme(req)
        let person = try await me(req)
        let service = req.applications
        guard let a = try await service.application(of: person.requireID(), in: p) else {
            throw Problem(.notFound, "You have not applied to “\(p.name)”.")
        }
        try await service.withdraw(a, by: person.email)
        return ApplicationDTO(try await service.application(a.requireID()), person: person)
    }
}
