import Vapor

/// The coordinator's view of a programme's pairings: signed, prepared, goals, meetings held and cancelled by side —
/// counts, never the pair's words. The pairs' spaces themselves stay closed to coordinators (`PairingSpaceService.space`).
struct PairingsOverviewWebController {
    func register(on routes: any RoutesBuilder) {
        let coordinators = routes.grouped(RequireRole(.admin, .coordinator))
        coordinators.get(WebRoute.programmePairings.components, use: overview)
    }

    struct PageQuery: Decodable {
        var page: Int?
    }

    func overview(req: Request) async throws -> Response {
        let programme = try await req.programmes.find(req.parameters.get("programmeID", as: UUID.self), for: req.user().role)
        let id = try programme.requireID()
        // A page that is not a number is refused; one out of range shows the nearest page.
        let paging = PageRequest(lenientPage: try req.strictQuery(PageQuery.self).page, per: PairingSpaceService.pairingsPerPage)
        let page = try await req.pairingSpace.pairingsPage(of: programme, page: paging.page, per: paging.per)
        let view = try PairingsOverviewView(programme, page) { number in
            WebLink.path(WebRoute.programmePairings.link(id), query: [URLQueryItem(name: "page", value: String(number))])
        }
        return try await req.page("pairings-overview", title: "Pairings: \(programme.name)", view)
    }
}
