import Fluent
import Foundation
import Vapor

/// What a kind of job does, and how it repeats.
struct JobDefinition: Sendable {
    var kind: JobKind
    /// Added by the worker every this many seconds (one occurrence per period, however many instances run).
    var every: TimeInterval?
    /// The work. Services come from `app.services` with the given database, so a test can substitute one.
    var run: @Sendable (_ job: Job, _ app: Application) async throws -> Void
    /// Tidies up after a job a stopped process left behind and that will not be attempted again.
    var abandoned: @Sendable (_ job: Job, _ app: Application) async throws -> Void = { _, _ in }
}

/// Every kind of job the worker knows.
struct JobRegistry: Sendable {
    private(set) var definitions: [String: JobDefinition] = [:]

    mutating func register(_ definition: JobDefinition) { definitions[definition.kind.name] = definition }
    subscript(_ name: String) -> JobDefinition? { definitions[name] }
    var recurring: [JobDefinition] { definitions.values.filter { $0.every != nil }.sorted { $0.kind.name < $1.kind.name } }
}

extension Application {
    private struct JobRegistryKey: StorageKey { typealias Value = JobRegistry }

    var jobs: JobRegistry {
        get { storage[JobRegistryKey.self] ?? JobRegistry() }
        set { storage[JobRegistryKey.self] = newValue }
    }

    /// The job table, on the application's database and clock.
    var jobQueue: JobQueue { JobQueue(database: db, clock: clock) }
}

/// Takes jobs from the table and runs them. `serve` runs one inside the server (`JobWorker.Lifecycle`); `upward
/// worker` runs one alone; tests call `runDue()` or `tick()` to run what is due at that moment.
struct JobWorker: Sendable {
    let app: Application
    /// Names the worker in the table: host, process and a random part, so every instance's worker differs.
    let name: String
    /// How long the worker sleeps when there is nothing to do.
    var idle: Duration = .seconds(1)

    init(app: Application, name: String? = nil) {
        self.app = app
        self.name = name ?? "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    /// Runs every job that is due now, one after another; returns how many ran.
    @discardableResult
    func runDue() async throws -> Int {
        var count = 0
        let kinds = app.jobs.definitions.keys.sorted()
        while !Task.isCancelled, let job = try await app.jobQueue.claim(worker: name, kinds: kinds) {
            await execute(job)
            count += 1
        }
        return count
    }

    /// Runs one claimed job with its kind's code.
    func execute(_ job: Job) async {
        let app = self.app
        let definition = app.jobs[job.kind]
        await app.jobQueue.perform(job, worker: name) {
            guard let definition else { throw Abort(.internalServerError, reason: "No job of kind \(job.kind) is known.") }
            try await definition.run(job, app)
        }
    }

    /// One round: hand back what stopped processes left, add due occurrences of repeating jobs, run what is due.
    @discardableResult
    func tick() async throws -> Int {
        let queue = app.jobQueue
        for job in try await queue.recoverAbandoned() {
            do {
                try await app.jobs[job.kind]?.abandoned(job, app)
            } catch {
                app.logger.error("Tidying up after abandoned job \(job.id?.uuidString ?? "?") (\(job.kind)) failed: \(String(describing: error))")
            }
        }
        for definition in app.jobs.recurring {
            if let every = definition.every { try await queue.schedule(definition.kind, every: every) }
        }
        try await queue.purge()
        return try await runDue()
    }

    /// Rounds until the task is cancelled, sleeping while there is nothing to do. A failing round is logged and
    /// tried again after the pause: a database that is briefly away does not stop the worker.
    func loop() async {
        while !Task.isCancelled {
            do {
                try await tick()
            } catch {
                app.logger.error("The job worker could not finish a round: \(String(describing: error))")
            }
            try? await Task.sleep(for: idle)
        }
    }

    /// Runs a worker for as long as the server runs. Shutting down cancels it (no new job is claimed) and waits up to
    /// ten seconds for a job in flight; one that has not finished by then is picked up as abandoned later.
    final class Lifecycle: LifecycleHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var task: Task<Void, Never>?

        func didBootAsync(_ app: Application) async throws {
            let worker = JobWorker(app: app)
            lock.withLock { task = Task { await worker.loop() } }
        }

        func shutdownAsync(_ app: Application) async {
            guard let task = lock.withLock({ self.task }) else { return }
            task.cancel()
            // Whichever comes first: the worker stopping, or ten seconds. (A task group would wait for both.)
            let stopped = AsyncStream<Void> { continuation in
                Task { await task.value; continuation.finish() }
                Task { try? await Task.sleep(for: .seconds(10)); continuation.finish() }
            }
            for await _ in stopped {}
        }
    }
}
