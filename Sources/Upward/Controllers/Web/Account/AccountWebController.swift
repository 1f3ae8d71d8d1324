import Fluent
import Vapor

/// A user's own account: password and personal API tokens.
struct AccountWebController {
    func register(on routes: any RoutesBuilder) {
        let signedIn = routes.grouped(RequireRole(.admin, .coordinator, .participant, .sponsor))
        signedIn.get(WebRoute.account.components, use: account)
        signedIn.post(WebRoute.accountPassword.components, use: changePassword)
        signedIn.get(WebRoute.tokens.components, use: tokens)
        signedIn.post(WebRoute.tokens.components, use: createToken)
        signedIn.post(WebRoute.revokeToken.components, use: revokeToken)
    }

    private func accountView(_ req: Request) throws -> AccountView {
        let user = try req.user()
        return AccountView(name: user.name, email: user.email, role: user.role.rawValue,
                           personLink: user.$person.id.map { WebRoute.person.link($0.uuidString) })
    }

    func account(req: Request) async throws -> Response {
        try await req.page("account", title: "Your account", try accountView(req))
    }

    struct PasswordForm: Decodable {
        var current: String
        var password: String
        var confirmation: String
    }

    func changePassword(req: Request) async throws -> Response {
        let form = try req.content.decode(PasswordForm.self)
        let user = try req.user()
        let service = req.accounts
        var view = try accountView(req)
        if try await service.signIn(email: user.email, password: form.current) == nil {
            view.current.error = "That is not your current password."
        }
        view.password.error = AccountService.passwordProblem(form.password, confirmation: form.confirmation)
        if view.current.error != nil || view.password.error != nil {
            return try await req.page("account", title: "Your account", view, status: .unprocessableEntity)
        }
        try await service.setPassword(form.password, for: user)
        try await req.startSession(for: user)
        return req.redirect(to: WebRoute.account.link(), flash: "Your password has changed. Other sign-ins of your account have ended.")
    }

    private func tokensView(_ req: Request) async throws -> TokensView {
        let tokens = try await req.accounts.apiTokens(of: req.user())
        return TokensView(tokens: try tokens.map {
            TokensView.Row(name: $0.name, prefix: $0.prefix, created: Formatting.dateTime($0.createdAt),
                           lastUsed: $0.lastUsedAt.map { Formatting.dateTime($0) } ?? "never",
                           revoke: WebRoute.revokeToken.link(try $0.requireID()))
        })
    }

    func tokens(req: Request) async throws -> Response {
        try await req.page("tokens", title: "API tokens", try await tokensView(req))
    }

    struct TokenForm: Decodable {
        var name: String
    }

    func createToken(req: Request) async throws -> Response {
        let form = try req.content.decode(TokenForm.self)
        guard let name = AccountService.tokenName(form.name) else {
            var view = try await tokensView(req)
            view.name = FieldState(value: form.name, error: AccountService.tokenNameRefusal)
            return try await req.page("tokens", title: "API tokens", view, status: .unprocessableEntity)
        }
        let (_, secret) = try await req.accounts.createAPIToken(for: req.user(), name: name)
        var view = try await tokensView(req)
        view.secret = secret
        return try await req.page("tokens", title: "API tokens", view, status: .created)
    }

    func revokeToken(req: Request) async throws -> Response {
        if !req.isConfirmed, let id = req.parameters.get("tokenID", as: UUID.self),
           let token = try await req.accounts.apiTokens(of: req.user()).first(where: { $0.id == id }) {
            return try await req.confirmation(ConfirmView(
                heading: "Revoke “\(token.name)”?", message: "Programs using this token stop working at once. A revoked token cannot be restored; you can create a new one.",
                action: WebRoute.revokeToken.link(id), confirmLabel: "Revoke the token", cancelLink: WebRoute.tokens.link(), destructive: true))
        }
        guard let id = req.parameters.get("tokenID", as: UUID.self),
              try await req.accounts.revokeAPIToken(id, of: req.user()) else {
            throw Abort(.notFound, reason: "You have no such token; it may have been revoked already.")
        }
        return req.redirect(to: WebRoute.tokens.link(), flash: "The token is revoked. Programs using it can no longer sign in.")
    }
}
