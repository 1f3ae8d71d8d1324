import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

/// Counts how often each job ran, from any worker.
private actor Tally {
    var runs: [String: Int] = [:]
    func count(_ key: String) { runs[key, default: 0] += 1 }
}

@Suite("Durable jobs")
struct JobTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func four_workers_run_each_job_exactly_once() async throws {
        try await withUpward { app in
            app.clock = .fixed(Self.start)
            let tally = Tally()
            app.jobs.register(JobDefinition(kind: JobKind("test.count"), run: { job, _ in await tally.count(job.payload) }))
            for k in 0..<40 { try await app.jobQueue.enqueue(JobKind("test.count"), payload: ["n": k]) }
            let ran = try await withThrowingTaskGroup(of: Int.self) { group in
                for w in 0..<4 { group.addTask { try await JobWorker(app: app, name: "w\(w)").runDue() } }
                return try await group.reduce(0, +)
            }
            #expect(ran == 40)
            let runs = await tally.runs
            #expect(runs.count == 40 && runs.values.allSatisfy { $0 == 1 })
            #expect(try await Job.query(on: app.db).filter(\.$status == .done).count() == 40)
        }
    }

    @Test func a_failing_job_waits_longer_each_time_then_fails_with_the_reason() async throws {
        try await withUpward { app in
            app.clock = .fixed(Self.start)
            app.jobs.register(JobDefinition(kind: JobKind("test.fail"), run: { _, _ in
                throw Abort(.serviceUnavailable, reason: "The mail server is away.")
            }))
            let id = try #require(try await app.jobQueue.enqueue(JobKind("test.fail"), payload: [String: String](), maxAttempts: 2))
            let worker = JobWorker(app: app)
            #expect(try await worker.runDue() == 1)
            var job = try #require(try await Job.find(id, on: app.db))
            #expect(job.status == .queued && job.attempts == 1 && job.lastError?.contains("The mail server is away.") == true)
            #expect(job.runAt == Self.start.timeIntervalSince1970 + JobQueue.backoff(afterAttempt: 1))
            #expect(try await worker.runDue() == 0)   // not due yet
            app.clock = .fixed(Self.start.addingTimeInterval(31))
            #expect(try await worker.runDue() == 1)
            job = try #require(try await Job.find(id, on: app.db))
            #expect(job.status == .failed)
            #expect(job.attempts == 2)
            #expect(job.finishedAt != nil)
            // Admins see it with its reason, and run it again.
            try await makeUser(app, email: "admin@example.org", role: .admin)
            let web = WebSession(app)
            _ = try await web.signIn("admin@example.org")
            let page = try await web.get("/admin/jobs")
            #expect(page.body.string.contains("test.fail") && page.body.string.contains("The mail server is away.") && page.body.string.contains("Run again"))
            let token = try await AccountService(app).createAPIToken(for: try #require(try await User.query(on: app.db).first()), name: "t").1
            let listed = try await app.testing().sendRequest(.GET, "/api/v1/jobs", headers: .bearer(token))
            let dto = try listed.content.decode(JobsPageDTO.self)
            #expect(dto.items.map(\.kind) == ["test.fail"] && dto.counts["failed"] == 1)
            #expect(try await web.submit("/admin/jobs/\(id)", from: "/admin/jobs", [:]).status == .seeOther)
            job = try #require(try await Job.find(id, on: app.db))
            #expect(job.status == .queued && job.attempts == 0)
        }
    }

    @Test func a_repeating_job_is_added_once_per_period_whatever_the_number_of_instances() async throws {
        try await withUpward { app in
            app.clock = .fixed(Self.start)
            for _ in 0..<3 {
                try await app.jobQueue.schedule(MatchingService.expiryJob, every: UpwardJobs.consentExpiryInterval)
            }
            #expect(try await Job.query(on: app.db).filter(\.$kind == MatchingService.expiryJob.name).count() == 1)
            app.clock = .fixed(Self.start.addingTimeInterval(UpwardJobs.consentExpiryInterval))
            try await JobWorker(app: app).tick()
            let jobs = try await Job.query(on: app.db).filter(\.$kind == MatchingService.expiryJob.name).all()
            #expect(jobs.count == 2 && jobs.allSatisfy { $0.status == .done })
        }
    }

    @Test func consent_deadlines_are_expired_by_the_worker_not_by_reading_a_page() async throws {
        try await withUpward { app in
            app.clock = .fixed(Self.start)
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 1)
            let service = app.services.matching(app.serviceContext())
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await service.publish(run, programme: programme, by: "c", linkBase: "")
            try await service.respond(try await member(app, seniors[0]), accept: true, reason: nil)
            app.clock = .fixed(Self.start.addingTimeInterval(30 * 86_400))
            let coordinator = try await apiToken(app, role: .coordinator)
            try await app.testing().test(.GET, "/api/v1/programmes/\(try programme.requireID())/pairings", headers: .bearer(coordinator)) { res async throws in
                #expect(res.status == .ok)
            }
            #expect(try await member(app, juniors[0]).answer == .pending)   // a GET changes nothing
            try await JobWorker(app: app).tick()
            let m = try await member(app, juniors[0])
            #expect(m.answer == .expired && m.pairing.status == .expired)
            #expect(try await PairingSeat.query(on: app.db).count() == 0)
        }
    }

    @Test func a_run_left_running_by_a_stopped_server_fails_and_offers_to_run_again() async throws {
        try await withUpward { app in
            app.clock = .fixed(Self.start)
            let (programme, _, _) = try await matchingProgramme(app, mentors: 2, mentees: 2)
            let service = app.services.matching(app.serviceContext())
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c", background: true)
            #expect(run.status == .running)
            // A server claims the run's job and dies before it finishes: nothing beats the job's heart any more.
            let claimed = try #require(try await app.jobQueue.claim(worker: "a server that stopped"))
            #expect(claimed.kind == MatchingService.runJob.name)
            let worker = JobWorker(app: app)
            try await worker.tick()
            #expect(try await MatchingRun.find(run.id, on: app.db)?.status == .running)   // still within its heartbeat
            app.clock = .fixed(Self.start.addingTimeInterval(JobQueue.abandonedAfter + 1))
            try await worker.tick()
            let failed = try #require(try await MatchingRun.find(run.id, on: app.db))
            #expect(failed.status == .failed && failed.error == MatchingService.stoppedMessage)
            #expect(try await Job.find(claimed.id, on: app.db)?.status == .failed)
            // Its page stops refreshing, says what happened and offers to run it again, which works.
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            let path = WebRoute.matchingRun.link(try programme.requireID(), try run.requireID())
            let page = try await web.get(path)
            #expect(!page.body.string.contains(#"http-equiv="refresh""#))
            #expect(page.body.string.contains("The server stopped while this run was working"))
            #expect(page.body.string.contains("Run again"))
            let again = try await web.submit(WebRoute.matching.link(try programme.requireID()), ["rerun": try run.requireID().uuidString])
            #expect(again.status == .seeOther)
            #expect(try await service.runs(of: programme).first?.status == .done)
        }
    }

    @Test func a_background_run_is_solved_by_the_worker_and_its_progress_shows_while_held() async throws {
        try await withUpward { app in
            let (programme, _, _) = try await matchingProgramme(app, mentors: 130, mentees: 130, capacity: 200)
            // The engine reports progress every 64 mentees; the gate holds it at the first report past half-way (79 %).
            let gate = ProgressGate(at: 0.5)
            app.services.matching = { context in
                var service = MatchingService(database: context.database, clock: context.clock)
                service.progressHook = { gate.pass($0) }
                return service
            }
            let run = try await app.services.matching(app.serviceContext())
                .startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c", background: true)
            let working = Task { try await JobWorker(app: app).runDue() }
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            let path = WebRoute.matchingRun.link(try programme.requireID(), try run.requireID())
            var seen: Int?
            for _ in 0..<200 where seen == nil {
                let page = try await web.get(path)
                #expect(page.body.string.contains(#"http-equiv="refresh""#))
                if let range = page.body.string.range(of: #"<progress max="100" value="(\d+)""#, options: .regularExpression) {
                    let value = page.body.string[range].split(separator: "\"").dropFirst(3).first.flatMap { Int($0) } ?? 0
                    if value >= 50 { seen = value }
                }
                if seen == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect((50..<100).contains(seen ?? 0))
            #expect(try await MatchingRun.find(run.id, on: app.db)?.status == .running)
            gate.open()
            #expect(try await working.value == 2)   // the run, and the selection outcomes queued when selection was confirmed
            let done = try await web.get(path)
            #expect(done.body.string.contains("Proposals, weakest first") && !done.body.string.contains(#"http-equiv="refresh""#))
        }
    }
}

/// Holds the engine's thread at the first progress report at or past `at` until the test opens it.
final class ProgressGate: @unchecked Sendable {
    private let threshold: Double
    private let condition = NSCondition()
    private var isOpen = false

    init(at threshold: Double) { self.threshold = threshold }

    func pass(_ progress: Double) {
        guard progress >= threshold else { return }
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}

@Suite("Durable jobs: kinds and failures")
struct JobKindTests {
    @Test func a_worker_claims_only_kinds_it_knows() async throws {
        try await withUpward { app in
            let id = try #require(try await app.jobQueue.enqueue(JobKind("from.a.newer.version"), payload: [String: String]()))
            #expect(try await JobWorker(app: app).runDue() == 0)
            #expect(try await Job.find(id, on: app.db)?.status == .queued)   // left for an instance that knows it
        }
    }

    @Test func a_run_that_cannot_start_is_failed_with_the_reason_not_left_running() async throws {
        try await withUpward { app in
            let (programme, juniors, _) = try await matchingProgramme(app, mentors: 1, mentees: 1)
            let service = app.services.matching(app.serviceContext())
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c", background: true)
            // Before the worker gets to it, the only mentor withdraws: nobody is left on one side.
            try await ApplicationService(database: app.db).withdraw(juniors[0], by: "junior")
            try await JobWorker(app: app).runDue()
            let failed = try #require(try await MatchingRun.find(run.id, on: app.db))
            #expect(failed.status == .failed && failed.error?.contains("Nobody is selected on one side") == true)
        }
    }
}
