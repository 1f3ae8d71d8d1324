import Fluent
import SQLKit
import Vapor

/// The operations behind the `upward` commands, as plain functions a test can call.
public enum UpwardApp {
    /// The Vapor environment for a command, with logging set up once per process.
    /// One-shot commands log warnings only; `serve` logs at info. `LOG_LEVEL` overrides both.
    public static func environment(_ arguments: [String], logLevel: String = "warning") throws -> Environment {
        if ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { setenv("LOG_LEVEL", logLevel, 1) }
        _ = bootstrapLogging
        return Environment(name: ProcessInfo.processInfo.environment["UPWARD_ENV"] ?? "development", arguments: arguments)
    }

    /// The logging system can be set up once per process (a second command in one process, as in tests, skips it).
    private static let bootstrapLogging: Void = {
        var env = Environment(name: "development", arguments: ["upward"])
        try? LoggingSystem.bootstrap(from: &env)
    }()

    /// A configured application on the settings' database; the caller shuts it down.
    public static func make(settings: UpwardSettings, environment: Environment = .development) async throws -> Application {
        let app = try await Application.make(environment)
        do {
            try await configure(app, settings: settings)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return app
    }

    /// Runs `body` with a configured application and always shuts it down.
    public static func with<T>(settings: UpwardSettings, environment: Environment = .development,
                               _ body: (Application) async throws -> T) async throws -> T {
        let app = try await make(settings: settings, environment: environment)
        do {
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Applies pending migrations; returns how many ran.
    @discardableResult
    public static func migrate(_ app: Application) async throws -> Int {
        let pending = try await Migrations.pending(in: app.db)
        if case .sqliteFile = app.upward.database, let sql = app.db as? any SQLDatabase {
            // Write-ahead logging: readers do not wait for a writer, and large imports write far less. Kept in the file.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        try await app.autoMigrate()
        return pending
    }

    /// Reverts every migration: an empty database.
    public static func revertAll(_ app: Application) async throws {
        try await app.autoRevert()
    }

    /// What `serve` prints before it listens: the demo logins or the first-admin link.
    public static func prepare(_ app: Application, demo: Bool) async throws -> [String] {
        var lines: [String] = []
        let ran = try await migrate(app)
        lines.append("Database: \(app.upward.databaseDescription) (\(ran == 0 ? "up to date" : "\(ran) migrations applied")).")
        if app.upward.clockOffsetDays != 0 {
            lines.append("Clock: \(app.upward.clockOffsetDays) days from the real time (UPWARD_CLOCK_OFFSET_DAYS); today is \(app.clock.today) here.")
        }
        if demo {
            lines += try await loadDemo(app)
        }
        if let link = try await app.services.accounts(app.serviceContext()).firstAdminLink() {
            lines.append("No accounts yet. Create the first admin (the link works once, for 24 hours):")
            lines.append("  \(link)")
        }
        return lines
    }

    /// Runs background jobs (matching runs, consent deadlines) inside this application while it serves, and
    /// stops them when it shuts down.
    public static func runJobs(in app: Application) {
        app.lifecycle.use(JobWorker.Lifecycle())
    }

    /// Runs background jobs without serving pages, until `Ctrl-C` (`upward worker`, for a separate process).
    public static func work(_ app: Application) async throws {
        let worker = JobWorker(app: app)
        let task = Task { await worker.loop() }
        // Dispatch's signal sources are not Sendable; they live in this box until the stream ends.
        final class Sources: @unchecked Sendable { var all: [any DispatchSourceSignal] = [] }
        let sources = Sources()
        let signals = AsyncStream<Void> { continuation in
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber)
                source.setEventHandler { continuation.finish() }
                source.resume()
                sources.all.append(source)
            }
        }
        for await _ in signals {}
        sources.all.forEach { $0.cancel() }
        task.cancel()
        await task.value
    }

    /// What the demo organisation holds, for help texts: "311 people in 11 departments".
    public static var demoSummary: String { DemoOrganisation.summary }

    /// Loads the demo organisation and describes its logins.
    public static func loadDemo(_ app: Application) async throws -> [String] {
        let accounts = app.services.accounts(app.serviceContext())
        let result = try await DemoOrganisation.load(into: app.db, settings: app.upward, clock: app.clock, hash: accounts.hash)
        var lines = [result.loaded
            ? "Demo organisation loaded: \(result.people) people in \(result.departments) departments."
            : "The directory already has \(result.people) people; demo data not loaded again."]
        if !result.logins.isEmpty {
            lines.append("Demo sign-ins at \(app.upward.publicURL)\(WebRoute.signIn.link()) (password: \(DemoOrganisation.password)):")
            for login in result.logins {
                lines.append("  \(login.role.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(login.email)  — \(login.name), \(login.note)")
            }
        }
        return lines
    }

    /// Imports a directory file; `progress` gets a line now and then on large files.
    public static func importPeople(_ app: Application, csv: String, source: String, dryRun: Bool, invite: Bool, confirmLeavers: Bool = false,
                                    progress: @escaping @Sendable (ImportProgress) -> Void = { _ in }) async throws -> ImportSummary {
        var importer = app.services.importer(app.serviceContext())
        importer.progress = progress
        return try await importer.run(csv: csv, dryRun: dryRun, invite: invite, importedBy: nil, source: source, confirmLeavers: confirmLeavers)
    }
}
