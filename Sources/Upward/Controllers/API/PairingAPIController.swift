import Fluent
import Vapor

/// The pairing's shared space over the API: the caller's pairings, the space, preparation, the agreement, goals,
/// meetings and notes (`+Work`), and the caller's calendar feed. Every pairing route asks `PairingSpaceService.space`
/// first, before reading the body: the pairing's members get it, anyone else — a coordinator, an admin or a sponsor
/// included — a 404, whatever they send.
struct PairingAPIController {
    /// Bounds for the numbers a request names: a version or revision beyond these was never written.
    static let versions = 1...1_000_000

    func register(on routes: any RoutesBuilder) {
        routes.get(APIRoute.myPairings.components, use: myPairings)
        routes.get(APIRoute.pairing.components, use: pairing)
        routes.post(APIRoute.preparation.components, use: acknowledgePreparation)
        routes.get(APIRoute.agreement.components, use: agreement)
        routes.put(APIRoute.agreement.components, use: editAgreement)
        routes.post(APIRoute.agreementSign.components, use: sign)
        routes.get(APIRoute.goals.components, use: goals)
        routes.post(APIRoute.goals.components, use: addGoal)
        routes.get(APIRoute.goal.components, use: goal)
        routes.patch(APIRoute.goal.components, use: updateGoal)
        routes.get(APIRoute.meetings.components, use: meetings)
        routes.post(APIRoute.meetings.components, use: addMeeting)
        routes.get(APIRoute.meeting.components, use: meeting)
        routes.patch(APIRoute.meeting.components, use: describeMeeting)
        routes.post(APIRoute.meetingActions.components, use: actOnMeeting)
        routes.get(APIRoute.meetingCalendar.components, use: meetingCalendar)
        routes.get(APIRoute.notes.components, use: notes)
        routes.post(APIRoute.notes.components, use: addNote)
        routes.patch(APIRoute.note.components, use: updateNote)
        routes.delete(APIRoute.note.components, use: deleteNote)
        routes.get(APIRoute.calendar.components, use: calendar)
        routes.post(APIRoute.calendar.components, use: newCalendar)
        routes.delete(APIRoute.calendar.components, use: revokeCalendar)
    }

    /// The space of the pairing in the path, for the caller: 404 unless they are one of its members.
    func space(_ req: Request) async throws -> PairingSpaceService.Space {
        try await req.pairingSpace.space(req.parameters.get("pairingID", as: UUID.self), for: req.user())
    }

    // MARK: The caller's pairings and the space

    func myPairings(req: Request) async throws -> [MyPairingDTO] {
        let user = try req.user()
        guard let personID = user.$person.id else { return [] }
        let service = req.pairingSpace
        var out: [MyPairingDTO] = []
        for pairing in try await service.pairings(of: personID) {
            let space = try await service.space(pairing.id, for: user)
            out.append(MyPairingDTO(id: space.pairingID, programme: try ProgrammeRefDTO(space.programme), status: pairing.status,
                                    activatedAt: pairing.activatedAt, side: space.me.side,
                                    partners: space.partners.compactMap { space.ref($0.$person.id) },
                                    nextStep: NextStepDTO(try await service.nextStep(space))))
        }
        return out
    }

    func pairing(req: Request) async throws -> PairingSpaceDTO {
        let space = try await space(req)
        let service = req.pairingSpace
        let now = req.clock.now()
        let agreement = try await service.agreementIfAny(space)
        let goals = try await service.goals(space)
        let meetings = try await service.meetings(space)
        return PairingSpaceDTO(
            id: space.pairingID, programme: try ProgrammeRefDTO(space.programme), status: space.pairing.status,
            activatedAt: space.pairing.activatedAt, writable: space.isWritable,
            you: YouDTO(personId: space.myPersonID, side: space.me.side, timeZone: PairingSpaceService.timeZone(of: space.me).identifier,
                        availability: space.me.application.availability),
            partners: space.partners.map { PartnerDTO($0, me: space.me, now: now) },
            agreement: agreement.map { AgreementStatusDTO($0, in: space) },
            goals: try goals.map { try GoalSummaryDTO($0, in: space) },
            missingGoalDirections: PairingSpaceService.missingDirections(goals, format: space.programme.format),
            meetings: try meetings.map { try MeetingDTO($0, in: space) },
            meetingStats: MeetingStatsDTO(MeetingStats(meetings, now: now)),
            nextStep: NextStepDTO(PairingSpaceService.nextStep(space, agreement: agreement, goals: goals, meetings: meetings, now: now)),
            preparation: PreparationDTO(space))
    }

    func acknowledgePreparation(req: Request) async throws -> PreparationDTO {
        let space = try await space(req)
        try await req.pairingSpace.acknowledgePreparation(space)
        return PreparationDTO(space)
    }

    // MARK: The agreement

    func agreement(req: Request) async throws -> AgreementDTO {
        let space = try await space(req)
        return AgreementDTO(try await req.pairingSpace.agreement(space), in: space)
    }

    /// New terms: a new version everyone signs (again); `basedOn` names the version edited (409 when stale).
    func editAgreement(req: Request) async throws -> AgreementDTO {
        let space = try await space(req)
        let body = try req.jsonBody(AgreementTermsBody.self)
        let service = req.pairingSpace
        let basedOn = try BoundedInt.check(body.basedOn, "basedOn", in: Self.versions) ?? 1
        try await service.editAgreement(space, terms: body.terms, basedOn: basedOn)
        return AgreementDTO(try await service.agreement(space), in: space)
    }

    /// Signs the version named; a version no longer current is a 409 (read it again first).
    func sign(req: Request) async throws -> AgreementDTO {
        let space = try await space(req)
        let body = try req.jsonBody(SignBody.self)
        let version = try BoundedInt.check(body.version, "version", in: Self.versions) ?? 1
        let service = req.pairingSpace
        try await service.sign(space, version: version)
        return AgreementDTO(try await service.agreement(space), in: space)
    }

    // MARK: The caller's calendar feed

    func calendar(req: Request) async throws -> CalendarStatusDTO {
        let created = try await req.pairingSpace.feedCreated(for: personID(req))
        return CalendarStatusDTO(active: created != nil, createdAt: created)
    }

    /// A new secret address, replacing any earlier one (which stops working at once).
    func newCalendar(req: Request) async throws -> Response {
        let secret = try await req.pairingSpace.newFeed(for: personID(req))
        let url = req.application.upward.publicURL + WebRoute.calendarFeed.link(secret + ".ics")
        return try await CalendarFeedDTO(url: url).encodeResponse(status: .created, for: req)
    }

    func revokeCalendar(req: Request) async throws -> HTTPStatus {
        try await req.pairingSpace.revokeFeed(for: personID(req))
        return .noContent
    }

    /// The directory person behind the caller's account: calendars are a person's, of their meetings.
    func personID(_ req: Request) throws -> UUID {
        guard let id = try req.user().$person.id else {
            throw Problem(.conflict, "Your account is not linked to a person in the directory, so it has no meetings to put in a calendar.")
        }
        return id
    }
}
