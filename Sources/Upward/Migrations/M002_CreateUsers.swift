import Fluent

struct M002_CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string)
            .field("role", .string, .required)
            .field("person_id", .uuid, .references(Person.schema, .id, onDelete: .setNull))
            .field("auth_version", .int, .required)
            .field("deactivated_at", .datetime)
            .field("last_sign_in_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "email")
            .create()
        try await Indexes.create("users_person_idx", on: User.schema, columns: ["person_id"], in: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}
