import Fluent
import Vapor

/// Sign-in and sign-out, the first-admin setup, invitations and password resets.
struct AuthWebController {
    func register(on routes: any RoutesBuilder) {
        routes.get(WebRoute.signIn.components, use: signInForm)
        routes.post(WebRoute.signIn.components, use: signIn)
        routes.post(WebRoute.signOut.components, use: signOut)
        routes.get(WebRoute.setup.components, use: setupForm)
        routes.post(WebRoute.setup.components, use: setup)
        routes.get(WebRoute.invitation.components, use: invitationForm)
        routes.post(WebRoute.invitation.components, use: acceptInvitation)
        routes.get(WebRoute.forgotPassword.components, use: forgotForm)
        routes.post(WebRoute.forgotPassword.components, use: forgot)
        routes.get(WebRoute.resetPassword.components, use: resetForm)
        routes.post(WebRoute.resetPassword.components, use: reset)
    }

    struct SignInView: Encodable {
        var email = ""
        var next = ""
        var error: String?
    }

    func signInForm(req: Request) async throws -> Response {
        if req.auth.has(User.self) { return req.redirect(to: WebRoute.home.link()) }
        return try await req.page("sign-in", title: "Sign in", SignInView(next: Self.safeNext(req.query["next"]) ?? ""))
    }

    struct SignInForm: Decodable {
        var email: String
        var password: String
        var next: String?
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        guard let user = try await AccountService(req).signIn(email: form.email, password: form.password) else {
            return try await req.page("sign-in", title: "Sign in",
                SignInView(email: form.email, next: form.next ?? "",
                           error: "That email and password do not match an active account. Check both, or reset your password."),
                status: .unauthorized)
        }
        try await req.startSession(for: user)
        return req.redirect(to: Self.safeNext(form.next) ?? WebRoute.home.link())
    }

    func signOut(req: Request) async throws -> Response {
        req.endSession()
        return req.redirect(to: WebRoute.signIn.link())
    }

    /// Only paths on this site: never `//elsewhere` or `https://…`.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return nil }
        return next
    }

    // MARK: First admin

    struct SetupView: Encodable {
        var action: String
        var valid: Bool
        var name = FieldState()
        var email = FieldState()
        var password = FieldState()

        init(token: String, valid: Bool) {
            action = WebRoute.setup.link(token)
            self.valid = valid
        }
    }

    func setupForm(req: Request) async throws -> Response {
        let token = try req.parameters.require("token")
        let linkValid = try await AccountService(req).validToken(token, purpose: .setup) != nil
        let noAccounts = try await User.query(on: req.db).count() == 0
        let valid = linkValid && noAccounts
        return try await req.page("setup", title: "Create the first admin", SetupView(token: token, valid: valid),
                                  status: valid ? .ok : .notFound)
    }

    struct SetupForm: Decodable {
        var name: String
        var email: String
        var password: String
        var confirmation: String
    }

    func setup(req: Request) async throws -> Response {
        let token = try req.parameters.require("token")
        let form = try req.content.decode(SetupForm.self)
        var view = SetupView(token: token, valid: true)
        view.name = FieldState(value: form.name, error: form.name.trimmingCharacters(in: .whitespaces).isEmpty ? "Enter your name." : nil)
        view.email = FieldState(value: form.email, error: DirectoryFile.looksLikeEmail(form.email.lowercased()) ? nil : "Enter an email address, like ada@example.org.")
        view.password = FieldState(error: AccountService.passwordProblem(form.password, confirmation: form.confirmation))
        if view.name.error != nil || view.email.error != nil || view.password.error != nil {
            return try await req.page("setup", title: "Create the first admin", view, status: .unprocessableEntity)
        }
        do {
            let user = try await AccountService(req).createFirstAdmin(
                token: token, name: form.name.trimmingCharacters(in: .whitespaces), email: form.email, password: form.password)
            try await req.startSession(for: user)
            return req.redirect(to: WebRoute.home.link(), flash: "Welcome, \(user.name). You are the first admin. Next: import your staff directory.")
        } catch is AccountService.SetupError {
            view.valid = false
            return try await req.page("setup", title: "Create the first admin", view, status: .notFound)
        }
    }

    // MARK: Invitations and resets

    struct SetPasswordView: Encodable {
        var token: String
        var valid: Bool
        var heading: String
        var intro: String
        var action: String
        var name: String?
        var email: String?
        var error: String?
    }

    private func setPasswordView(_ req: Request, purpose: OneTimeToken.Purpose, error: String? = nil) async throws -> SetPasswordView {
        let token = try req.parameters.require("token")
        let record = try await AccountService(req).validToken(token, purpose: purpose)
        let invitation = purpose == .invitation
        return SetPasswordView(
            token: token, valid: record?.user?.isActive ?? false,
            heading: invitation ? "Welcome to Upward" : "Choose a new password",
            intro: invitation ? "Choose a password to finish setting up your account." : "Choose a new password for your account.",
            action: invitation ? WebRoute.invitation.link(token) : WebRoute.resetPassword.link(token),
            name: record?.user?.name, email: record?.user?.email, error: error)
    }

    func invitationForm(req: Request) async throws -> Response {
        let view = try await setPasswordView(req, purpose: .invitation)
        return try await req.page("set-password", title: view.heading, view, status: view.valid ? .ok : .notFound)
    }

    func acceptInvitation(req: Request) async throws -> Response {
        try await redeem(req, purpose: .invitation, flash: "Your password is set. Welcome to Upward.")
    }

    func resetForm(req: Request) async throws -> Response {
        let view = try await setPasswordView(req, purpose: .passwordReset)
        return try await req.page("set-password", title: view.heading, view, status: view.valid ? .ok : .notFound)
    }

    func reset(req: Request) async throws -> Response {
        try await redeem(req, purpose: .passwordReset, flash: "Your password has changed. Other sign-ins of your account have ended.")
    }

    struct PasswordForm: Decodable {
        var password: String
        var confirmation: String
    }

    private func redeem(_ req: Request, purpose: OneTimeToken.Purpose, flash: String) async throws -> Response {
        let form = try req.content.decode(PasswordForm.self)
        if let problem = AccountService.passwordProblem(form.password, confirmation: form.confirmation) {
            let view = try await setPasswordView(req, purpose: purpose, error: problem)
            return try await req.page("set-password", title: view.heading, view, status: .unprocessableEntity)
        }
        guard let user = try await AccountService(req).redeem(token: try req.parameters.require("token"), purpose: purpose, password: form.password) else {
            let view = try await setPasswordView(req, purpose: purpose)
            return try await req.page("set-password", title: view.heading, view, status: .notFound)
        }
        try await req.startSession(for: user)
        return req.redirect(to: WebRoute.home.link(), flash: flash)
    }

    struct ForgotView: Encodable {
        var sent: Bool
    }

    func forgotForm(req: Request) async throws -> Response {
        try await req.page("forgot-password", title: "Reset your password", ForgotView(sent: false))
    }

    struct ForgotForm: Decodable {
        var email: String
    }

    func forgot(req: Request) async throws -> Response {
        let form = try req.content.decode(ForgotForm.self)
        try await AccountService(req).requestPasswordReset(email: form.email)
        return try await req.page("forgot-password", title: "Reset your password", ForgotView(sent: true))
    }
}
