import Fluent
import Vapor

/// What a signed-in account may do (DESIGN.md, "Who uses it").
enum Role: String, Codable, CaseIterable, Sendable {
    case admin, coordinator, participant, sponsor

    var label: String { rawValue.capitalized }
}

/// An account. People imported from the directory get one with no password and an invitation.
final class User: Model, Authenticatable, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @OptionalField(key: "password_hash") var passwordHash: String?
    @Enum(key: "role") var role: Role
    @OptionalParent(key: "person_id") var person: Person?
    /// Bumped when the password changes or the account is deactivated: older sessions stop working.
    @Field(key: "auth_version") var authVersion: Int
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?
    @OptionalField(key: "last_sign_in_at") var lastSignInAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// The key of this person's one-click unsubscribe links, made with their first message that has one.
    @OptionalField(key: "unsubscribe_token") var unsubscribeToken: String?

    init() {}

    init(email: String, name: String, role: Role, personID: UUID? = nil, passwordHash: String? = nil) {
        self.email = email.lowercased()
        self.name = name
        self.role = role
        self.$person.id = personID
        self.passwordHash = passwordHash
        self.authVersion = 1
    }

    var isActive: Bool { deactivatedAt == nil }
}
