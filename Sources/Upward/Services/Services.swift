import Fluent
import Vapor

/// What every service is built from: the database (the request's, or a transaction's), the clock and the settings.
struct ServiceContext: Sendable {
    var database: any Database
    var clock: UpwardClock
    var settings: UpwardSettings
    var threadPool: NIOThreadPool
}

/// How each service is made. Controllers and jobs reach services through here (`req.matching`,
/// `app.services.matching(…)`), never by constructing them, so a test can substitute one — a matching service
/// with a progress gate, say — for the whole application.
struct UpwardServices: Sendable {
    var accounts: @Sendable (ServiceContext) -> AccountService = {
        AccountService(database: $0.database, settings: $0.settings, threadPool: $0.threadPool, clock: $0.clock)
    }
    var applications: @Sendable (ServiceContext) -> ApplicationService = {
        ApplicationService(database: $0.database, clock: $0.clock, publicURL: $0.settings.publicURL)
    }
    var directory: @Sendable (ServiceContext) -> DirectoryService = { DirectoryService(database: $0.database, clock: $0.clock) }
    var importer: @Sendable (ServiceContext) -> DirectoryImporter = {
        DirectoryImporter(database: $0.database, linkBase: $0.settings.publicURL, clock: $0.clock)
    }
    var matching: @Sendable (ServiceContext) -> MatchingService = {
        MatchingService(database: $0.database, clock: $0.clock, publicURL: $0.settings.publicURL)
    }
    var programmes: @Sendable (ServiceContext) -> ProgrammeService = {
        ProgrammeService(database: $0.database, clock: $0.clock, publicURL: $0.settings.publicURL)
    }
    var throttle: @Sendable (ServiceContext) -> AttemptThrottle = { AttemptThrottle(database: $0.database, clock: $0.clock) }
    var pairingSpace: @Sendable (ServiceContext) -> PairingSpaceService = {
        PairingSpaceService(database: $0.database, clock: $0.clock, publicURL: $0.settings.publicURL, organizer: $0.settings.calendarOrganizer)
    }
    var health: @Sendable (ServiceContext) -> HealthService = { HealthService(database: $0.database, clock: $0.clock) }
    var checkIns: @Sendable (ServiceContext) -> CheckInService = { CheckInService(database: $0.database, clock: $0.clock) }
    var endings: @Sendable (ServiceContext) -> EndingService = {
        EndingService(database: $0.database, clock: $0.clock, organizer: $0.settings.calendarOrganizer)
    }
    var outbox: @Sendable (ServiceContext) -> OutboxService = { OutboxService(database: $0.database, clock: $0.clock) }
    var notifications: @Sendable (ServiceContext) -> NotificationService = { NotificationService(database: $0.database, clock: $0.clock) }
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = UpwardServices }

    var services: UpwardServices {
        get { storage[ServicesKey.self] ?? UpwardServices() }
        set { storage[ServicesKey.self] = newValue }
    }

    /// The context for services working on `database` (the application's own by default).
    func serviceContext(_ database: (any Database)? = nil) -> ServiceContext {
        ServiceContext(database: database ?? db, clock: clock, settings: upward, threadPool: threadPool)
    }
}

extension Request {
    var serviceContext: ServiceContext { application.serviceContext(db) }

    var accounts: AccountService { application.services.accounts(serviceContext) }
    var applications: ApplicationService { application.services.applications(serviceContext) }
    var people: DirectoryService { application.services.directory(serviceContext) }
    var peopleImport: DirectoryImporter { application.services.importer(serviceContext) }
    var matching: MatchingService { application.services.matching(serviceContext) }
    var programmes: ProgrammeService { application.services.programmes(serviceContext) }
    var throttle: AttemptThrottle { application.services.throttle(serviceContext) }
    var pairingSpace: PairingSpaceService { application.services.pairingSpace(serviceContext) }
    var health: HealthService { application.services.health(serviceContext) }
    var checkIns: CheckInService { application.services.checkIns(serviceContext) }
    var endings: EndingService { application.services.endings(serviceContext) }
    var outbox: OutboxService { application.services.outbox(serviceContext) }
    var notifications: NotificationService { application.services.notifications(serviceContext) }

    /// What the signed-in user may see of the directory, judged today.
    func directoryAccess() throws -> DirectoryAccess { DirectoryAccess(role: try user().role, today: clock.today) }
}
