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
        let name = body.name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count) else {
            throw Problem(.unprocessableEntity, "Give the token a name of 1 to 100 characters, so you can tell it apart later.")
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
        try await User.query(on: req.db).sort(\.$email).all().map(UserDTO.init)
    }

    func updateUser(req: Request) async throws -> UserDTO {
        guard let id = req.parameters.get("userID", as: UUID.self), let user = try await User.find(id, on: req.db) else {
            throw Problem(.notFound, "No account has that id. GET /api/v1/users lists them.")
        }
        let body = try req.jsonBody(UpdateUserRequest.self)
        do {
            try await req.accounts.setRole(body.role, of: user)
        } catch AccountService.RoleChangeError.lastAdmin {
            throw Problem(.conflict, "This is the last admin. Make another account admin first.")
        }
        return UserDTO(user)
    }

    func outbox(req: Request) async throws -> [OutboxMessageDTO] {
        try await OutboxMessage.query(on: req.db).sort(\.$createdAt, .descending).limit(500).all().map(OutboxMessageDTO.init)
    }
}
