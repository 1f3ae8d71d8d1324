import Fluent
import Matching
import Vapor

/// Matching over the API: runs, adjustments, publication, consent status and answers, preferences.
struct MatchingAPIController {
    func register(on routes: any RoutesBuilder) {
        let members = routes.grouped(RequireRole(.admin, .coordinator, .participant))
        members.put(APIRoute.preferences.components, use: setPreferences)
        members.get(APIRoute.myMatch.components, use: myMatch)
        members.post(APIRoute.matchAnswer.components, use: answer)
        let coordinators = routes.grouped(RequireRole(.admin, .coordinator))
        coordinators.get(APIRoute.runs.components, use: runs)
        coordinators.post(APIRoute.runs.components, use: startRun)
        coordinators.get(APIRoute.run.components, use: run)
        coordinators.post(APIRoute.runAdjustments.components, use: adjust)
        coordinators.post(APIRoute.runPublish.components, use: publish)
        coordinators.get(APIRoute.pairings.components, use: pairings)
        coordinators.post(APIRoute.nudge.components, use: nudge)
    }

    /// The programme in the path; a draft is not found for participants and sponsors.
    func programme(_ req: Request) async throws -> Programme {
        try await req.programmes.find(req.parameters.get("programmeID", as: UUID.self), for: req.user().role)
    }

    func runDTO(_ run: MatchingRun, _ p: Programme, _ service: MatchingService, withResult: Bool = true) throws -> RunDTO {
        try RunDTO(run, results: service.results(of: run), settings: MatchingService.settings(of: run, in: p), withResult: withResult)
    }

    func runs(req: Request) async throws -> [RunDTO] {
        let p = try await programme(req)
        let service = req.matching
        let runs = try await service.runs(of: p)
        let results = runs.map(service.results)   // each run's results decoded once
        return try runs.indices.map { k in
            var dto = try RunDTO(runs[k], results: results[k], settings: MatchingService.settings(of: runs[k], in: p), withResult: false)
            if k + 1 < runs.count, runs[k].status == .done {
                dto.pairsChanged = service.pairsChanged(results[k].computed, since: results[k + 1].computed)
            }
            return dto
        }
    }

    func startRun(req: Request) async throws -> Response {
        let p = try await programme(req)
        let body = try req.jsonBody(RunStartBody.self, whenAbsent: RunStartBody())
        let service = req.matching
        var settings = try await service.currentSettings(for: p)
        var pins: [[UUID]] = [], forbidden: [[UUID]] = []
        if let previous = body.rerunOf {
            guard let (run, _) = try await service.existingRun(previous, of: p) else {
                throw InvalidInput(issues: [FieldIssue(field: "rerunOf", message: "rerunOf names no run of this programme; GET its runs to find one.")])
            }
            (settings, pins, forbidden) = (MatchingService.settings(of: run, in: p), run.pins, run.forbidden)
        }
        if let patch = body.settings { settings = try patch.applied(to: settings) }
        let run = try await service.startRun(p, settings: settings, pins: pins, forbidden: forbidden, by: try req.user().email,
                                             background: body.wait == false ? true : nil)
        return try await runDTO(run, p, service).encodeResponse(status: .created, for: req)
    }

    func findRun(_ req: Request) async throws -> (MatchingRun, Programme) {
        try await req.matching.run(req.parameters.get("runID", as: UUID.self))
    }

    func run(req: Request) async throws -> RunDTO {
        let (run, p) = try await findRun(req)
        return try runDTO(run, p, req.matching)
    }

    /// `pin` (toggles), `forbid`, `swap` (with `otherMentee`), `pair` (by hand; `warnings` name any broken rule).
    func adjust(req: Request) async throws -> RunAdjustResult {
        let (run, p) = try await findRun(req)
        let body = try req.jsonBody(RunAdjustBody.self)
        let service = req.matching
        var warnings: [String] = []
        func mentor() throws -> UUID {
            guard let m = body.mentor else { throw InvalidInput(issues: [FieldIssue(field: "mentor", message: "Name the mentor's application id.")]) }
            return m
        }
        let author = try req.user().email
        switch body.action {
        case .pin: try await service.pin(run, mentee: body.mentee, mentor: mentor(), by: author)
        case .forbid: try await service.forbid(run, mentee: body.mentee, mentor: mentor(), by: author)
        case .pair: warnings = try await service.manualPair(run, mentee: body.mentee, mentor: mentor(), programme: p, confirmed: body.confirm ?? false, by: author)
        case .swap:
            guard let other = body.otherMentee else { throw InvalidInput(issues: [FieldIssue(field: "otherMentee", message: "Name the other mentee's application id.")]) }
            warnings = try await service.swap(run, menteeA: body.mentee, menteeB: other, programme: p, by: author)
        }
        return RunAdjustResult(run: try runDTO(run, p, service), warnings: warnings)
    }

    func publish(req: Request) async throws -> PublishResult {
        let (run, p) = try await findRun(req)
        let count = try await req.matching.publish(run, programme: p, by: try req.user().email, linkBase: req.application.upward.publicURL)
        return PublishResult(published: count)
    }

    /// Consent at a glance, and for a pairing that started, its space in counts (never the pair's words).
    func pairings(req: Request) async throws -> [PairingDTO] {
        let p = try await programme(req)
        let summaries = try await req.pairingSpace.summaries(of: p)
        return try await req.matching.pairings(of: p).map { pairing in
            var dto = try PairingDTO(pairing, for: .coordinator)
            dto.space = summaries[dto.id].map(PairingSpaceSummaryDTO.init)
            return dto
        }
    }

    func nudge(req: Request) async throws -> NudgeResult {
        NudgeResult(nudged: try await req.matching.nudge(programme(req), linkBase: req.application.upward.publicURL))
    }

    // MARK: Participants

    func mine(_ req: Request, _ p: Programme) async throws -> ProgrammeApplication {
        let service = req.applications
        return try await service.selectedApplication(of: service.applicant(try req.user()), in: p)
    }

    /// Person ids of people you would like to be matched with, and would rather not be. Private.
    func setPreferences(req: Request) async throws -> PreferencesBody {
        let p = try await programme(req)
        let application = try await mine(req, p)
        let body = try req.jsonBody(PreferencesBody.self)
        try await req.matching.setPreferences(application, preferred: body.preferred, avoided: body.avoided, programme: p)
        return PreferencesBody(preferred: application.preferred, avoided: application.avoided)
    }

    func myMatch(req: Request) async throws -> MatchDTO {
        let p = try await programme(req)
        return try MatchDTO(await req.matching.match(of: mine(req, p)))
    }

    /// Accept or decline before the deadline. The same answer twice changes nothing.
    func answer(req: Request) async throws -> MatchDTO {
        let p = try await programme(req)
        let application = try await mine(req, p)
        let body = try req.jsonBody(MatchAnswerBody.self)
        let service = req.matching
        try await service.respond(try await service.match(of: application).me, accept: body.accept, reason: body.reason)
        return try MatchDTO(await service.match(of: application))
    }
}
