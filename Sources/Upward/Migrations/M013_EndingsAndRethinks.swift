import Fluent

/// No-fault endings (who ended a pairing, when, and the reason only the coordinator reads), the re-match offer on
/// each application, re-think meetings, and the coordinator's suggestion of one.
struct M013_EndingsAndRethinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        let columns: [(String, DatabaseSchema.DataType)] = [
            ("ended_at", .datetime), ("ended_by_person", .uuid), ("ended_by_coordinator", .string), ("end_reason", .string),
            ("rethink_suggested_at", .datetime),
        ]
        for (name, type) in columns {
            try await database.schema(Pairing.schema).field(FieldKey(stringLiteral: name), type).update()
        }
        try await database.schema(ProgrammeApplication.schema).field("rematch", .string).update()
        try await database.schema(Meeting.schema).field("purpose", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Meeting.schema).deleteField("purpose").update()
        try await database.schema(ProgrammeApplication.schema).deleteField("rematch").update()
        for field in ["rethink_suggested_at", "end_reason", "ended_by_coordinator", "ended_by_person", "ended_at"] {
            try await database.schema(Pairing.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
