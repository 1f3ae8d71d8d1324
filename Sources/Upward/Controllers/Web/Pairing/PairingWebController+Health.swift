import Foundation
import Vapor

/// Keeping the pair on track, in their space: private check-ins, a re-think session in one click, and a no-fault
/// ending with a re-match offer.
extension PairingWebController {
    // MARK: Check-ins

    func checkIns(req: Request) async throws -> Response {
        try await checkInPage(req, space(req))
    }

    func checkInPage(_ req: Request, _ space: PairingSpaceService.Space, typed: [String: String] = [:], issues: [FieldIssue] = [],
                     status: HTTPStatus = .ok) async throws -> Response {
        let view = PairingCheckInView(space, due: try await req.checkIns.due(space), answers: try await req.checkIns.answers(space),
                                      typed: typed, issues: issues)
        return try await req.page("pairing-check-in", title: "Check-ins — \(space.programme.name)", view, status: status)
    }

    func answerCheckIn(req: Request) async throws -> Response {
        let space = try await space(req)
        let form = try form(req)
        var issues: [FieldIssue] = []
        let kind = CheckInKind(rawValue: form["kind"] ?? "")
        let day = Day(form["day"] ?? "")
        if kind == nil || day == nil {
            issues.append(FieldIssue(field: "kind", message: "Open the check-in from your pairing's page and answer it there."))
        }
        func score(_ field: String) -> Int? {
            guard let text = form[field], !text.isEmpty else { return nil }
            guard let value = Int(text), (1...5).contains(value) else {
                issues.append(FieldIssue(field: field, message: "Choose from 1 to 5."))
                return nil
            }
            return value
        }
        let scores = (score("relationship"), score("safety"), score("progress"))
        var fit: FitAnswer?
        if let text = form["fit"], !text.isEmpty {
            fit = FitAnswer(rawValue: text)
            if fit == nil { issues.append(FieldIssue(field: "fit", message: "Choose one of the three answers.")) }
        }
        guard issues.isEmpty, let kind, let day else {
            return try await checkInPage(req, space, typed: form, issues: issues, status: .unprocessableEntity)
        }
        let answer = CheckInService.Answer(relationship: scores.0, safety: scores.1, progress: scores.2, fit: fit,
                                           needsHelp: form["needsHelp"] == "on", comment: form["comment"])
        let back = WebRoute.pairing.link(space.pairingID)
        return try await req.redirecting(to: WebRoute.checkIns.link(space.pairingID), onRefusal: "Not saved") {
            do {
                try await req.checkIns.answer(space, kind: kind, day: day, answer)
                let flash = answer.needsHelp
                    ? "Thank you. Your coordinator will be in touch; your partner does not see your answers."
                    : "Thank you for checking in. Your partner does not see your answers."
                return req.redirect(to: back, flash: flash)
            } catch let invalid as InvalidInput {
                return try await checkInPage(req, space, typed: form, issues: invalid.issues, status: .unprocessableEntity)
            }
        }
    }

    // MARK: Re-think

    func rethink(req: Request) async throws -> Response {
        let space = try await space(req)
        let back = WebRoute.pairing.link(space.pairingID)
        return try await req.redirecting(to: back, onRefusal: "Not planned") {
            let meeting = try await req.pairingSpace.planRethink(space)
            let when = ZonedTime(meeting.startsAt, in: space.myZone)
            return req.redirect(to: try WebRoute.meeting.link(space.pairingID, meeting.requireID()),
                                flash: "Re-think session planned for \(when.local). Move it if the time does not suit you both.")
        }
    }

    // MARK: Ending and re-matching

    func endForm(req: Request) async throws -> Response {
        let space = try await space(req)
        guard space.pairing.status == .active else {
            return req.redirect(to: WebRoute.pairing.link(space.pairingID), flash: "This pairing has already ended.")
        }
        return try await req.page("pairing-end", title: "End this pairing — \(space.programme.name)",
                                  PairingEndView(space, rematchPossible: EndingService.offersRematch(space.programme, today: req.clock.today)))
    }

    func end(req: Request) async throws -> Response {
        let space = try await space(req)
        let form = try form(req)
        let reason = form["reason"] ?? "", wantAnother = form["wantAnother"] == "on"
        let back = WebRoute.pairing.link(space.pairingID)
        return try await req.redirecting(to: back, onRefusal: "Not ended") {
            do {
                try await req.endings.leave(space, reason: reason, wantAnother: wantAnother, linkBase: req.application.upward.publicURL)
                let offered = EndingService.offersRematch(space.programme, today: req.clock.today)
                return req.redirect(to: back, flash: wantAnother && offered
                    ? "The pairing has ended. You asked for a new partner: your coordinator will propose one."
                    : "The pairing has ended. Thank you for the time you gave it.")
            } catch let invalid as InvalidInput {
                let view = PairingEndView(space, reason: reason, wantAnother: wantAnother, issues: invalid.issues,
                                          rematchPossible: EndingService.offersRematch(space.programme, today: req.clock.today))
                return try await req.page("pairing-end", title: "End this pairing — \(space.programme.name)", view, status: .unprocessableEntity)
            }
        }
    }

    func answerRematch(req: Request) async throws -> Response {
        let space = try await space(req)
        let form = try form(req)
        let back = WebRoute.pairing.link(space.pairingID)
        guard let want = ["yes": true, "no": false][form["want"] ?? ""] else {
            return req.redirect(to: back, flash: "Not saved: say yes or no to a new partner.")
        }
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            try await req.endings.answerRematch(space, want: want)
            return req.redirect(to: back, flash: want
                ? "Thank you. Your coordinator will propose a new partner; you will be asked before anything is final."
                : "Understood: you will not be re-matched. You can change your mind here while the programme runs.")
        }
    }
}
