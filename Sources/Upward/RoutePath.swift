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
}
