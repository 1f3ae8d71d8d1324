import Fluent
import Vapor

/// `/api/v1/tokens` (own tokens), `/api/v1/users` and `/api/v1/outbox` (admins).
struct AccountAPIController {
    func register(on routes: any RoutesBuilder) {
        routes.get(APIRoute.tokens.components, use: tokens)
        routes.post(APIRoute.tokens.components, use: createToken)
        routes.delete(APIRoute.token.components, use: revokeToken)
        let admins = routes.grouped(RequireRole(.admin))
        admins.get(APIRoute.users.components, use: users)
        admins.patch(APIRoute.user.components, use: updateUser)
        admins.get(APIRoute.outbox.components, use: outbox)
        admins.post(APIRoute.outboxMessage.components, use: outboxAction)
        admins.get(APIRoute.jobs.components, use: jobs)
    }

    struct JobsQuery: Decodable {
        var page: Int?
        var per: Int?
    }

    /// Jobs that failed or are being tried again, newest first, with the counts by status.
    func jobs(req: Request) async throws -> JobsPageDTO {
        let query = try req.strictQuery(JobsQuery.self)
        let paging = try PageRequest(page: query.page, per: query.per, defaultPer: JobsOverview.perPage, maxPer: 200)
        let overview = JobsOverview(database: req.db, clock: req.application.clock)
        let (jobs, total) = try await overview.troubled(paging)
        let counts = try await overview.counts()
        return JobsPageDTO(items: jobs.map(JobDTO.init), page: paging.page, per: paging.per, total: total,
                           pageCount: paging.pageCount(of: total),
                           counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
    }

    func tokens(req: Request) async throws -> [APITokenDTO] {
        try await req.accounts.apiTokens(of: req.user()).map(APITokenDTO.init)
    }

    func createToken(req: Request) async throws -> Response {
        let body = try req.jsonBody(CreateAPITokenRequest.self)
        guard let name = AccountService.tokenName(body.name) else {
            throw Problem(.unprocessableEntity, AccountService.tokenNameRefusal)
        }
        let (token, secret) = try await req.accounts.createAPIToken(for: req.user(), name: name)
        return try await CreatedAPITokenDTO(token: APITokenDTO(token), secret: secret).encodeResponse(status: .created, for: req)
    }

    func revokeToken(req: Request) async throws -> HTTPStatus {
        guard let id = req.parameters.get("tokenID", as: UUID.self),
              try await req.accounts.revokeAPIToken(id, of: req.user()) else {
            throw Problem(.notFound, "You have no token with that id. GET /api/v1/tokens lists yours.")
        }
        return .noContent
    }

    func users(req: Request) async throws -> [UserDTO] {
        try await req.accounts.users(limit: 10_000, byRole: false).users.map(UserDTO.init)
    }

    func updateUser(req: Request) async throws -> UserDTO {
        let user = try await req.accounts.user(req.parameters.get("userID", as: UUID.self))
        let body = try req.jsonBody(UpdateUserRequest.self)
        do {
            try await req.accounts.setRole(body.role, of: user)
        } catch AccountService.RoleChangeError.lastAdmin {
            throw Problem(.conflict, "This is the last admin. Make another account admin first.")
        }
        return UserDTO(user)
    }

    struct OutboxQuery: Decodable {
        var status: OutboxStatus?
        var q: String?
        var page: Int?
        var per: Int?
    }

    /// Newest first, filtered by state and by part of the recipient or subject, a page at a time.
    func outbox(req: Request) async throws -> PageDTO<OutboxMessageDTO> {
        let query = try req.strictQuery(OutboxQuery.self)
        try TextLimit.check([("q", query.q, TextLimit.line)])
        let paging = try PageRequest(page: query.page, per: query.per, defaultPer: OutboxService.perPage, maxPer: 200)
        let (messages, total) = try await req.outbox.page(.init(status: query.status, text: query.q), page: paging.page, per: paging.per)
        let delivering = req.application.upward.smtp != nil
        return PageDTO(items: messages.map { OutboxMessageDTO($0, mailIsDelivered: delivering) }, page: paging.page, per: paging.per, total: total,
                       pageCount: max(1, (total + paging.per - 1) / paging.per))
    }

    struct OutboxActionBody: Content {
        enum Action: String, Codable, CaseIterable { case retry, cancel }
        var action: Action
    }

    func outboxAction(req: Request) async throws -> OutboxMessageDTO {
        let body = try req.jsonBody(OutboxActionBody.self)
        let id = req.parameters.get("messageID", as: UUID.self)
        switch body.action {
        case .retry: return OutboxMessageDTO(try await req.outbox.retry(id), mailIsDelivered: req.application.upward.smtp != nil)
        case .cancel: return OutboxMessageDTO(try await req.outbox.cancel(id), mailIsDelivered: req.application.upward.smtp != nil)
        }
    }
}
