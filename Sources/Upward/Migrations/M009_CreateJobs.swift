import Fluent

/// The durable job table the worker inside `serve` claims work from.
struct M009_CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Job.schema)
            .id()
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("status", .string, .required)
            .field("run_at", .double, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("claimed_by", .string)
            .field("heartbeat_at", .double)
            .field("last_error", .string)
            .field("unique_key", .string)
            .field("created_at", .double, .required)
            .field("finished_at", .double)
            .unique(on: "unique_key")
            .create()
        try await Indexes.create("jobs_due", on: Job.schema, columns: ["status", "run_at"], in: database)
        // Runs that worked in a process's memory before jobs existed and were cut off by a restart: failed, run again.
        try await MatchingRun.query(on: database).filter(\.$status == .running)
            .set(\.$status, to: .failed).set(\.$error, to: "The server stopped while this run was working, so it did not finish. Run it again.").update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Job.schema).delete()
    }
}
