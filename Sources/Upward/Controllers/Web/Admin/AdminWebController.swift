import Fluent
import Vapor

/// Admins: accounts and roles, the outbox of messages waiting for mail delivery, and the background jobs.
struct AdminWebController {
    func register(on routes: any RoutesBuilder) {
        let admins = routes.grouped(RequireRole(.admin))
        admins.get(WebRoute.users.components, use: users)
        admins.post(WebRoute.userRole.components, use: setRole)
        admins.get(WebRoute.outbox.components, use: outbox)
        admins.post(WebRoute.outboxMessage.components, use: outboxAction)
        admins.get(WebRoute.jobs.components, use: jobs)
        admins.post(WebRoute.job.components, use: runJobAgain)
    }

    struct PageQuery: Decodable { var page: Int? }

    func jobs(req: Request) async throws -> Response {
        let paging = PageRequest(lenientPage: try req.strictQuery(PageQuery.self).page, per: JobsOverview.perPage)
        let overview = JobsOverview(database: req.db, clock: req.application.clock)
        let (jobs, total) = try await overview.troubled(paging)
        return try await req.page("jobs", title: "Background jobs", JobsView(counts: try await overview.counts(), jobs: jobs, total: total, page: paging))
    }

    func runJobAgain(req: Request) async throws -> Response {
        let back = WebRoute.jobs.link()
        return try await req.redirecting(to: back, onRefusal: "Not run again") {
            try await JobsOverview(database: req.db, clock: req.application.clock).runAgain(req.parameters.get("jobID", as: UUID.self))
            return req.redirect(to: back, flash: "The job runs again at the next round.")
        }
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

    struct OutboxQuery: Decodable {
        var status: String?
        var q: String?
        var page: Int?
    }

    func outbox(req: Request) async throws -> Response {
        let query = try req.strictQuery(OutboxQuery.self)
        var filter = OutboxService.Filter()
        if let raw = query.status, !raw.isEmpty {
            guard let status = OutboxStatus(rawValue: raw) else {
                throw InvalidInput(issues: [FieldIssue(field: "status", message: "status must be one of: \(OutboxStatus.allCases.map(\.rawValue).joined(separator: ", ")).")])
            }
            filter.status = status
        }
        try TextLimit.check([("q", query.q, TextLimit.line)])
        filter.text = query.q
        let paging = PageRequest(lenientPage: query.page, per: OutboxService.perPage)
        let service = req.outbox
        let (messages, total) = try await service.page(filter, page: paging.page, per: paging.per)
        let view = OutboxView(messages: messages, total: total, counts: try await service.counts(), filter: filter, page: paging.page,
                              per: paging.per, delivery: req.application.upward.smtp.map { "\($0.redacted), from \(req.application.upward.mailFrom ?? "")" })
        return try await req.page("outbox", title: "Outbox", view)
    }

    func outboxAction(req: Request) async throws -> Response {
        let form = try req.content.decode([String: String].self)
        let back = WebRoute.outbox.link()
        let id = req.parameters.get("messageID", as: UUID.self)
        return try await req.redirecting(to: back, onRefusal: "Not changed") {
            switch form["action"] {
            case "retry":
                try await req.outbox.retry(id)
                return req.redirect(to: back, flash: "The message will be sent again at the next round.")
            case "cancel":
                try await req.outbox.cancel(id)
                return req.redirect(to: back, flash: "Cancelled: the message will not be sent.")
            default:
                return req.redirect(to: back, flash: "Choose to send the message again or to cancel it.")
            }
        }
    }
}
