import Fluent
import Vapor

/// Keeping pairs on track over the API. For a pairing's members (404 for anyone else, as in the space): their own
/// check-ins, a re-think session, leaving the pairing and answering the re-match offer. For the coordinator: the
/// programme-health board, one pairing's summary (signals and counts, never the pair's words), suggesting a
/// re-think, ending a pairing, and handling alerts.
struct HealthAPIController {
    func register(on routes: any RoutesBuilder) {
        routes.get(APIRoute.checkIns.components, use: checkIns)
        routes.post(APIRoute.checkIns.components, use: answerCheckIn)
        routes.post(APIRoute.rethink.components, use: rethink)
        routes.post(APIRoute.pairingEnd.components, use: leave)
        routes.post(APIRoute.rematch.components, use: rematch)
        let coordinators = routes.grouped(RequireRole(.admin, .coordinator))
        coordinators.get(APIRoute.health.components, use: board)
        coordinators.get(APIRoute.healthPairing.components, use: pairingHealth)
        coordinators.post(APIRoute.rethinkSuggestion.components, use: suggestRethink)
        coordinators.post(APIRoute.endPairing.components, use: endPairing)
        coordinators.post(APIRoute.alert.components, use: handleAlert)
    }

    func space(_ req: Request) async throws -> PairingSpaceService.Space {
        try await req.pairingSpace.space(req.parameters.get("pairingID", as: UUID.self), for: req.user())
    }

    func programme(_ req: Request) async throws -> Programme {
        try await req.programmes.find(req.parameters.get("programmeID", as: UUID.self), for: req.user().role)
    }

    // MARK: Members

    func checkIns(req: Request) async throws -> CheckInsDTO {
        let space = try await space(req)
        return CheckInsDTO(
            privacy: PairingCheckInView.privacy,
            due: try await req.checkIns.due(space).map { CheckInDueDTO(kind: $0.kind, day: $0.day.description, answered: $0.answered, overdue: $0.overdue) },
            answers: try await req.checkIns.answers(space).map(CheckInDTO.init))
    }

    func answerCheckIn(req: Request) async throws -> Response {
        let space = try await space(req)
        let body = try req.jsonBody(CheckInBody.self)
        guard let day = Day(body.day) else {
            throw InvalidInput(issues: [FieldIssue(field: "day", message: "day is the date the check-in fell due, yyyy-MM-dd, as GET check-ins lists it.")])
        }
        let answer = CheckInService.Answer(relationship: body.relationship, safety: body.safety, progress: body.progress, fit: body.fit,
                                           needsHelp: body.needsHelp, comment: body.comment)
        let saved = try await req.checkIns.answer(space, kind: body.kind, day: day, answer)
        return try await CheckInDTO(saved).encodeResponse(status: .created, for: req)
    }

    func rethink(req: Request) async throws -> Response {
        let space = try await space(req)
        let meeting = try await req.pairingSpace.planRethink(space)
        return try await MeetingDTO(meeting, in: space).encodeResponse(status: .created, for: req)
    }

    func leave(req: Request) async throws -> HTTPStatus {
        let space = try await space(req)
        let body = try req.jsonBody(EndBody.self)
        try await req.endings.leave(space, reason: body.reason, wantAnother: body.wantAnother ?? false, linkBase: req.application.upward.publicURL)
        return .noContent
    }

    func rematch(req: Request) async throws -> RematchDTO {
        let space = try await space(req)
        let body = try req.jsonBody(RematchBody.self)
        try await req.endings.answerRematch(space, want: body.want)
        return RematchDTO(rematch: body.want ? .wanted : .declined)
    }

    // MARK: Coordinators

    /// The board's query, checked: every value named, every number in range.
    /// `lenientPage`: a page number out of range shows the nearest page (a link someone typed), as pages do.
    static func boardQuery(_ req: Request, lenientPage: Bool = false) throws -> BoardQuery {
        var raw = try req.strictQuery(BoardQueryDTO.self)
        if lenientPage { raw.page = raw.page.map { min(max($0, 1), PageRequest.maxPage) } }
        var issues: [FieldIssue] = []
        var query = BoardQuery()
        func parse<T: RawRepresentable & CaseIterable>(_ text: String?, _ field: String) -> T? where T.RawValue == String {
            guard let text, !text.isEmpty else { return nil }
            guard let value = T(rawValue: text) else {
                issues.append(FieldIssue(field: field, message: "\(field) must be one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))."))
                return nil
            }
            return value
        }
        query.state = parse(raw.state, "state")
        query.alert = parse(raw.alert, "alert")
        query.sort = parse(raw.sort, "sort") ?? .state
        if let department = raw.department?.trimmed, !department.isEmpty {
            issues += TextLimit.problems([("department", department, TextLimit.line)])
            query.department = department
        }
        do {
            let paging = try PageRequest(page: raw.page, per: raw.per, defaultPer: 50, maxPer: BoardQuery.maxPer)
            (query.page, query.per) = (paging.page, paging.per)
        } catch let invalid as InvalidInput { issues += invalid.issues }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        return query
    }

    func board(req: Request) async throws -> BoardDTO {
        let programme = try await programme(req)
        let query = try Self.boardQuery(req)
        let (board, matching) = try await req.health.board(of: programme, query: query)
        return try BoardDTO(board, matching: matching, query: query)
    }

    func pairingHealth(req: Request) async throws -> PairingHealthDTO {
        let programme = try await programme(req)
        let (row, alerts, pairing, checkIns) = try await req.health.pairingSummary(req.parameters.get("pairingID", as: UUID.self), in: programme)
        let names = Dictionary(row.members.map { ($0.personID, $0.name) }, uniquingKeysWith: { a, _ in a })
        return PairingHealthDTO(row: BoardRowDTO(row), alerts: try alerts.map(AlertDTO.init),
                                checkIns: try checkIns.map { MemberCheckInDTO(person: $0.personID, name: names[$0.personID] ?? "A member", answer: try CheckInDTO($0)) },
                                rethinkSuggestedAt: pairing.rethinkSuggestedAt,
                                endReason: pairing.endReason, endedBy: HealthBoardView.endedBy(pairing, members: row.members))
    }

    func suggestRethink(req: Request) async throws -> HTTPStatus {
        let programme = try await programme(req)
        try await req.health.suggestRethink(req.parameters.get("pairingID", as: UUID.self), in: programme)
        return .noContent
    }

    func endPairing(req: Request) async throws -> HTTPStatus {
        let programme = try await programme(req)
        let body = try req.jsonBody(CoordinatorEndBody.self)
        try await req.endings.end(req.parameters.get("pairingID", as: UUID.self), in: programme, reason: body.reason,
                                  by: try req.user().email, linkBase: req.application.upward.publicURL)
        return .noContent
    }

    func handleAlert(req: Request) async throws -> AlertDTO {
        let programme = try await programme(req)
        let body = try req.jsonBody(AlertBody.self)
        guard body.status != .open else {
            throw InvalidInput(issues: [FieldIssue(field: "status", message: "status is acknowledged (you are handling it) or resolved.")])
        }
        let alert = try await req.health.handle(req.parameters.get("alertID", as: UUID.self), in: programme, resolve: body.status == .resolved,
                                                note: body.note, by: try req.user().email)
        return try AlertDTO(alert)
    }
}
