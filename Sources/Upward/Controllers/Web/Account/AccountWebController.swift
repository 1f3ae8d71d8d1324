import Fluent
import Vapor

/// A user's own account: password, personal API tokens and the private calendar feed's address.
struct AccountWebController {
    func register(on routes: any RoutesBuilder) {
        let signedIn = routes.grouped(RequireRole(.admin, .coordinator, .participant, .sponsor))
        signedIn.get(WebRoute.account.components, use: account)
        signedIn.post(WebRoute.accountPassword.components, use: changePassword)
        signedIn.get(WebRoute.tokens.components, use: tokens)
        signedIn.post(WebRoute.tokens.components, use: createToken)
        signedIn.post(WebRoute.revokeToken.components, use: revokeToken)
        signedIn.post(WebRoute.accountCalendar.components, use: newCalendar)
        signedIn.post(WebRoute.accountCalendarRevoke.components, use: revokeCalendar)
    }

    private func accountView(_ req: Request) async throws -> AccountView {
        let user = try req.user()
        var calendar: CalendarFeedSection?
        if let personID = user.$person.id {
            let created = try await req.pairingSpace.feedCreated(for: personID)
            calendar = CalendarFeedSection(exists: created != nil, since: created.map { Formatting.dateTime($0) })
        }
        return AccountView(name: user.name, email: user.email, role: user.role.rawValue,
                           personLink: user.$person.id.map { WebRoute.person.link($0.uuidString) }, calendar: calendar)
    }

    func account(req: Request) async throws -> Response {
        try await req.page("account", title: "Your account", try await accountView(req))
    }

    // MARK: The calendar feed's address

    /// The person behind the account, whose meetings a feed holds; an account linked to nobody has no feed.
    private func feedOwner(_ req: Request) throws -> UUID {
        guard let personID = try req.user().$person.id else {
            throw Problem(.forbidden, "A calendar feed holds your pairing's meetings, so it is for participants: your account is not linked to anyone in the staff directory.")
        }
        return personID
    }

    /// Makes a new address (the old one stops working) and shows it once.
    func newCalendar(req: Request) async throws -> Response {
        let secret = try await req.pairingSpace.newFeed(for: try feedOwner(req))
        var view = try await accountView(req)
        view.calendar?.newAddress = req.application.upward.publicURL + WebRoute.calendarFeed.link(secret + ".ics")
        return try await req.page("account", title: "Your account", view, status: .created)
    }

    func revokeCalendar(req: Request) async throws -> Response {
        let personID = try feedOwner(req)
        let back = WebRoute.account.link()
        if !req.isConfirmed {
            return try await req.confirmation(ConfirmView(
                heading: "Stop your calendar feed?", message: "Calendars subscribed to your current address stop receiving your meetings and may remove them. You can make a new address at any time.",
                action: WebRoute.accountCalendarRevoke.link(), confirmLabel: "Stop the feed", cancelLink: back, destructive: true))
        }
        guard try await req.pairingSpace.feedCreated(for: personID) != nil else {
            return req.redirect(to: back, flash: "You have no calendar address to stop.")
        }
        try await req.pairingSpace.revokeFeed(for: personID)
        return req.redirect(to: back, flash: "Your calendar feed is stopped: its address no longer works.")
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
        var view = try await accountView(req)
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
