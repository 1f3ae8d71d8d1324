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

    func signInForm(req: Request) async throws -> Response {
        if req.auth.has(User.self) { return req.redirect(to: WebRoute.home.link()) }
        return try await req.page("sign-in", title: "Sign in", SignInView(next: Self.safeNext(req.query["next"], pages: req.application.routes) ?? ""))
    }

    struct SignInForm: Decodable {
        var email: String
        var password: String
        var next: String?
    }

    func signIn(req: Request) async throws -> Response {
        var form = try req.content.decode(SignInForm.self)
        form.email = String(form.email.prefix(320))  // the longest address there is; more is not worth echoing back
        let next = Self.safeNext(form.next, pages: req.application.routes) ?? ""
        let keys: [AttemptThrottle.Key] = [.signIn(account: form.email), .signIn(address: req.clientAddress)]
        let throttle = req.throttle
        do {
            try await throttle.check(keys)
        } catch let refusal as AttemptThrottle.Refusal {
            let page = try await req.page("sign-in", title: "Sign in", SignInView(email: form.email, next: next, error: refusal.reason),
                                          status: .tooManyRequests)
            page.headers.replaceOrAdd(name: .retryAfter, value: String(refusal.retryAfter))
            return page
        }
        guard let user = try await req.accounts.signIn(email: form.email, password: form.password) else {
            try await throttle.fail(keys)
            return try await req.page("sign-in", title: "Sign in",
                SignInView(email: form.email, next: next,
                           error: "That email and password do not match an active account. Check both, or reset your password."),
                status: .unauthorized)
        }
        try await throttle.clear([.signIn(account: form.email)])
        try await req.startSession(for: user)
        return req.redirect(to: Self.safeNext(form.next, pages: req.application.routes) ?? WebRoute.home.link())
    }

    func signOut(req: Request) async throws -> Response {
        req.endSession()
        return req.redirect(to: WebRoute.signIn.link())
    }

    /// Where to go after signing in: only a path on this site that names one of Upward's pages, with an
    /// optional query. Anything else (another site, `//host`, `/\\host`, control characters that a browser
    /// drops or that would split a header, encoded slashes, dot segments, an unknown path) is nil, and the
    /// caller goes home instead.
    static func safeNext(_ next: String?, pages: Routes) -> String? {
        guard let next, (1...2048).contains(next.utf8.count), next.hasPrefix("/"), !next.hasPrefix("//"),
              next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" }),
              let parts = URLComponents(string: next), parts.scheme == nil, parts.host == nil, parts.fragment == nil
        else { return nil }
        let path = parts.percentEncodedPath
        let lowered = path.lowercased()
        guard !["%2f", "%5c", "%00", "%2e"].contains(where: lowered.contains) else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard !segments.contains(where: { $0 == "." || $0 == ".." }) else { return nil }
        let isPage = pages.all.contains { route in
            guard route.method == .GET, route.path.first != .constant("api") else { return false }
            let template = route.path.filter { $0 != .constant("") }
            let given = segments == [""] ? [] : segments
            guard template.count == given.count else { return false }
            return zip(template, given).allSatisfy { component, segment in
                switch component {
                case .constant(let value): value == segment
                case .parameter: !segment.isEmpty
                default: false
                }
            }
        }
        return isPage ? next : nil
    }

    // MARK: First admin

    func setupForm(req: Request) async throws -> Response {
        let token = try req.parameters.require("token")
        let linkValid = try await req.accounts.validToken(token, purpose: .setup) != nil
        let noAccounts = try await req.accounts.count() == 0
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
        let throttle = req.throttle
        let linkKey = AttemptThrottle.Key.linkUse(address: req.clientAddress)
        try await throttle.check([linkKey])
        do {
            let user = try await req.accounts.createFirstAdmin(
                token: token, name: form.name.trimmingCharacters(in: .whitespaces), email: form.email, password: form.password)
            try await req.startSession(for: user)
            return req.redirect(to: WebRoute.home.link(), flash: "Welcome, \(user.name). You are the first admin. Next: import your staff directory.")
        } catch is AccountService.SetupError {
            try await throttle.fail([linkKey])
            view.valid = false
            return try await req.page("setup", title: "Create the first admin", view, status: .notFound)
        }
    }

    // MARK: Invitations and resets

    private func setPasswordView(_ req: Request, purpose: OneTimeToken.Purpose, error: String? = nil) async throws -> SetPasswordView {
        let token = try req.parameters.require("token")
        let record = try await req.accounts.validToken(token, purpose: purpose)
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
        let throttle = req.throttle
        let linkKey = AttemptThrottle.Key.linkUse(address: req.clientAddress)
        try await throttle.check([linkKey])
        guard let user = try await req.accounts.redeem(token: try req.parameters.require("token"), purpose: purpose, password: form.password) else {
            try await throttle.fail([linkKey])
            let view = try await setPasswordView(req, purpose: purpose)
            return try await req.page("set-password", title: view.heading, view, status: .notFound)
        }
        // A new password: earlier failed sign-ins of this account no longer count.
        try await throttle.clear([.signIn(account: user.email)])
        try await req.startSession(for: user)
        return req.redirect(to: WebRoute.home.link(), flash: flash)
    }

    func forgotForm(req: Request) async throws -> Response {
        try await req.page("forgot-password", title: "Reset your password", ForgotPasswordView(sent: false))
    }

    struct ForgotForm: Decodable {
        var email: String
    }

    func forgot(req: Request) async throws -> Response {
        let form = try req.content.decode(ForgotForm.self)
        // Every request counts, found or not, so the limit neither reveals accounts nor lets anyone flood a mailbox.
        let keys: [AttemptThrottle.Key] = [.resetRequest(account: form.email), .resetRequest(address: req.clientAddress)]
        let throttle = req.throttle
        try await throttle.fail(keys)
        try await throttle.check(keys)
        try await req.accounts.requestPasswordReset(email: form.email)
        return try await req.page("forgot-password", title: "Reset your password", ForgotPasswordView(sent: true))
    }
}
