import Foundation
import Vapor

/// The coordinator's programme-health board, one pairing's summary, and what they do from there: handle an alert,
/// suggest a re-think, end a pairing. Signals and counts only; the pairs' spaces stay closed to coordinators.
struct HealthWebController {
    func register(on routes: any RoutesBuilder) {
        let coordinators = routes.grouped(RequireRole(.admin, .coordinator))
        coordinators.get(WebRoute.programmeHealth.components, use: board)
        coordinators.get(WebRoute.healthPairing.components, use: pairing)
        coordinators.post(WebRoute.healthPairingAction.components, use: act)
        coordinators.post(WebRoute.alert.components, use: handleAlert)
    }

    func programme(_ req: Request) async throws -> Programme {
        try await req.programmes.find(req.parameters.get("programmeID", as: UUID.self), for: req.user().role)
    }

    /// Dates on these pages are days, in UTC like the signals that count them.
    static let zone = TimeZone.gmt

    /// The board's address for a query: only what differs from the defaults.
    static func link(_ programmeID: UUID, _ q: BoardQuery) -> String {
        var items: [URLQueryItem] = []
        if let state = q.state { items.append(.init(name: "state", value: state.rawValue)) }
        if let department = q.department { items.append(.init(name: "department", value: department)) }
        if let alert = q.alert { items.append(.init(name: "alert", value: alert.rawValue)) }
        if q.sort != .state { items.append(.init(name: "sort", value: q.sort.rawValue)) }
        if q.page > 1 { items.append(.init(name: "page", value: String(q.page))) }
        return WebLink.path(WebRoute.programmeHealth.link(programmeID), query: items)
    }

    func board(req: Request) async throws -> Response {
        let programme = try await programme(req)
        let id = try programme.requireID()
        var query = try HealthAPIController.boardQuery(req, lenientPage: true)
        // A page beyond the last (a stale link) shows the last one, computed once.
        let (board, matching) = try await req.health.board(of: programme, query: query, nearestPage: true)
        query.page = board.page
        let view = try HealthBoardView(programme, board: board, matching: matching, query: query, zone: Self.zone) { Self.link(id, $0) }
        return try await req.page("health-board", title: "Programme health: \(programme.name)", view)
    }

    func pairing(req: Request) async throws -> Response {
        try await pairingPage(req, try await programme(req))
    }

    func pairingPage(_ req: Request, _ programme: Programme, reason: FieldState = FieldState(), status: HTTPStatus = .ok) async throws -> Response {
        let (row, alerts, pairing, checkIns) = try await req.health.pairingSummary(req.parameters.get("pairingID", as: UUID.self), in: programme)
        let view = try HealthPairingView(programme, row: row, alerts: alerts, pairing: pairing, checkIns: checkIns, zone: Self.zone, reason: reason)
        return try await req.page("health-pairing", title: "\(view.heading) — programme health", view, status: status)
    }

    func act(req: Request) async throws -> Response {
        let programme = try await programme(req)
        let id = try programme.requireID()
        let pairingID = req.parameters.get("pairingID", as: UUID.self)
        let form = try req.content.decode([String: String].self)
        let summary = WebRoute.healthPairing.link(id, pairingID ?? UUID())
        let back = form["back"] == "board" ? WebRoute.programmeHealth.link(id) + "#alerts" : summary
        switch form["action"] {
        case "rethink":
            return try await req.redirecting(to: back, onRefusal: "Not suggested") {
                try await req.health.suggestRethink(pairingID, in: programme)
                return req.redirect(to: back, flash: "Suggested: the pair's space now suggests a re-think session.")
            }
        case "end":
            let reason = form["reason"] ?? ""
            return try await req.redirecting(to: summary, onRefusal: "Not ended") {
                do {
                    try await req.endings.end(pairingID, in: programme, reason: reason, by: try req.user().email,
                                              linkBase: req.application.upward.publicURL)
                    let offered = EndingService.offersRematch(programme, today: req.clock.today)
                    return req.redirect(to: summary, flash: "The pairing has ended. Everyone in it was told kindly, without the reason"
                                        + (offered ? ", and offered a new partner." : "."))
                } catch let invalid as InvalidInput {
                    return try await pairingPage(req, programme, reason: FieldState(value: reason, error: invalid.message("reason") ?? invalid.reason),
                                                 status: .unprocessableEntity)
                }
            }
        default:
            return req.redirect(to: summary, flash: "Choose what to do: suggest a re-think or end the pairing.")
        }
    }

    func handleAlert(req: Request) async throws -> Response {
        let programme = try await programme(req)
        let id = try programme.requireID()
        let form = try req.content.decode([String: String].self)
        let alertID = req.parameters.get("alertID", as: UUID.self)
        let back = WebRoute.programmeHealth.link(id) + "#alerts"
        guard let status = form["status"].flatMap(AlertStatus.init(rawValue:)), status != .open else {
            return req.redirect(to: back, flash: "Not saved: acknowledge or resolve the alert.")
        }
        return try await req.redirecting(to: back, onRefusal: "Not saved") {
            let alert = try await req.health.handle(alertID, in: programme, resolve: status == .resolved, note: form["note"], by: try req.user().email)
            let to = form["back"] == "pairing" ? WebRoute.healthPairing.link(id, alert.$pairing.id) : back
            return req.redirect(to: to, flash: status == .resolved ? "Alert resolved." : "Alert acknowledged: it stays on the board until you resolve it.")
        }
    }
}
