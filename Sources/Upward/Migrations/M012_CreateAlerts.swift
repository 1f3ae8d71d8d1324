import Fluent

/// Alerts raised from the health signals.
struct M012_CreateAlerts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Alert.schema)
            .id()
            .field("pairing_id", .uuid, .required, .references(Pairing.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("detail", .string, .required)
            .field("action", .string, .required)
            .field("raised_by", .uuid)
            .field("raised_at", .datetime, .required)
            .field("status", .string, .required)
            .field("note", .string)
            .field("handled_by", .string)
            .field("handled_at", .datetime)
            .field("open_key", .string)
            .unique(on: "open_key")
            .create()
        try await Indexes.create("alerts_programme", on: Alert.schema, columns: ["programme_id", "status"], in: database)
        try await Indexes.create("alerts_pairing", on: Alert.schema, columns: ["pairing_id", "kind"], in: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Alert.schema).delete()
    }
}
