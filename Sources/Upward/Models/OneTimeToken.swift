import Fluent
import Foundation

/// A single-use, expiring link: the first-admin setup, an invitation, a password reset.
/// Only the SHA-256 of the token is stored, so a leaked database does not leak working links.
final class OneTimeToken: Model, @unchecked Sendable {
    static let schema = "one_time_tokens"

    enum Purpose: String, Codable, Sendable {
        case setup, invitation, passwordReset = "password_reset"
    }

    @ID(key: .id) var id: UUID?
    @Enum(key: "purpose") var purpose: Purpose
    @Field(key: "token_hash") var tokenHash: String
    @OptionalParent(key: "user_id") var user: User?
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(purpose: Purpose, tokenHash: String, userID: UUID?, expiresAt: Date) {
        self.purpose = purpose
        self.tokenHash = tokenHash
        self.$user.id = userID
        self.expiresAt = expiresAt
    }
}
