import Fluent
import Foundation
import Vapor

/// The pairing's shared space, for its members only: the overview and the preparation (here), the agreement
/// (`+Agreement`), goals (`+Goals`), meetings (`+Meetings`), notes (`+Notes`), and check-ins, re-think sessions and
/// endings (`+Health`). Every route starts with
/// `PairingSpaceService.space`, the one rule for who may see a pairing: anyone not in it — a coordinator or an
/// admin included — is told there is no such pairing.
struct PairingWebController {
    func register(on routes: any RoutesBuilder) {
        // Sponsors take part in no programme: the role gate turns them away before the space's own rule.
        let members = routes.grouped(RequireRole(.admin, .coordinator, .participant))
        members.get(WebRoute.pairing.components, use: overview)
        members.post(WebRoute.preparation.components, use: acknowledge)
        members.get(WebRoute.agreement.components, use: agreement)
        members.post(WebRoute.agreement.components, use: editAgreement)
        members.post(WebRoute.agreementSign.components, use: sign)
        members.get(WebRoute.newGoal.components, use: newGoal)
        members.post(WebRoute.newGoal.components, use: addGoal)
        members.get(WebRoute.goal.components, use: goal)
        members.post(WebRoute.goal.components, use: updateGoal)
        members.get(WebRoute.newMeeting.components, use: newMeeting)
        members.post(WebRoute.newMeeting.components, use: addMeeting)
        members.get(WebRoute.meeting.components, use: meeting)
        members.post(WebRoute.meeting.components, use: describeMeeting)
        members.post(WebRoute.meetingAction.components, use: meetingAction)
        members.get(WebRoute.meetingCalendar.components, use: meetingCalendar)
        members.post(WebRoute.notes.components, use: addNote)
        members.post(WebRoute.note.components, use: changeNote)
        members.get(WebRoute.checkIns.components, use: checkIns)
        members.post(WebRoute.checkIns.components, use: answerCheckIn)
        members.post(WebRoute.rethink.components, use: rethink)
        members.get(WebRoute.pairingEnd.components, use: endForm)
        members.post(WebRoute.pairingEnd.components, use: end)
        members.post(WebRoute.rematch.components, use: answerRematch)
    }

    /// The pairing in the address, as the signed-in member sees it; a 404 for anyone else.
    func space(_ req: Request) async throws -> PairingSpaceService.Space {
        try await req.pairingSpace.space(req.parameters.get("pairingID", as: UUID.self), for: try req.user())
    }

    /// A form's fields, as the pages send them.
    func form(_ req: Request) throws -> [String: String] {
        try req.content.decode([String: String].self)
    }

    // MARK: The space

    func overview(req: Request) async throws -> Response {
        try await overviewPage(req, space(req))
    }

    /// The space's page; `note` is a note that could not be saved, shown again with its problem.
    func overviewPage(
        _ req: Request, _ space: PairingSpaceService.Space, note: (text: String, shared: Bool, error: String?)? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let service = req.pairingSpace
        let meetings = try await service.meetings(space)
        let rethink = service.rethinkReason(space, meetings: meetings, myAnswers: try await req.checkIns.answers(space))
        let onTrack = PairingOnTrackView(space, due: try await req.checkIns.due(space), rethinkReason: rethink, now: req.clock.now())
        let view = try PairingSpaceView(
            space, agreement: try await service.agreementIfAny(space), goals: try await service.goals(space),
            meetings: meetings, notes: try await service.notes(space, pairingOnly: true), typedNote: note, onTrack: onTrack,
            now: req.clock.now())
        return try await req.page("pairing", title: "\(view.heading) — \(space.programme.name)", view, status: status)
    }

    // MARK: Preparation

    func acknowledge(req: Request) async throws -> Response {
        let space = try await space(req)
        let back = WebRoute.pairing.link(space.pairingID)
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            try await req.pairingSpace.acknowledgePreparation(space)
            return req.redirect(to: back, flash: "Thank you: you have read the preparation.")
        }
    }
}
