import Fluent
import Vapor

/// Consent: a participant's proposed match and their answer, and the coordinator's nudge to those who have not answered.
extension MatchingWebController {
    func myMatch(req: Request) async throws -> Response {
        let p = try await programme(req)
        let id = try p.requireID()
        let (_, mine) = try await mine(req, p)
        var view = MyMatchView(p: try ProgrammeSummary(p), has: false, partners: [], canAnswer: false,
                               action: WebRoute.myMatch.link(id), programmeLink: WebRoute.programme.link(id))
        if let match = try await req.matching.currentMatch(of: mine) {
            let (pairing, me) = (match.pairing, match.me)
            view.has = true
            view.status = pairing.status.rawValue
            view.statusLabel = pairing.status.label
            view.awaitingConsent = pairing.status == .awaitingConsent
            view.deadline = pairing.deadline
            view.explanation = me.explanation
            view.partners = match.partners.map { MyMatchView.PartnerLine(name: $0.name, detail: $0.detail, answer: $0.answer.rawValue) }
            view.myAnswer = me.answer.rawValue
            view.myReason = me.reason
            view.canAnswer = pairing.status == .awaitingConsent && me.answer == .pending
            if pairing.status.hasStarted && me.answer == .accepted {
                view.spaceLink = WebRoute.pairing.link(try pairing.requireID())
            }
        }
        return try await req.page("my-match", title: "Your match: \(p.name)", view)
    }

    func answer(req: Request) async throws -> Response {
        let p = try await programme(req)
        let (_, mine) = try await mine(req, p)
        let form = try req.content.decode([String: String].self)
        let back = WebRoute.myMatch.link(try p.requireID())
        guard let me = try await req.matching.currentMember(of: mine) else { return req.redirect(to: back, flash: "You have no proposal to answer yet.") }
        guard let choice = form["answer"], choice == "accept" || choice == "decline" else {
            return req.redirect(to: back, flash: "Choose accept or decline.")
        }
        if choice == "decline" && !req.isConfirmed {
            return try await req.confirmation(ConfirmView(
                heading: "Decline this match?", message: "You will not be proposed together again. Your reason, if you give one, goes to the coordinator only; your partner never sees it.",
                action: back,
                fields: [.init(name: "answer", value: "decline"), .init(name: "reason", value: form["reason"] ?? "")],
                confirmLabel: "Decline the match", cancelLink: back, destructive: true))
        }
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            try await req.matching.respond(me, accept: choice == "accept", reason: form["reason"])
            let active = try await req.matching.currentMember(of: mine)?.pairing.status == .active
            return req.redirect(to: back, flash: choice == "decline" ? "You declined. Thank you for saying so; you will not be proposed together again."
                                : active ? "Everyone accepted: your pairing is active." : "You accepted. The pairing starts once everyone in it has.")
        }
    }

    func nudge(req: Request) async throws -> Response {
        let p = try await programme(req)
        let back = WebRoute.matching.link(try p.requireID())
        return try await req.redirecting(to: back, onRefusal: "Not sent") {
            let count = try await req.matching.nudge(p, linkBase: req.application.upward.publicURL)
            return req.redirect(to: back, flash: count == 0 ? "Nobody is waiting to answer." : "Reminded \(count) \(count == 1 ? "person" : "people") (see the outbox).")
        }
    }
}
