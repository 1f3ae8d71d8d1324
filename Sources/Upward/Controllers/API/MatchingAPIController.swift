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

    struct RunDTO: Content {
        var id: UUID
        var number: Int
        var status: RunStatus
        var progress: Double
        var seconds: Double?
        var error: String?
        var published: Bool
        var createdBy: String
        var createdAt: Date?
        var settings: MatchingSettings
        var matchedShare: Double
        var total: Double
        var lowestScore: Double?
        var pins: [[UUID]]
        var forbidden: [[UUID]]
        /// In a list of runs: proposals this run has that the run before it did not.
        var pairsChanged: Int?
        /// The coordinator's changes since the engine's result; `matchedShare`, `total` and `lowestScore` are the
        /// engine's, `result` the current revision.
        var adjustments: [RunResult.Adjustment]
        var result: RunResult?

        init(_ run: MatchingRun, service: MatchingService, programme: Programme, withResult: Bool) {
            let result = service.computedResult(of: run)
            let current = service.result(of: run)
            id = run.id!
            number = run.number
            status = run.status
            progress = run.progress
            seconds = run.seconds
            error = run.error
            published = run.publishedAt != nil
            createdBy = run.createdBy
            createdAt = run.createdAt
            settings = JSONText.decode(MatchingSettings.self, run.settingsJSON, default: MatchingService.defaultSettings(for: programme))
            matchedShare = result.matchedShare
            total = result.total
            lowestScore = result.lowest
            pins = JSONText.decode([[UUID]].self, run.pinsJSON)
            forbidden = JSONText.decode([[UUID]].self, run.forbiddenJSON)
            adjustments = current.adjustments
            self.result = withResult ? current : nil
        }
    }

    func programme(_ req: Request) async throws -> Programme {
        try await ProgrammeService(database: req.db).find(req.parameters.get("programmeID", as: UUID.self))
    }

    func runs(req: Request) async throws -> [RunDTO] {
        let p = try await programme(req)
        let service = MatchingService(database: req.db)
        let runs = try await service.runs(of: p)
        return runs.enumerated().map { k, run in
            var dto = RunDTO(run, service: service, programme: p, withResult: false)
            if k + 1 < runs.count, run.status == .done {
                dto.pairsChanged = service.pairsChanged(service.computedResult(of: run), since: service.computedResult(of: runs[k + 1]))
            }
            return dto
        }
    }

    struct StartBody: Content {
        /// Only what differs from the current settings (the last run's, or the format's defaults).
        var settings: MatchingSettingsPatch?
        /// Start from this run's settings, pins and forbidden pairs.
        var rerunOf: UUID?
        /// Wait for the result (default), or answer at once with the running run (`false`) and poll it.
        var wait: Bool?
    }

    func startRun(req: Request) async throws -> Response {
        let p = try await programme(req)
        let body = try req.jsonBody(StartBody.self, whenAbsent: StartBody())
        let service = MatchingService(database: req.db)
        var settings = try await service.currentSettings(for: p)
        var pins: [[UUID]] = [], forbidden: [[UUID]] = []
        if let previous = body.rerunOf {
            guard let run = try await MatchingRun.find(previous, on: req.db), run.$programme.id == p.id else {
                throw InvalidInput(issues: [FieldIssue(field: "rerunOf", message: "rerunOf names no run of this programme; GET its runs to find one.")])
            }
            settings = JSONText.decode(MatchingSettings.self, run.settingsJSON, default: settings)
            pins = JSONText.decode([[UUID]].self, run.pinsJSON)
            forbidden = JSONText.decode([[UUID]].self, run.forbiddenJSON)
        }
        if let patch = body.settings { settings = try patch.applied(to: settings) }
        let run = try await service.startRun(p, settings: settings, pins: pins, forbidden: forbidden, by: try req.user().email,
                                             background: body.wait == false ? true : nil)
        return try await RunDTO(run, service: service, programme: p, withResult: true).encodeResponse(status: .created, for: req)
    }

    func findRun(_ req: Request) async throws -> (MatchingRun, Programme) {
        guard let id = req.parameters.get("runID", as: UUID.self), let run = try await MatchingRun.find(id, on: req.db),
              let p = try await Programme.find(run.$programme.id, on: req.db) else {
            throw Problem(.notFound, "No run has that id. List a programme's runs to find it.")
        }
        return (run, p)
    }

    func run(req: Request) async throws -> RunDTO {
        let (run, p) = try await findRun(req)
        return RunDTO(run, service: MatchingService(database: req.db), programme: p, withResult: true)
    }

    struct AdjustBody: Content {
        enum Action: String, Codable, CaseIterable { case pin, forbid, swap, pair }
        var action: Action
        /// Application ids.
        var mentee: UUID
        var mentor: UUID?
        var otherMentee: UUID?
        /// For `pair`: make the pair although it breaks a rule, was ruled out or was declined (otherwise 409 names what it breaks).
        var confirm: Bool?
    }

    struct AdjustResult: Content {
        var run: RunDTO
        var warnings: [String]
    }

    /// `pin` (toggles), `forbid`, `swap` (with `otherMentee`), `pair` (by hand; `warnings` name any broken rule).
    func adjust(req: Request) async throws -> AdjustResult {
        let (run, p) = try await findRun(req)
        let body = try req.jsonBody(AdjustBody.self)
        let service = MatchingService(database: req.db)
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
        return AdjustResult(run: RunDTO(run, service: service, programme: p, withResult: true), warnings: warnings)
    }

    struct PublishResult: Content { var published: Int }

    func publish(req: Request) async throws -> PublishResult {
        let (run, p) = try await findRun(req)
        let count = try await MatchingService(database: req.db).publish(run, programme: p, by: try req.user().email, linkBase: req.application.upward.publicURL)
        return PublishResult(published: count)
    }

    struct MemberDTO: Content {
        var personId: UUID
        var name: String
        var side: MemberSide
        var answer: ConsentAnswer
        /// Coordinators only: the private reason for a decline.
        var reason: String?
        var answeredAt: Date?
    }

    struct PairingDTO: Content {
        var id: UUID
        var status: PairingStatus
        var deadline: String
        var runId: UUID
        var members: [MemberDTO]
    }

    func pairings(req: Request) async throws -> [PairingDTO] {
        let p = try await programme(req)
        return try await Pairing.query(on: req.db).filter(\.$programme.$id == p.requireID()).with(\.$members) { $0.with(\.$person) }
            .sort(\.$createdAt).all().map { pairing in
                PairingDTO(id: pairing.id!, status: pairing.status, deadline: pairing.deadline, runId: pairing.$run.id,
                           members: pairing.members.map { MemberDTO(personId: $0.$person.id, name: $0.person.name, side: $0.side, answer: $0.answer,
                                                                    reason: $0.reason, answeredAt: $0.answeredAt) })
            }
    }

    struct NudgeResult: Content { var nudged: Int }

    func nudge(req: Request) async throws -> NudgeResult {
        NudgeResult(nudged: try await MatchingService(database: req.db, clock: req.clock).nudge(programme(req), linkBase: req.application.upward.publicURL))
    }

    // MARK: Participants

    func mine(_ req: Request, _ p: Programme) async throws -> ProgrammeApplication {
        let service = ApplicationService(database: req.db)
        return try await service.selectedApplication(of: service.applicant(try req.user()), in: p)
    }

    struct PreferencesBody: Content {
        var preferred: [UUID]
        var avoided: [UUID]
    }

    /// Person ids of people you would like to be matched with, and would rather not be. Private.
    func setPreferences(req: Request) async throws -> PreferencesBody {
        let p = try await programme(req)
        let application = try await mine(req, p)
        let body = try req.jsonBody(PreferencesBody.self)
        try await MatchingService(database: req.db).setPreferences(application, preferred: body.preferred, avoided: body.avoided, programme: p)
        return PreferencesBody(preferred: application.preferred, avoided: application.avoided)
    }

    struct MatchDTO: Content {
        var pairingId: UUID
        var status: PairingStatus
        var deadline: String
        var explanation: String
        var yourAnswer: ConsentAnswer
        /// Your partners' names and answers; never their reasons.
        var partners: [MemberDTO]
    }

    func current(_ req: Request, _ application: ProgrammeApplication) async throws -> PairingMember {
        guard let latest = try await MatchingService(database: req.db).currentMember(of: application) else {
            throw Problem(.notFound, "No proposal has been published for you yet.")
        }
        return latest
    }

    func myMatch(req: Request) async throws -> MatchDTO {
        let p = try await programme(req)
        let application = try await mine(req, p)
        let me = try await current(req, application)
        let members = try await PairingMember.query(on: req.db).filter(\.$pairing.$id == me.$pairing.id).with(\.$person).all()
        let pairing = try await Pairing.require(me.$pairing.id, on: req.db, "This pairing no longer exists.")
        return MatchDTO(pairingId: pairing.id!, status: pairing.status, deadline: pairing.deadline, explanation: me.explanation, yourAnswer: me.answer,
                        partners: members.filter { $0.side != me.side }.map {
                            MemberDTO(personId: $0.$person.id, name: $0.person.name, side: $0.side, answer: $0.answer, reason: nil, answeredAt: $0.answeredAt)
                        })
    }

    struct AnswerBody: Content {
        var accept: Bool
        var reason: String?
    }

    /// Accept or decline before the deadline. The same answer twice changes nothing.
    func answer(req: Request) async throws -> MatchDTO {
        let p = try await programme(req)
        let application = try await mine(req, p)
        let body = try req.jsonBody(AnswerBody.self)
        try await MatchingService(database: req.db).respond(try await current(req, application), accept: body.accept, reason: body.reason)
        return try await myMatch(req: req)
    }
}
