import Fluent
import Vapor

/// Signs in the user of a web session. The session holds the user id, the account's
/// `authVersion` and when it signed in, so a password change, a deactivation or age ends it.
struct SessionUserMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let idText = request.session.data["user"], let id = UUID(uuidString: idText),
           let version = request.session.data["v"].flatMap(Int.init),
           let at = request.session.data["at"].flatMap(Double.init),
           request.clock.now().timeIntervalSince1970 - at < request.application.upward.sessionLifetime,
           let user = try await User.find(id, on: request.db),
           user.isActive, user.authVersion == version {
            request.auth.login(user)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// Starts a signed-in session under a new session id (so a planted id is worthless).
    func startSession(for user: User) async throws {
        if let old = session.id {
            try await application.sessions.driver.deleteSession(old, for: self).get()
            session.id = nil
        }
        let csrf = session.data["csrf"]
        session.data = SessionData()
        session.data["csrf"] = csrf
        session.data["user"] = user.id?.uuidString
        session.data["v"] = String(user.authVersion)
        session.data["at"] = String(clock.now().timeIntervalSince1970)
        auth.login(user)
    }

    func endSession() {
        auth.logout(User.self)
        session.destroy()
    }

    /// The signed-in user, or 401.
    func user() throws -> User {
        guard let user = auth.get(User.self) else {
            throw Abort(.unauthorized, reason: "Sign in first.")
        }
        return user
    }
}

/// Authenticates API clients by a personal token: `Authorization: Bearer <token>`.
struct APITokenAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard let token = try await APIToken.query(on: request.db)
            .filter(\.$tokenHash == Secrets.digest(bearer.token))
            .with(\.$user)
            .first(), token.user.isActive
        else { return }
        // Record use at most once a minute: no write on every request.
        let now = request.clock.now()
        if (token.lastUsedAt.map { now.timeIntervalSince($0) > 60 } ?? true) {
            token.lastUsedAt = now
            try await token.save(on: request.db)
        }
        request.auth.login(token.user)
    }
}

/// Lets a request through only for a signed-in user with one of `roles`.
struct RequireRole: AsyncMiddleware {
    let roles: Set<Role>

    init(_ roles: Role...) { self.roles = Set(roles) }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let user = try request.user()
        guard roles.contains(user.role) else {
            let allowed = Role.allCases.filter(roles.contains).map { $0.rawValue + "s" }
            throw Abort(.forbidden, reason: "This is for \(allowed.joined(separator: " and ")) only; you are signed in as a \(user.role.rawValue).")
        }
        return try await next.respond(to: request)
    }
}
