import Fluent
import SQLKit
import Vapor

/// `/health` for load balancers and monitors, `/openapi.json` for API clients.
struct SystemController {
    func register(on routes: any RoutesBuilder) {
        routes.get(WebRoute.health.components, use: health)
        routes.get(WebRoute.openAPI.components, use: openAPI)
    }

    struct Health: Content {
        struct DatabaseState: Content {
            var driver: String
            var status: String
            var pendingMigrations: Int?
            var error: String?
        }

        var status: String
        var database: DatabaseState
    }

    func health(req: Request) async throws -> Response {
        let driver = (try? req.db.requireSQL())?.dialect.name ?? "unknown"
        var state = Health.DatabaseState(driver: driver, status: "up")
        do {
            state.pendingMigrations = try await Migrations.pending(in: req.db)
        } catch {
            state.status = "down"
            state.error = "The database does not answer: \(String(describing: error).prefix(200))"
        }
        let ok = state.status == "up" && state.pendingMigrations == 0
        if state.status == "up" && state.pendingMigrations != 0 { state.status = "migrations pending" }
        return try await Health(status: ok ? "ok" : "degraded", database: state)
            .encodeResponse(status: ok ? .ok : .serviceUnavailable, for: req)
    }

    func openAPI(req: Request) async throws -> Response {
        let path = req.application.directory.resourcesDirectory + "openapi.json"
        let response = try await req.fileio.asyncStreamFile(at: path)
        response.headers.contentType = .json
        return response
    }
}
