import Fluent

struct M004_CreateOutboxAndImports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxMessage.schema)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(DirectoryImportRecord.schema)
            .id()
            .field("imported_by", .string)
            .field("source", .string, .required)
            .field("created_count", .int, .required)
            .field("updated_count", .int, .required)
            .field("unchanged_count", .int, .required)
            .field("leaver_count", .int, .required)
            .field("invited_count", .int, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DirectoryImportRecord.schema).delete()
        try await database.schema(OutboxMessage.schema).delete()
    }
}
