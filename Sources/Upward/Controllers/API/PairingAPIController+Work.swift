import Fluent
import Vapor

// Goals, meetings and notes of a pairing's space. Each route asks for the space first (404 for anyone not in the
// pairing), then reads its body.
extension PairingAPIController {
    // MARK: Goals

    func goals(req: Request) async throws -> [GoalDTO] {
        let space = try await space(req)
        return try await req.pairingSpace.goals(space).map { try GoalDTO($0, in: space) }
    }

    func addGoal(req: Request) async throws -> Response {
        let space = try await space(req)
        let body = try req.jsonBody(NewGoalBody.self)
        try checkTasks(body.tasks ?? [])
        let content = GoalContent(
            learner: body.learner ?? PairingSpaceService.defaultLearner(for: space.programme.format), title: body.title,
            measure: body.measure, targetDate: body.targetDate, tasks: (body.tasks ?? []).map { GoalTask(title: $0.title, done: $0.done) },
            progress: try BoundedInt.check(body.progress, "progress", in: 0...100) ?? 0, status: body.status ?? .open)
        let service = req.pairingSpace
        let goal = try await service.addGoal(space, content, why: body.why, progressFromTasks: body.progressFromTasks ?? false)
        return try await GoalDTO(goal, in: space, revisions: service.revisions(of: goal)).encodeResponse(status: .created, for: req)
    }

    func goal(req: Request) async throws -> GoalDTO {
        let space = try await space(req)
        let service = req.pairingSpace
        let goal = try await service.goal(space, req.parameters.get("goalID", as: UUID.self))
        return try await GoalDTO(goal, in: space, revisions: service.revisions(of: goal))
    }

    /// The goal's whole content after the change; `revision` (the one edited) guards against overwriting a partner's.
    func updateGoal(req: Request) async throws -> GoalDTO {
        let space = try await space(req)
        let body = try req.jsonBody(GoalChangeBody.self)
        try checkTasks(body.tasks)
        let content = GoalContent(
            learner: body.learner, title: body.title, measure: body.measure, targetDate: body.targetDate,
            tasks: body.tasks.map { GoalTask(title: $0.title, done: $0.done) },
            progress: try BoundedInt.check(body.progress, "progress", in: 0...100) ?? 0, status: body.status)
        let revision = try BoundedInt.check(body.revision, "revision", in: Self.versions)
        let service = req.pairingSpace
        let goal = try await service.updateGoal(space, req.parameters.get("goalID", as: UUID.self), content, why: body.why,
                                                basedOn: revision, progressFromTasks: body.progressFromTasks ?? false)
        return try await GoalDTO(goal, in: space, revisions: service.revisions(of: goal))
    }

    /// Tasks as sent, before the service drops the empty ones: so many tasks or a title so long is refused whatever it holds.
    func checkTasks(_ tasks: [GoalTaskBody]) throws {
        let issues = TextLimit.problems(list: "tasks", tasks.map(\.title))
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
    }

    // MARK: Meetings

    func meetings(req: Request) async throws -> [MeetingDTO] {
        let space = try await space(req)
        return try await req.pairingSpace.meetings(space).map { try MeetingDTO($0, in: space) }
    }

    /// "Log a meeting we had" (`held: true`, in the past) or plan an extra one (`held: false`).
    func addMeeting(req: Request) async throws -> Response {
        let space = try await space(req)
        let body = try req.jsonBody(NewMeetingBody.self)
        let minutes = try BoundedInt.check(body.minutes, "minutes", in: PairingSpaceService.MeetingLimits.minutes) ?? 60
        let service = req.pairingSpace
        let meeting = try await service.addMeeting(space, start: body.start.date, minutes: minutes, agenda: body.agenda, held: body.held,
                                                   advisor: body.advisor)
        return try await detail(meeting, space, service).encodeResponse(status: .created, for: req)
    }

    func meeting(req: Request) async throws -> MeetingDTO {
        let space = try await space(req)
        let service = req.pairingSpace
        return try await detail(service.meeting(space, req.parameters.get("meetingID", as: UUID.self)), space, service)
    }

    /// A new agenda or place; a new place raises the meeting's iCalendar SEQUENCE.
    func describeMeeting(req: Request) async throws -> MeetingDTO {
        let space = try await space(req)
        let body = try req.jsonBody(MeetingChangeBody.self)
        let service = req.pairingSpace
        let meeting = try await service.describe(space, meeting: req.parameters.get("meetingID", as: UUID.self), agenda: body.agenda,
                                                 location: body.location)
        return try await detail(meeting, space, service)
    }

    /// reschedule (with `start`, optionally `minutes`), held, cancel (with an optional `reason`) or missed.
    func actOnMeeting(req: Request) async throws -> MeetingDTO {
        let space = try await space(req)
        let body = try req.jsonBody(MeetingActionBody.self)
        let minutes = try BoundedInt.check(body.minutes, "minutes", in: PairingSpaceService.MeetingLimits.minutes)
        let service = req.pairingSpace
        let meeting = try await service.act(space, on: req.parameters.get("meetingID", as: UUID.self), body.action, start: body.start?.date,
                                            minutes: minutes, reason: body.reason)
        return try await detail(meeting, space, service)
    }

    /// One meeting as an iCalendar file to download.
    func meetingCalendar(req: Request) async throws -> Response {
        let space = try await space(req)
        let service = req.pairingSpace
        let meeting = try await service.meeting(space, req.parameters.get("meetingID", as: UUID.self))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        let file = "meeting-\(try meeting.requireID().uuidString.lowercased()).ics"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(file)\"")
        return Response(status: .ok, headers: headers, body: .init(string: service.ics(meeting, in: space)))
    }

    /// A meeting with its history and the notes on it the caller may read.
    func detail(_ meeting: Meeting, _ space: PairingSpaceService.Space, _ service: PairingSpaceService) async throws -> MeetingDTO {
        try MeetingDTO(meeting, in: space, history: try await service.history(of: meeting),
                       notes: try await service.notes(space, meeting: meeting))
    }

    // MARK: Notes: the caller's own and what partners shared, never anyone else's

    func notes(req: Request) async throws -> [NoteDTO] {
        let space = try await space(req)
        return try await req.pairingSpace.notes(space).map { try NoteDTO($0, in: space) }
    }

    func addNote(req: Request) async throws -> Response {
        let space = try await space(req)
        let body = try req.jsonBody(NewNoteBody.self)
        let service = req.pairingSpace
        if let meetingID = body.meeting {
            // A meeting the body names that is not there is a field to fix, not a missing page.
            do { _ = try await service.meeting(space, meetingID) } catch let problem as Problem where problem.status == .notFound {
                throw InvalidInput(issues: [FieldIssue(field: "meeting", message: """
                    This pairing has no meeting with that id; GET its meetings to find one, or leave meeting out for a note on the pairing.
                    """)])
            }
        }
        let note = try await service.addNote(space, text: body.text, meeting: body.meeting, shared: body.shared)
        return try await NoteDTO(note, in: space).encodeResponse(status: .created, for: req)
    }

    /// Its author only: a partner's shared note is a 403, anything else a 404.
    func updateNote(req: Request) async throws -> NoteDTO {
        let space = try await space(req)
        let body = try req.jsonBody(NoteChangeBody.self)
        let noteID = req.parameters.get("noteID", as: UUID.self)
        let note = try await req.pairingSpace.updateNote(space, noteID, text: body.text, shared: body.shared)
        return try NoteDTO(note, in: space)
    }

    func deleteNote(req: Request) async throws -> HTTPStatus {
        let space = try await space(req)
        try await req.pairingSpace.deleteNote(space, req.parameters.get("noteID", as: UUID.self))
        return .noContent
    }
}
