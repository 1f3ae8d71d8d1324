import Fluent

/// Check-in answers, and each programme's check-in schedule and health thresholds.
struct M011_CreateCheckIns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Programme.schema).field("check_in_schedule", .string, .required, .sql(unsafeRaw: "DEFAULT '{}'")).update()
        try await database.schema(Programme.schema).field("health_thresholds", .string, .required, .sql(unsafeRaw: "DEFAULT '{}'")).update()
        try await database.schema(CheckIn.schema)
            .id()
            .field("pairing_id", .uuid, .required, .references(Pairing.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .field("kind", .string, .required)
            .field("due_on", .string, .required)
            .field("answered_at", .datetime, .required)
            .field("relationship", .int)
            .field("safety", .int)
            .field("progress", .int)
            .field("fit", .string)
            .field("needs_help", .bool, .required)
            .field("comment", .string)
            .unique(on: "pairing_id", "person_id", "kind", "due_on")
            .create()
        try await Indexes.create("check_ins_pairing", on: CheckIn.schema, columns: ["pairing_id", "person_id"], in: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CheckIn.schema).delete()
        try await database.schema(Programme.schema).deleteField("health_thresholds").update()
        try await database.schema(Programme.schema).deleteField("check_in_schedule").update()
    }
}
