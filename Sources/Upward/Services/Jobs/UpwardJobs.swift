import Fluent
import Foundation
import Vapor

/// The kinds of background job Upward runs, registered on the application by `configure`.
enum UpwardJobs {
    /// How often consent deadlines are checked. Deadlines are days, so ten minutes is prompt enough.
    static let consentExpiryInterval: TimeInterval = 600

    static func register(in app: Application) {
        app.jobs.register(JobDefinition(
            kind: MatchingService.runJob,
            run: { job, app in
                let payload = try JSONDecoder().decode(MatchingService.RunJobPayload.self, from: Data(job.payload.utf8))
                try await app.services.matching(app.serviceContext()).performRun(payload.run)
            },
            abandoned: { job, app in
                let payload = try JSONDecoder().decode(MatchingService.RunJobPayload.self, from: Data(job.payload.utf8))
                try await MatchingService.markFailed(payload.run, MatchingService.stoppedMessage, on: app.db)
            }))
        app.jobs.register(JobDefinition(
            kind: MatchingService.expiryJob, every: consentExpiryInterval,
            run: { _, app in
                try await app.services.matching(app.serviceContext()).expireAllOverdue()
            }))
        app.jobs.register(JobDefinition(
            kind: PairingSpaceService.setUpJob, every: consentExpiryInterval,
            run: { _, app in
                try await app.services.pairingSpace(app.serviceContext()).setUpMissing()
            }))
        // Mail goes out only when a server is configured; otherwise it waits in the outbox.
        if let smtp = app.upward.smtp, let from = app.upward.mailFrom {
            app.jobs.register(JobDefinition(
                kind: MailDelivery.job, every: MailDelivery.interval,
                run: { _, app in
                    try await MailDelivery(database: app.db, clock: app.clock, smtp: smtp, from: MailDelivery.address(from),
                                 publicURL: app.upward.publicURL).deliverDue()
                }))
        }
        app.jobs.register(JobDefinition(
            kind: ScheduledMail.remindersJob, every: ScheduledMail.remindersInterval,
            run: { _, app in
                try await ScheduledMail(database: app.db, clock: app.clock, publicURL: app.upward.publicURL).sendReminders()
            }))
        app.jobs.register(JobDefinition(
            kind: ScheduledMail.selectionJob,
            run: { job, app in
                let payload = try JSONDecoder().decode(ScheduledMail.SelectionPayload.self, from: Data(job.payload.utf8))
                try await ScheduledMail(database: app.db, clock: app.clock, publicURL: app.upward.publicURL).selectionOutcomes(payload.programme)
            }))
        app.jobs.register(JobDefinition(
            kind: ScheduledMail.digestsJob, every: ScheduledMail.digestsInterval,
            run: { _, app in
                try await ScheduledMail(database: app.db, clock: app.clock, publicURL: app.upward.publicURL).sendDigests()
            }))
        app.jobs.register(JobDefinition(
            kind: HealthService.alertsJob, every: HealthService.alertsInterval,
            run: { _, app in
                try await app.services.health(app.serviceContext()).raiseAllAlerts()
            }))
    }
}

extension PairingSpaceService {
    /// Sets up any active pairing left without its agreement and meetings (made before the space existed).
    static let setUpJob = JobKind("pairing.setUp")
}

extension MatchingService {
    static let runJob = JobKind("matching.run")
    static let expiryJob = JobKind("consent.expire")

    struct RunJobPayload: Codable, Sendable {
        var run: UUID
    }

    /// What a run left behind by a stopped server says.
    static let stoppedMessage = "The server stopped while this run was working, so it did not finish. Run it again."
}
