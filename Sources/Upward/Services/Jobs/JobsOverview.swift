import Fluent
import Foundation
import SQLKit
import Vapor

/// What admins see of the background work: how many jobs stand where, the ones that failed or are being tried
/// again (with their error), paged in the database; and a failed job run again.
struct JobsOverview {
    let database: any Database
    var clock: UpwardClock = .system

    static let perPage = 50

    /// Jobs by status, in one grouped query.
    func counts() async throws -> [JobStatus: Int] {
        struct Row: Decodable { var status: String; var n: Int }
        let rows = try await database.requireSQL().raw("SELECT status, COUNT(*) AS n FROM \(ident: Job.schema) GROUP BY status").all(decoding: Row.self)
        var out: [JobStatus: Int] = [.queued: 0, .running: 0, .done: 0, .failed: 0]
        for row in rows { if let status = JobStatus(rawValue: row.status) { out[status] = row.n } }
        return out
    }

    /// Jobs that failed, or that failed before and wait for another attempt: newest first.
    func troubled(_ page: PageRequest) async throws -> (jobs: [Job], total: Int) {
        let query = Job.query(on: database).group(.or) { $0.filter(\.$status == .failed).filter(\.$lastError != nil) }
        let total = try await query.copy().count()
        let jobs = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(page.offset..<(page.offset + page.per)).all()
        return (jobs, total)
    }

    /// Kinds an admin may not run again from here: a matching run is run again by its coordinator, from the run.
    static let notRerunnable: Set<String> = [MatchingService.runJob.name]

    /// A failed job is queued again with fresh attempts, to run at the next round.
    func runAgain(_ id: UUID?) async throws {
        guard let id, let job = try await Job.find(id, on: database) else { throw Problem(.notFound, "There is no job with that id.") }
        guard job.status == .failed else { throw Problem(.conflict, "Only a failed job can run again; this one is \(job.status.rawValue).") }
        guard !Self.notRerunnable.contains(job.kind) else {
            throw Problem(.conflict, "A matching run is run again by its coordinator, from the programme's matching page.")
        }
        let now = clock.now().timeIntervalSince1970
        try await database.writeTransaction { db in
            try await db.requireSQL().update(Job.schema).set("status", to: JobStatus.queued.rawValue).set("attempts", to: 0)
                .set("run_at", to: now).set("finished_at", to: SQLLiteral.null).set("claimed_by", to: SQLLiteral.null)
                .where("id", .equal, id).where("status", .equal, JobStatus.failed.rawValue).run()
        }
    }
}
