import Vapor

/// One route's path, used both to register the route and to build links to it,
/// so a link cannot point at a route that no longer exists.
struct RoutePath: Sendable {
    let template: String

    init(_ template: String) { self.template = template }

    var components: [PathComponent] { template.pathComponents }

    /// The path with each `:parameter` replaced, in order, by the given values.
    func link(_ values: any CustomStringConvertible...) -> String {
        var values = values.makeIterator()
        let parts = template.split(separator: "/").map { part in
            part.hasPrefix(":") ? (values.next().map { String(describing: $0) } ?? String(part)) : String(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// Every page.
enum WebRoute {
    static let home = RoutePath("/")
    static let signIn = RoutePath("sign-in")
    static let signOut = RoutePath("sign-out")
    static let setup = RoutePath("setup/:token")
    static let invitation = RoutePath("invitation/:token")
    static let forgotPassword = RoutePath("forgot-password")
    static let resetPassword = RoutePath("reset-password/:token")
    static let directory = RoutePath("directory")
    static let person = RoutePath("directory/people/:personID")
    static let importPeople = RoutePath("directory/import")
    static let account = RoutePath("account")
    static let accountPassword = RoutePath("account/password")
    static let tokens = RoutePath("account/tokens")
    static let revokeToken = RoutePath("account/tokens/:tokenID/revoke")
    static let users = RoutePath("admin/users")
    static let userRole = RoutePath("admin/users/:userID/role")
    static let outbox = RoutePath("admin/outbox")
    static let programmes = RoutePath("programmes")
    static let newProgramme = RoutePath("programmes/new")
    static let programme = RoutePath("programmes/:programmeID")
    static let editProgramme = RoutePath("programmes/:programmeID/edit")
    static let programmeAction = RoutePath("programmes/:programmeID/actions")
    static let runAgain = RoutePath("programmes/:programmeID/run-again")
    static let apply = RoutePath("programmes/:programmeID/apply")
    static let withdraw = RoutePath("programmes/:programmeID/withdraw")
    static let invitations = RoutePath("programmes/:programmeID/invitations")
    static let selection = RoutePath("programmes/:programmeID/selection")
    static let applyRanking = RoutePath("programmes/:programmeID/selection/ranking")
    static let decision = RoutePath("programmes/:programmeID/selection/:applicationID")
    static let balance = RoutePath("programmes/:programmeID/balance")
    static let preferences = RoutePath("programmes/:programmeID/preferences")
    static let matching = RoutePath("programmes/:programmeID/matching")
    static let matchingRun = RoutePath("programmes/:programmeID/matching/runs/:runID")
    static let runAdjust = RoutePath("programmes/:programmeID/matching/runs/:runID/adjust")
    static let runPublish = RoutePath("programmes/:programmeID/matching/runs/:runID/publish")
    static let nudge = RoutePath("programmes/:programmeID/matching/nudge")
    static let myMatch = RoutePath("programmes/:programmeID/my-match")
    static let health = RoutePath("health")
    static let openAPI = RoutePath("openapi.json")
}

/// Every JSON API route, under `/api/v1`. `openapi.json` describes exactly these (a test checks it).
enum APIRoute {
    static let me = RoutePath("api/v1/me")
    static let people = RoutePath("api/v1/people")
    static let person = RoutePath("api/v1/people/:personID")
    static let importPeople = RoutePath("api/v1/people/import")
    static let departments = RoutePath("api/v1/departments")
    static let tokens = RoutePath("api/v1/tokens")
    static let token = RoutePath("api/v1/tokens/:tokenID")
    static let users = RoutePath("api/v1/users")
    static let user = RoutePath("api/v1/users/:userID")
    static let outbox = RoutePath("api/v1/outbox")
    static let programmes = RoutePath("api/v1/programmes")
    static let programme = RoutePath("api/v1/programmes/:programmeID")
    static let programmeActions = RoutePath("api/v1/programmes/:programmeID/actions")
    static let runAgain = RoutePath("api/v1/programmes/:programmeID/run-again")
    static let balance = RoutePath("api/v1/programmes/:programmeID/balance")
    static let invitations = RoutePath("api/v1/programmes/:programmeID/invitations")
    static let applications = RoutePath("api/v1/programmes/:programmeID/applications")
    static let ranking = RoutePath("api/v1/programmes/:programmeID/ranking")
    static let myApplication = RoutePath("api/v1/programmes/:programmeID/application")
    static let withdraw = RoutePath("api/v1/programmes/:programmeID/application/withdraw")
    static let application = RoutePath("api/v1/applications/:applicationID")
    static let decision = RoutePath("api/v1/applications/:applicationID/decision")
    static let preferences = RoutePath("api/v1/programmes/:programmeID/application/preferences")
    static let runs = RoutePath("api/v1/programmes/:programmeID/runs")
    static let run = RoutePath("api/v1/runs/:runID")
    static let runAdjustments = RoutePath("api/v1/runs/:runID/adjustments")
    static let runPublish = RoutePath("api/v1/runs/:runID/publish")
    static let pairings = RoutePath("api/v1/programmes/:programmeID/pairings")
    static let nudge = RoutePath("api/v1/programmes/:programmeID/nudge")
    static let myMatch = RoutePath("api/v1/programmes/:programmeID/match")
    static let matchAnswer = RoutePath("api/v1/programmes/:programmeID/match/answer")
}
