import Fluent
import Foundation

/// Where a background job stands.
enum JobStatus: String, Codable, Sendable {
    /// Waiting for `runAt`, then for a worker.
    case queued
    /// Claimed by a worker, which beats its heart while it works.
    case running
    case done
    /// Gave up: out of attempts, or abandoned by a worker that stopped.
    case failed
}

/// Work that outlives a request, stored in the database so that it survives a restart and several instances
/// share it: matching runs, consent deadlines, and (later) mail and reminders. Times are seconds since 1970,
/// compared the same way in SQLite and PostgreSQL.
final class Job: Model, @unchecked Sendable {
    static let schema = "jobs"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    /// The job's input as JSON (for a matching run, the run's id).
    @Field(key: "payload") var payload: String
    @Enum(key: "status") var status: JobStatus
    @Field(key: "run_at") var runAt: Double
    @Field(key: "attempts") var attempts: Int
    @Field(key: "max_attempts") var maxAttempts: Int
    /// The worker working on it.
    @OptionalField(key: "claimed_by") var claimedBy: String?
    @OptionalField(key: "heartbeat_at") var heartbeatAt: Double?
    @OptionalField(key: "last_error") var lastError: String?
    /// Makes a scheduled occurrence unique ("consent.expire@1763900400"), so two instances never add it twice.
    @OptionalField(key: "unique_key") var uniqueKey: String?
    @Field(key: "created_at") var createdAt: Double
    @OptionalField(key: "finished_at") var finishedAt: Double?

    init() {}
}
