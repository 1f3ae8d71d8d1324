import Vapor

/// Cross-site request forgery protection for every web form: a per-session token that each
/// form carries in a hidden `csrf` field. Vapor has no CSRF middleware and none is in our
/// package mirror; the synchroniser-token pattern is a few lines.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if [.POST, .PUT, .PATCH, .DELETE].contains(request.method) {
            // Middleware runs before the route collects its body: a larger (multipart) body may
            // still be streaming, so collect it here or the token would be missed.
            _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
            let sent = try? request.content.get(String.self, at: Self.field)
            guard let expected = request.session.data[Self.field], let sent,
                  Self.constantTimeEqual(Array(sent.utf8), Array(expected.utf8))
            else {
                throw Abort(.forbidden, reason: "This form has expired or came from another site. Go back, reload the page and try again.")
            }
        }
        return try await next.respond(to: request)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// The session's CSRF token, created on first use (which also starts the session).
    var csrfToken: String {
        if let token = session.data[CSRFMiddleware.field] { return token }
        let token = Secrets.newToken()
        session.data[CSRFMiddleware.field] = token
        return token
    }
}
