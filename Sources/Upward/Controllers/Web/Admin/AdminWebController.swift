import Fluent
import Vapor

/// Admins: accounts and roles, and the outbox of messages waiting for mail delivery.
struct AdminWebController {
    func register(on routes: any RoutesBuilder) {
        let admins = routes.grouped(RequireRole(.admin))
        admins.get(WebRoute.users.components, use: users)
        admins.post(WebRoute.userRole.components, use: setRole)
        admins.get(WebRoute.outbox.components, use: outbox)
    }

    func users(req: Request) async throws -> Response {
        let q = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let (users, total) = try await req.accounts.users(matching: q)
        let view = UsersView(users: try users.map { user in
            UsersView.Row(name: user.name, email: user.email, role: user.role.rawValue,
                          status: !user.isActive ? "deactivated (left)" : user.passwordHash == nil ? "invited" : "active",
                          action: WebRoute.userRole.link(try user.requireID()),
                          roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0 == user.role) })
        }, total: total, q: q)
        return try await req.page("users", title: "Users", view)
    }

    struct RoleForm: Decodable {
        var role: Role
    }

    func setRole(req: Request) async throws -> Response {
        let user = try await req.accounts.user(req.parameters.get("userID", as: UUID.self))
        let form: RoleForm
        do {
            form = try req.content.decode(RoleForm.self)
        } catch {
            throw Abort(.badRequest, reason: "Choose one of the roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        do {
            try await req.accounts.setRole(form.role, of: user)
        } catch AccountService.RoleChangeError.lastAdmin {
            return req.redirect(to: WebRoute.users.link(), flash: "\(user.email) is the last admin. Make another account admin first.")
        }
        return req.redirect(to: WebRoute.users.link(), flash: "\(user.email) is now a \(form.role.rawValue).")
    }

    func outbox(req: Request) async throws -> Response {
        let (messages, total) = try await req.accounts.outbox(limit: 100)
        return try await req.page("outbox", title: "Outbox", OutboxView(
            messages: messages.map { OutboxView.Message(recipient: $0.recipient, subject: $0.subject, body: $0.body, created: Formatting.dateTime($0.createdAt)) },
            total: total))
    }
}
