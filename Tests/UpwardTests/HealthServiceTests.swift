import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

@Suite("Health and alerts")
struct HealthServiceTests {
    @Test func signals_raise_one_alert_each_that_the_coordinator_resolves() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let programme = senior.programme
            programme.status = .running
            try await programme.save(on: app.db)
            let activated = try #require(senior.pairing.activatedAt)
            // 20 days on, with no meeting held and nothing signed: the first meeting is late and the agreement unsigned.
            let later = HealthService(database: app.db, clock: .fixed(activated.addingTimeInterval(20 * 86_400)))
            let health = try #require(try await later.health(of: programme)[senior.pairingID])
            #expect(health.state == .stalled && Set(health.signals.map(\.kind)) == [.firstMeetingNotHeld, .agreementUnsigned])
            #expect(try await later.raiseAllAlerts() == 2)
            #expect(try await later.raiseAllAlerts() == 0)   // one open alert per pairing and kind
            // A low check-in raises an alert naming its author, which the partner never sees.
            let checkIns = CheckInService(database: app.db, clock: .fixed(activated.addingTimeInterval(31 * 86_400)))
            let due = try #require(try await checkIns.due(mentors[0]).first)
            try await checkIns.answer(mentors[0], kind: .pulse, day: due.day, .init(relationship: 1, safety: 3, progress: 3, needsHelp: true, comment: "Help"))
            let afterCheckIn = HealthService(database: app.db, clock: .fixed(activated.addingTimeInterval(31 * 86_400)))
            #expect(try await afterCheckIn.raiseAlerts(for: programme) == 2)
            let alerts = try await Alert.query(on: app.db).all()
            let low = try #require(alerts.first { $0.kind == .lowScore })
            #expect(low.raisedBy == mentors[0].myPersonID && alerts.first { $0.kind == .needsHelp }?.raisedBy == mentors[0].myPersonID)
            // Acknowledged, then resolved with a note; not raised again within two weeks although the signal stays.
            let late = try #require(alerts.first { $0.kind == .firstMeetingNotHeld })
            try await afterCheckIn.handle(late.id, in: programme, resolve: false, note: "Called them", by: "c@example.org")
            #expect(try await afterCheckIn.raiseAlerts(for: programme) == 0)
            let resolved = try await afterCheckIn.handle(late.id, in: programme, resolve: true, note: "Date set for next week", by: "c@example.org")
            #expect(resolved.status == .resolved && resolved.openKey == nil && resolved.note == "Date set for next week")
            #expect(try await afterCheckIn.raiseAlerts(for: programme) == 0)
            await #expect(throws: Problem.self) { try await afterCheckIn.handle(late.id, in: programme, resolve: true, note: nil, by: "c") }
            let muchLater = HealthService(database: app.db, clock: .fixed(activated.addingTimeInterval(50 * 86_400)))
            #expect(try await muchLater.raiseAlerts(for: programme) >= 1)
            _ = service
        }
    }
}
