import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

/// Every route the app registers, called as anonymous, participant, sponsor, coordinator and admin on the demo
/// organisation, against the status each should get. A new route without a row here fails the suite, so no
/// route ships without a decision about who may use it.
///
/// Pages are called with a session and a valid form token (as a browser would), so a refusal here is the route's
/// own rule, never the CSRF check. API routes get a bearer token and, for writes, an empty JSON object.
/// Statuses for allowed roles are what an empty request gets on the demo data: 200 for reads, 303/400/409/422 for
/// writes, 404 where the caller has nothing there (a coordinator's own application); the first coordinator's
/// publication leaves the admin's a 409.
@Suite("Authorisation matrix")
struct AuthorisationMatrixTests {
    /// Who calls: the column order of `expected`.
    static let callers = ["anonymous", "participant", "sponsor", "coordinator", "admin"]

    /// "METHOD /template": the status for each caller, in `callers` order.
    static let expected: [String: [Int]] = [
        // System
        "GET /health": [200, 200, 200, 200, 200],
        "GET /openapi.json": [200, 200, 200, 200, 200],
        // Pages: signing in and out, links
        "GET /sign-in": [200, 303, 303, 303, 303],
        "POST /sign-in": [400, 400, 400, 400, 400],
        "POST /sign-out": [303, 303, 303, 303, 303],
        "GET /setup/:token": [404, 404, 404, 404, 404],
        "POST /setup/:token": [400, 400, 400, 400, 400],
        "GET /invitation/:token": [404, 404, 404, 404, 404],
        "POST /invitation/:token": [400, 400, 400, 400, 400],
        "GET /forgot-password": [200, 200, 200, 200, 200],
        "POST /forgot-password": [400, 400, 400, 400, 400],
        "GET /reset-password/:token": [404, 404, 404, 404, 404],
        "POST /reset-password/:token": [400, 400, 400, 400, 400],
        // Pages: everyone signed in
        "GET /": [303, 200, 200, 200, 200],
        "GET /account": [303, 200, 200, 200, 200],
        "POST /account/password": [303, 400, 400, 400, 400],
        "GET /account/tokens": [303, 200, 200, 200, 200],
        "POST /account/tokens": [303, 400, 400, 400, 400],
        "POST /account/tokens/:tokenID/revoke": [303, 404, 404, 404, 404],
        // Pages: the directory
        "GET /directory": [303, 200, 403, 200, 200],
        "GET /directory/people/:personID": [303, 200, 403, 200, 200],
        "GET /directory/import": [303, 403, 403, 200, 200],
        "POST /directory/import": [303, 403, 403, 422, 422],
        // Pages: admins
        "GET /admin/users": [303, 403, 403, 403, 200],
        "POST /admin/users/:userID/role": [303, 403, 403, 403, 400],
        "GET /admin/outbox": [303, 403, 403, 403, 200],
        "POST /admin/outbox/:messageID": [303, 403, 403, 403, 303],
        "GET /admin/jobs": [303, 403, 403, 403, 200],
        "POST /admin/jobs/:jobID": [303, 403, 403, 403, 303],
        // Pages: programmes
        "GET /programmes": [303, 200, 403, 200, 200],
        "GET /programmes/new": [303, 403, 403, 200, 200],
        "POST /programmes/new": [303, 403, 403, 422, 422],
        "GET /programmes/:programmeID": [303, 200, 403, 200, 200],
        "GET /programmes/:programmeID/edit": [303, 403, 403, 200, 200],
        "POST /programmes/:programmeID/edit": [303, 403, 403, 422, 422],
        "POST /programmes/:programmeID/actions": [303, 403, 403, 303, 303],
        "POST /programmes/:programmeID/run-again": [303, 403, 403, 303, 303],
        "GET /programmes/:programmeID/apply": [303, 303, 403, 303, 303],
        "POST /programmes/:programmeID/apply": [303, 303, 403, 303, 303],
        "POST /programmes/:programmeID/withdraw": [303, 303, 403, 303, 303],
        "GET /programmes/:programmeID/invitations": [303, 403, 403, 200, 200],
        "POST /programmes/:programmeID/invitations": [303, 403, 403, 303, 303],
        "GET /programmes/:programmeID/selection": [303, 403, 403, 200, 200],
        "POST /programmes/:programmeID/selection/ranking": [303, 403, 403, 303, 303],
        "POST /programmes/:programmeID/selection/:applicationID": [303, 403, 403, 303, 303],
        "GET /programmes/:programmeID/balance": [303, 403, 403, 200, 200],
        "GET /programmes/:programmeID/preferences": [303, 200, 403, 403, 403],
        "POST /programmes/:programmeID/preferences": [303, 303, 403, 403, 403],
        "GET /programmes/:programmeID/matching": [303, 403, 403, 200, 200],
        "POST /programmes/:programmeID/matching": [303, 403, 403, 303, 303],
        "GET /programmes/:programmeID/matching/runs/:runID": [303, 403, 403, 200, 200],
        "POST /programmes/:programmeID/matching/runs/:runID/adjust": [303, 403, 403, 303, 303],
        "POST /programmes/:programmeID/matching/runs/:runID/publish": [303, 403, 403, 200, 200],
        "POST /programmes/:programmeID/matching/nudge": [303, 403, 403, 303, 303],
        "GET /programmes/:programmeID/my-match": [303, 200, 403, 403, 403],
        "POST /programmes/:programmeID/my-match": [303, 303, 403, 403, 403],
        // Pages: the pairing space (its members only) and calendars
        "GET /pairings/:pairingID": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/preparation": [303, 303, 403, 404, 404],
        "GET /pairings/:pairingID/agreement": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/agreement": [303, 422, 403, 404, 404],
        "POST /pairings/:pairingID/agreement/sign": [303, 303, 403, 404, 404],
        "GET /pairings/:pairingID/goals/new": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/goals/new": [303, 422, 403, 404, 404],
        "GET /pairings/:pairingID/goals/:goalID": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/goals/:goalID": [303, 422, 403, 404, 404],
        "GET /pairings/:pairingID/meetings/new": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/meetings/new": [303, 422, 403, 404, 404],
        "GET /pairings/:pairingID/meetings/:meetingID": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/meetings/:meetingID": [303, 303, 403, 404, 404],
        "POST /pairings/:pairingID/meetings/:meetingID/actions": [303, 303, 403, 404, 404],
        "GET /pairings/:pairingID/meetings/:meetingID/calendar.ics": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/notes": [303, 422, 403, 404, 404],
        "POST /pairings/:pairingID/notes/:noteID": [303, 303, 403, 404, 404],
        "GET /programmes/:programmeID/pairings": [303, 403, 403, 200, 200],
        // Pages: keeping on track — the members' check-ins, re-think and ending; the coordinator's health board
        "GET /pairings/:pairingID/check-ins": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/check-ins": [303, 422, 403, 404, 404],
        "POST /pairings/:pairingID/rethink": [303, 303, 403, 404, 404],
        "GET /pairings/:pairingID/end": [303, 200, 403, 404, 404],
        "POST /pairings/:pairingID/end": [303, 422, 403, 404, 404],
        "POST /pairings/:pairingID/rematch": [303, 303, 403, 404, 404],
        "GET /programmes/:programmeID/health": [303, 403, 403, 200, 200],
        // The pairing is in another programme than the one in the path: not found there.
        "GET /programmes/:programmeID/health/:pairingID": [303, 403, 403, 404, 404],
        "POST /programmes/:programmeID/health/:pairingID/actions": [303, 403, 403, 303, 303],
        "POST /programmes/:programmeID/alerts/:alertID": [303, 403, 403, 303, 303],
        "POST /account/calendar": [303, 201, 201, 201, 201],
        "POST /account/calendar/revoke": [303, 200, 200, 200, 200],
        "GET /calendar/:token": [404, 404, 404, 404, 404],
        // Pages: notifications and one-click unsubscribe (no session: the key in the address says whose)
        "GET /notifications": [303, 200, 200, 200, 200],
        "POST /notifications/read": [303, 303, 303, 303, 303],
        "GET /account/notifications": [303, 200, 200, 200, 200],
        "POST /account/notifications": [303, 303, 303, 303, 303],
        "GET /unsubscribe/:token/:topic": [404, 404, 404, 404, 404],
        "POST /unsubscribe/:token/:topic": [404, 404, 404, 404, 404],
        // API: everyone with a token
        "GET /api/v1/me": [401, 200, 200, 200, 200],
        "GET /api/v1/tokens": [401, 200, 200, 200, 200],
        "POST /api/v1/tokens": [401, 422, 422, 422, 422],
        "DELETE /api/v1/tokens/:tokenID": [401, 404, 404, 404, 404],
        // API: the directory
        "GET /api/v1/people": [401, 200, 403, 200, 200],
        "GET /api/v1/people/:personID": [401, 200, 403, 200, 200],
        "GET /api/v1/departments": [401, 200, 403, 200, 200],
        "POST /api/v1/people/import": [401, 403, 403, 400, 400],
        // API: admins
        "GET /api/v1/users": [401, 403, 403, 403, 200],
        "PATCH /api/v1/users/:userID": [401, 403, 403, 403, 422],
        "GET /api/v1/outbox": [401, 403, 403, 403, 200],
        "POST /api/v1/outbox/:messageID": [401, 403, 403, 403, 422],
        "GET /api/v1/jobs": [401, 403, 403, 403, 200],
        // API: programmes
        "GET /api/v1/programmes": [401, 200, 403, 200, 200],
        "POST /api/v1/programmes": [401, 403, 403, 422, 422],
        "GET /api/v1/programmes/:programmeID": [401, 200, 403, 200, 200],
        "PATCH /api/v1/programmes/:programmeID": [401, 403, 403, 200, 200],
        "POST /api/v1/programmes/:programmeID/actions": [401, 403, 403, 422, 422],
        "POST /api/v1/programmes/:programmeID/run-again": [401, 403, 403, 201, 201],
        "GET /api/v1/programmes/:programmeID/balance": [401, 403, 403, 200, 200],
        "GET /api/v1/programmes/:programmeID/invitations": [401, 403, 403, 200, 200],
        "POST /api/v1/programmes/:programmeID/invitations": [401, 403, 403, 409, 409],
        "GET /api/v1/programmes/:programmeID/applications": [401, 403, 403, 200, 200],
        "GET /api/v1/programmes/:programmeID/ranking": [401, 403, 403, 200, 200],
        "POST /api/v1/programmes/:programmeID/ranking": [401, 403, 403, 409, 409],
        "GET /api/v1/programmes/:programmeID/application": [401, 200, 403, 404, 404],
        "PUT /api/v1/programmes/:programmeID/application": [401, 422, 403, 422, 422],
        "POST /api/v1/programmes/:programmeID/application/withdraw": [401, 200, 403, 404, 404],
        "PUT /api/v1/programmes/:programmeID/application/preferences": [401, 422, 403, 403, 403],
        "GET /api/v1/applications/:applicationID": [401, 403, 403, 200, 200],
        "POST /api/v1/applications/:applicationID/decision": [401, 403, 403, 200, 200],
        // API: matching
        "GET /api/v1/programmes/:programmeID/runs": [401, 403, 403, 200, 200],
        "POST /api/v1/programmes/:programmeID/runs": [401, 403, 403, 201, 201],
        "GET /api/v1/runs/:runID": [401, 403, 403, 200, 200],
        "POST /api/v1/runs/:runID/adjustments": [401, 403, 403, 422, 422],
        "POST /api/v1/runs/:runID/publish": [401, 403, 403, 200, 409],
        "GET /api/v1/programmes/:programmeID/pairings": [401, 403, 403, 200, 200],
        "POST /api/v1/programmes/:programmeID/nudge": [401, 403, 403, 200, 200],
        "GET /api/v1/programmes/:programmeID/match": [401, 404, 403, 403, 403],
        "POST /api/v1/programmes/:programmeID/match/answer": [401, 422, 403, 403, 403],
        // API: the pairing space (its members only) and calendars
        "GET /api/v1/pairings": [401, 200, 200, 200, 200],
        "GET /api/v1/pairings/:pairingID": [401, 200, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/preparation": [401, 200, 404, 404, 404],
        "GET /api/v1/pairings/:pairingID/agreement": [401, 200, 404, 404, 404],
        "PUT /api/v1/pairings/:pairingID/agreement": [401, 422, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/agreement/sign": [401, 422, 404, 404, 404],
        "GET /api/v1/pairings/:pairingID/goals": [401, 200, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/goals": [401, 422, 404, 404, 404],
        "GET /api/v1/pairings/:pairingID/goals/:goalID": [401, 200, 404, 404, 404],
        "PATCH /api/v1/pairings/:pairingID/goals/:goalID": [401, 422, 404, 404, 404],
        "GET /api/v1/pairings/:pairingID/meetings": [401, 200, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/meetings": [401, 422, 404, 404, 404],
        "GET /api/v1/pairings/:pairingID/meetings/:meetingID": [401, 200, 404, 404, 404],
        "PATCH /api/v1/pairings/:pairingID/meetings/:meetingID": [401, 200, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/meetings/:meetingID/actions": [401, 422, 404, 404, 404],
        "GET /api/v1/pairings/:pairingID/meetings/:meetingID/ics": [401, 200, 404, 404, 404],
        "GET /api/v1/pairings/:pairingID/notes": [401, 200, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/notes": [401, 422, 404, 404, 404],
        "PATCH /api/v1/pairings/:pairingID/notes/:noteID": [401, 200, 404, 404, 404],
        "DELETE /api/v1/pairings/:pairingID/notes/:noteID": [401, 204, 404, 404, 404],
        // API: keeping on track
        "GET /api/v1/pairings/:pairingID/check-ins": [401, 200, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/check-ins": [401, 422, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/rethink": [401, 201, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/end": [401, 422, 404, 404, 404],
        "POST /api/v1/pairings/:pairingID/rematch": [401, 422, 404, 404, 404],
        "GET /api/v1/programmes/:programmeID/health": [401, 403, 403, 200, 200],
        "GET /api/v1/programmes/:programmeID/health/:pairingID": [401, 403, 403, 404, 404],
        "POST /api/v1/programmes/:programmeID/health/:pairingID/rethink-suggestion": [401, 403, 403, 404, 404],
        "POST /api/v1/programmes/:programmeID/health/:pairingID/end": [401, 403, 403, 422, 422],
        "POST /api/v1/programmes/:programmeID/alerts/:alertID": [401, 403, 403, 422, 422],
        "GET /api/v1/calendar": [401, 200, 200, 200, 200],
        "POST /api/v1/calendar": [401, 201, 201, 201, 201],
        "DELETE /api/v1/calendar": [401, 204, 204, 204, 204],
        // API: the caller's own notifications
        "GET /api/v1/notifications": [401, 200, 200, 200, 200],
        "POST /api/v1/notifications/read": [401, 200, 200, 200, 200],
        "GET /api/v1/notification-preferences": [401, 200, 200, 200, 200],
        "PATCH /api/v1/notification-preferences": [401, 422, 422, 422, 422],
    ]

    @Test func every_route_answers_each_role_as_the_matrix_says() async throws {
        try await withUpward { app in
            _ = try await UpwardApp.loadDemo(app)
            let users = try await User.query(on: app.db).sort(\.$createdAt).all()   // in the order the demo made them
            func user(_ role: Role) throws -> User { try #require(users.first { $0.role == role }) }
            // The ids the routes take: the programme in matching, where the demo participant is selected.
            let programme = try #require(try await Programme.query(on: app.db).filter(\.$name == "Culture exchange").first())
            let run = try #require(try await MatchingRun.query(on: app.db).filter(\.$programme.$id == programme.requireID()).first())
            let participant = try user(.participant)
            let application = try #require(try await ProgrammeApplication.query(on: app.db)
                .filter(\.$programme.$id == programme.requireID()).filter(\.$person.$id == participant.$person.id ?? UUID()).first())
            // The space's ids: the participant's own pairing in the running programme, with its goal, meeting and note.
            let membership = try #require(try await PairingMember.query(on: app.db).filter(\.$person.$id == participant.$person.id ?? UUID())
                .join(Pairing.self, on: \PairingMember.$pairing.$id == \Pairing.$id).filter(Pairing.self, \.$status == .active).first())
            let pairingID = membership.$pairing.id
            let goal = try #require(try await Goal.query(on: app.db).filter(\.$pairing.$id == pairingID).first())
            let meeting = try #require(try await Meeting.query(on: app.db).filter(\.$pairing.$id == pairingID).sort(\.$startsAt).first())
            let note = try #require(try await Note.query(on: app.db).filter(\.$pairing.$id == pairingID).filter(\.$authorID == membership.$person.id).first())
            let values: [String: String] = [
                "pairingID": pairingID.uuidString, "goalID": try goal.requireID().uuidString, "meetingID": try meeting.requireID().uuidString,
                "noteID": try note.requireID().uuidString,
                "programmeID": try programme.requireID().uuidString, "runID": try run.requireID().uuidString,
                "applicationID": try application.requireID().uuidString, "personID": participant.$person.id?.uuidString ?? "",
                "userID": try user(.sponsor).requireID().uuidString, "tokenID": UUID().uuidString, "token": "not-a-token",
            ]
            var tokens: [String: String] = [:]
            for role in [Role.participant, .sponsor, .coordinator, .admin] {
                tokens[role.rawValue] = try await AccountService(app).createAPIToken(for: try user(role), name: "matrix").1
            }
            var actual: [String: [Int]] = [:]
            var unknown: [String] = []
            // Writes that end a session or an application go last, so they cannot disturb the rest.
            // So do deletions (a note deleted first would turn later rows into 404s).
            func last(_ route: Route) -> Int {
                route.method == .DELETE || ["sign-out", "withdraw"].contains { route.path.string.contains($0) } ? 1 : 0
            }
            let routes = app.routes.all.sorted { (last($0), $0.description) < (last($1), $1.description) }
            for route in routes {
                let key = "\(route.method.rawValue) /\(route.path.map(\.description).joined(separator: "/"))"
                if Self.expected[key] == nil { unknown.append(key) }
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return values[name] ?? "x" }
                    return component.description
                }.joined(separator: "/")
                var row: [Int] = []
                for caller in Self.callers {
                    let status: HTTPStatus
                    if route.path.first == .constant("api") {
                        var headers = HTTPHeaders()
                        if let token = tokens[caller] { headers.bearerAuthorization = BearerAuthorization(token: token) }
                        var body: ByteBuffer?
                        if [.POST, .PUT, .PATCH].contains(route.method) {
                            headers.contentType = route.path.last == .constant("import") ? HTTPMediaType(type: "text", subType: "csv") : .json
                            body = route.path.last == .constant("import") ? ByteBuffer() : ByteBuffer(string: "{}")
                        }
                        status = try await app.testing().sendRequest(route.method, path, headers: headers, body: body).status
                    } else {
                        let web = WebSession(app)
                        if caller != "anonymous", let account = users.first(where: { $0.role.rawValue == caller }) {
                            _ = try await web.signIn(account.email, DemoOrganisation.password)
                        }
                        let page = try await web.get(WebRoute.forgotPassword.link())
                        let form = ["csrf": WebSession.csrf(in: page.body.string)]
                        status = try await web.send(route.method, path, form: route.method == .GET ? nil : form).status
                    }
                    row.append(Int(status.code))
                }
                actual[key] = row
            }
            #expect(unknown.isEmpty, "Routes without a rule in the authorisation matrix: \(unknown.sorted())")
            let wrong = actual.filter { key, row in Self.expected[key] != nil && Self.expected[key] != row }
            let report = wrong.keys.sorted().map { "\($0): expected \(Self.expected[$0] ?? []) got \(wrong[$0] ?? [])" }.joined(separator: "\n")
            #expect(wrong.isEmpty, "Expected vs actual:\n\(report)")
            let missing = Set(Self.expected.keys).subtracting(actual.keys)
            #expect(missing.isEmpty, "Rules for routes that no longer exist: \(missing.sorted())")
            #expect(!actual.values.joined().contains { $0 >= 500 })
        }
    }
}
