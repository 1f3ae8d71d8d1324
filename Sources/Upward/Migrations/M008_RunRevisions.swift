import Fluent

/// A run's result as the engine computed it, kept apart from the coordinator's adjusted revision.
struct M008_RunRevisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MatchingRun.schema).field("computed", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchingRun.schema).deleteField("computed").update()
    }
}
