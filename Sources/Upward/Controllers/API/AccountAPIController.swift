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

    func outbox(req: Request) async throws -> [OutboxMessageDTO] {
        try await req.accounts.outbox(limit: 500).messages.map(OutboxMessageDTO.init)
    }
}
