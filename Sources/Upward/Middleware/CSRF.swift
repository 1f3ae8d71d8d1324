import Vapor

/// Cross-site request forgery protection for every web form: a per-session token that each
/// form carries in a hidden `csrf` field. Vapor has no CSRF middleware and none is in our
/// package mirror; the synchroniser-token pattern is a few lines.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "csrf"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if [.POST, .PUT, .PATCH, .DELETE].contains(request.method) {
            // A request without a session token cannot pass: refuse it before reading a byte of its body.
            guard let expected = request.session.data[Self.field] else { throw Self.refusal }
            // Middleware runs before the route collects its body: a larger (multipart) body may still be
            // streaming, so collect it here, no larger than the route accepts, or the token would be missed.
            _ = try await request.body.collect(max: BodyLimit.of(request)).get()
            try NulCharacterMiddleware.check(request)
            let sent = try? request.content.get(String.self, at: Self.field)  // a form without the field is refused below
            guard let sent, Self.constantTimeEqual(Array(sent.utf8), Array(expected.utf8)) else { throw Self.refusal }
        }
        return try await next.respond(to: request)
    }

    static let refusal = Abort(.forbidden, reason: "This form has expired or came from another site. Go back, reload the page and try again.")

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

/// How large a request body may be: 1 MB everywhere, more only where a route says so (the directory import).
enum BodyLimit {
    static let standard = 1 << 20
    static let directoryImport = 64 << 20

    /// Registers a POST whose body may reach `bytes` for a signed-in user with one of `roles`; the CSRF check
    /// reads the route's limit from here, so nobody else makes the server hold more than the standard limit.
    static func post(_ routes: any RoutesBuilder, _ path: [PathComponent], maxBytes bytes: Int, for roles: Set<Role>,
                     use handler: @escaping @Sendable (Request) async throws -> some AsyncResponseEncodable) {
        let route = routes.on(.POST, path, body: .collect(maxSize: ByteCount(value: bytes)), use: handler)
        route.userInfo[AnySendableHashable(key)] = Allowance(bytes: bytes, roles: roles)
    }

    private struct Allowance: Sendable {
        var bytes: Int
        var roles: Set<Role>
    }

    /// How much of this request's body may be read: the route's larger limit only for the roles it admits.
    static func of(_ request: Request) -> Int {
        guard let allowance = request.route?.userInfo[AnySendableHashable(key)] as? Allowance,
              let role = request.auth.get(User.self)?.role, allowance.roles.contains(role) else { return standard }
        return allowance.bytes
    }

    static func describe(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes >> 10) KB"
    }

    private static let key = "upward.maxBodyBytes"
}
