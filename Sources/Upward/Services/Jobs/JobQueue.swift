import Fluent
import Foundation
import SQLKit
import Vapor

/// A kind of background job, named in the `jobs` table.
struct JobKind: Hashable, Sendable, CustomStringConvertible {
    let name: String
    init(_ name: String) { self.name = name }
    var description: String { name }
}

/// The durable job table: adding work, claiming it so that only one worker of one instance gets each job,
/// running it with a heartbeat, recording the outcome, and noticing work a stopped process left behind.
///
/// A claim is one conditional `UPDATE … WHERE status = 'queued' RETURNING id`: of two workers (in one process or
/// in several instances) only one moves a job from queued to running. A job runs at least once: one whose worker
/// went silent for `abandonedAfter` is queued again while it has attempts left, so a kind attempted more than once
/// must be safe to repeat (a matching run is attempted once). PostgreSQL picks the candidate with
/// `FOR UPDATE SKIP LOCKED`, so workers do not queue behind each other; SQLite lets one writer in at a time.
struct JobQueue {
    let database: any Database
    let clock: UpwardClock

    /// How often a running job tells the table it is alive.
    static let heartbeat: Duration = .seconds(5)
    /// A running job whose heart has not beaten for this long was left by a process that stopped.
    static let abandonedAfter: TimeInterval = 60
    /// Finished jobs are forgotten after this long (failed ones after four times as long).
    static let keepFinished: TimeInterval = 7 * 24 * 3600

    private var now: Double { clock.now().timeIntervalSince1970 }

    /// Adds a job; it runs once `runAt` has come, and is attempted up to `maxAttempts` times (a matching run once:
    /// the coordinator runs it again). With a `uniqueKey` already taken, nothing is added and nil comes
    /// back (a scheduled occurrence that another instance added first). Joins the caller's write transaction.
    @discardableResult
    func enqueue(_ kind: JobKind, payload: some Encodable, runAt: Date? = nil, uniqueKey: String? = nil,
                 maxAttempts: Int = 5) async throws -> UUID? {
        let id = UUID()
        let now = self.now
        let text = JSONText.encode(payload)
        let rows = try await database.writeTransaction { db in try await db.requireSQL().raw("""
            INSERT INTO \(ident: Job.schema) (id, kind, payload, status, run_at, attempts, max_attempts, unique_key, created_at)
            VALUES (\(bind: id), \(bind: kind.name), \(bind: text), \(bind: JobStatus.queued.rawValue),
                    \(bind: runAt?.timeIntervalSince1970 ?? now), 0, \(bind: max(1, maxAttempts)), \(bind: uniqueKey), \(bind: now))
            ON CONFLICT (unique_key) DO NOTHING
            RETURNING id
            """).all() }
        return rows.isEmpty ? nil : id
    }

    private struct Claimed: Decodable { var id: UUID }

    /// Claims the job due longest among `kinds` (or, with `id`, that job whatever its time) for `worker`, or nil
    /// when there is none or another worker was quicker. A worker names the kinds it knows, so an older instance
    /// never takes (and fails) a kind that only a newer one can run.
    func claim(worker: String, kinds: [String]? = nil, id: UUID? = nil) async throws -> Job? {
        let now = self.now
        let claimed = try await database.writeTransaction { db in
            let sql = try db.requireSQL()
            let candidate: SQLQueryString = if let id {
                "\(bind: id)"
            } else {
                """
                (SELECT id FROM \(ident: Job.schema) WHERE status = \(bind: JobStatus.queued.rawValue) AND run_at <= \(bind: now)
                 AND \(kindFilter(kinds)) ORDER BY run_at, created_at LIMIT 1\(unsafeRaw: sql.dialect.name == "sqlite" ? "" : " FOR UPDATE SKIP LOCKED"))
                """
            }
            return try await sql.raw("""
                UPDATE \(ident: Job.schema) SET status = \(bind: JobStatus.running.rawValue), claimed_by = \(bind: worker),
                  heartbeat_at = \(bind: now), attempts = attempts + 1
                WHERE id = \(candidate) AND status = \(bind: JobStatus.queued.rawValue)
                RETURNING id
                """).first(decoding: Claimed.self)
        }
        guard let claimed else { return nil }
        return try await Job.find(claimed.id, on: database)
    }

    private func kindFilter(_ kinds: [String]?) -> SQLQueryString {
        guard let kinds else { return "1 = 1" }
        guard !kinds.isEmpty else { return "1 = 0" }
        var list = SQLQueryString("kind IN (")
        for (k, kind) in kinds.enumerated() { list.appendInterpolation(unsafeRaw: k == 0 ? "" : ", "); list.appendInterpolation(bind: kind) }
        list.appendInterpolation(unsafeRaw: ")")
        return list
    }

    /// Runs a claimed job's `body` while its heart beats, then records the outcome: done; queued again after a
    /// growing pause while attempts remain; failed with the error once they are spent.
    func perform(_ job: Job, worker: String, _ body: @escaping @Sendable () async throws -> Void) async {
        guard let id = job.id else { return }
        let beats = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.heartbeat)
                if Task.isCancelled { break }
                try? await beat(id, worker: worker)
            }
        }
        let outcome: (any Error)?
        do {
            try await body()
            outcome = nil
        } catch {
            outcome = error
        }
        beats.cancel()
        await beats.value
        do {
            try await finish(job, worker: worker, error: outcome)
        } catch {
            // The table could not be told; after `abandonedAfter` the job counts as abandoned and is handled then.
        }
    }

    func beat(_ id: UUID, worker: String) async throws {
        let now = self.now
        try await database.writeTransaction { db in
            try await db.requireSQL().update(Job.schema).set("heartbeat_at", to: now)
                .where("id", .equal, id).where("claimed_by", .equal, worker).where("status", .equal, JobStatus.running.rawValue).run()
        }
    }

    /// Waits before the next attempt: 30 s, 1 min, 2 min … up to an hour.
    static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(30 * pow(2, Double(max(0, min(attempt - 1, 20)))), 3600)
    }

    private func finish(_ job: Job, worker: String, error: (any Error)?) async throws {
        let id = try job.requireID()
        let now = self.now
        let message = error.map { String(String(describing: $0).prefix(2000)) }
        let retry = error != nil && job.attempts < job.maxAttempts
        let attempts = job.attempts
        try await database.writeTransaction { db in
            var update = try db.requireSQL().update(Job.schema).set("claimed_by", to: SQLLiteral.null)
            if let message { update = update.set("last_error", to: message) }
            if retry {
                update = update.set("status", to: JobStatus.queued.rawValue).set("run_at", to: now + Self.backoff(afterAttempt: attempts))
            } else {
                update = update.set("status", to: (message == nil ? JobStatus.done : .failed).rawValue).set("finished_at", to: now)
            }
            try await update.where("id", .equal, id).where("claimed_by", .equal, worker)
                .where("status", .equal, JobStatus.running.rawValue).run()
        }
    }

    /// Jobs whose worker stopped (its heart no longer beats): each is queued again while it has attempts left,
    /// else failed. Returns the jobs that failed this way, for their kind to tidy up after (a matching run is
    /// marked failed with "run again").
    func recoverAbandoned() async throws -> [Job] {
        let now = self.now
        let cutoff = now - Self.abandonedAfter
        let stale = try await Job.query(on: database).filter(\.$status == .running).filter(\.$heartbeatAt < cutoff).all()
        var failed: [Job] = []
        for job in stale {
            let retry = job.attempts < job.maxAttempts
            let rows = try await database.writeTransaction { db in
                try await db.requireSQL().update(Job.schema)
                    .set("status", to: (retry ? JobStatus.queued : .failed).rawValue)
                    .set("claimed_by", to: SQLLiteral.null)
                    .set("last_error", to: "The worker running this job (\(job.claimedBy ?? "unknown")) stopped before it finished.")
                    .set("finished_at", to: retry ? nil : now)
                    .where("id", .equal, job.requireID()).where("status", .equal, JobStatus.running.rawValue)
                    .where("heartbeat_at", .lessThan, cutoff)
                    .returning("id").all()
            }
            if !rows.isEmpty && !retry { failed.append(job) }
        }
        return failed
    }

    /// Adds the current occurrence of a job that repeats every `interval` seconds, unless it is there already.
    func schedule(_ kind: JobKind, every interval: TimeInterval) async throws {
        let slot = (now / interval).rounded(.down) * interval
        try await enqueue(kind, payload: [String: String](), runAt: Date(timeIntervalSince1970: slot),
                          uniqueKey: "\(kind.name)@\(Int(slot))", maxAttempts: 1)
    }

    /// Forgets finished jobs past their keeping time.
    func purge() async throws {
        let now = self.now
        try await database.writeTransaction { db in
            try await db.requireSQL().delete(from: Job.schema)
                .where("status", .equal, JobStatus.done.rawValue).where("finished_at", .lessThan, now - Self.keepFinished).run()
            try await db.requireSQL().delete(from: Job.schema)
                .where("status", .equal, JobStatus.failed.rawValue).where("finished_at", .lessThan, now - 4 * Self.keepFinished).run()
        }
    }
}
