import Fluent

/// Counters of failed sign-ins, reset requests and link uses, shared by every instance.
struct M007_CreateAttemptThrottles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("attempt_throttles")
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("last_failure_at", .double, .required)
            .field("blocked_until", .double)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attempt_throttles").delete()
    }
}
