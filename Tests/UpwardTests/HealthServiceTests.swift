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
            // Raised with the answer, not at the next hourly look.
            let afterCheckIn = HealthService(database: app.db, clock: .fixed(activated.addingTimeInterval(31 * 86_400)))
            #expect(try await afterCheckIn.raiseAlerts(for: programme) == 0)
            #expect(try await Alert.query(on: app.db).count() == 4)
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
            // A resolved "we need help" comes back only with a newer answer, not every two weeks from the old one.
            let help = try #require(try await Alert.query(on: app.db).filter(\.$kind == .needsHelp).first())
            try await afterCheckIn.handle(help.id, in: programme, resolve: true, note: "Spoke to them", by: "c")
            #expect(try await Alert.query(on: app.db).filter(\.$kind == .needsHelp).filter(\.$status != .resolved).count() == 0)
            let monthsLater = HealthService(database: app.db, clock: .fixed(activated.addingTimeInterval(85 * 86_400)))
            try await monthsLater.raiseAlerts(for: programme)
            #expect(try await Alert.query(on: app.db).filter(\.$kind == .needsHelp).filter(\.$status != .resolved).count() == 0)
            let next = CheckInService(database: app.db, clock: .fixed(activated.addingTimeInterval(95 * 86_400)))
            let pulse = try #require(try await next.due(mentors[0]).first { !$0.answered && $0.kind == .pulse })
            try await next.answer(mentors[0], kind: .pulse, day: pulse.day, .init(relationship: 3, safety: 3, progress: 3, needsHelp: true))
            #expect(try await Alert.query(on: app.db).filter(\.$kind == .needsHelp).filter(\.$status != .resolved).count() == 1)
            _ = service
        }
    }

    /// The demo's board against the same figures counted by hand from the tables, with a plain loop per figure.
    @Test func the_demo_board_matches_figures_counted_by_hand() async throws {
        try await withUpward { app in
            _ = try await UpwardApp.loadDemo(app)
            let lab = try #require(try await Programme.query(on: app.db).filter(\.$name == "Leadership lab").first())
            let labID = try lab.requireID()
            let health = HealthService(database: app.db, clock: app.clock)
            let (board, matching) = try await health.board(of: lab)
            let pairings = try await Pairing.query(on: app.db).filter(\.$programme.$id == labID).with(\.$members).all()
            #expect(board.pairings == 12 && matching == 12)
            #expect(board.byState == [.stalled: 3, .atRisk: 5, .onTrack: 2, .thriving: 1, .ended: 1])
            // Signed: the latest version signed by every member who accepted.
            var signed = 0
            for pairing in pairings {
                let versions = try await Agreement.query(on: app.db).filter(\.$pairing.$id == pairing.requireID()).all()
                guard let latest = versions.max(by: { $0.version < $1.version }) else { continue }
                let signers = Set(try await AgreementSignature.query(on: app.db).filter(\.$agreement.$id == latest.requireID()).all().map(\.personID))
                if pairing.members.filter({ $0.answer == .accepted }).allSatisfy({ signers.contains($0.$person.id) }) { signed += 1 }
            }
            #expect(board.signed == signed && signed == 11)
            // Meetings: held, cancelled by side (once their time has passed), and met in the last 30 days.
            let ids = pairings.compactMap(\.id)
            let meetings = try await Meeting.query(on: app.db).filter(\.$pairing.$id ~~ ids).all()
            let now = app.clock.now()
            #expect(board.meetings.held == meetings.filter { $0.status == .held }.count)
            #expect(board.meetings.cancelledByMentee == meetings.filter { $0.status == .cancelled && $0.cancelledBySide == .mentee && $0.endsAt <= now }.count)
            #expect(board.meetings.due == meetings.filter { !$0.logged && $0.endsAt <= now }.count)
            let live = pairings.filter { $0.status == .active }
            let met = live.filter { p in meetings.contains { $0.$pairing.id == p.id && $0.status == .held && now.timeIntervalSince($0.startsAt) <= 30 * 86_400 + 86_399 } }
            #expect(board.live == 11 && board.metLast30 == met.count)
            // Check-ins: every answer was due; goals by status; alerts one per kind, the quiet one acknowledged.
            let answers = try await CheckIn.query(on: app.db).filter(\.$pairing.$id ~~ ids).all()
            #expect(board.checkInsAnswered == answers.count && board.checkInsAnswered > 0 && board.checkInsDue > board.checkInsAnswered)
            let pulses = answers.filter { $0.kind == .pulse }
            let months = Set(pulses.map { String($0.dueOn.prefix(7)) })
            #expect(board.scores.map(\.month) == months.sorted() && board.scores.map(\.answers).reduce(0, +) == pulses.count)
            let goals = try await Goal.query(on: app.db).filter(\.$pairing.$id ~~ ids).all()
            #expect(board.goalsSet == goals.count && board.goalsAchieved == goals.filter { $0.status == .achieved }.count)
            #expect(Set(board.alerts.map(\.kind)) == Set(SignalKind.allCases))
            #expect(board.alerts.filter { $0.status == .acknowledged }.map(\.kind) == [.quiet])
            #expect(board.rematchWanted == 1)
            // The weekly chart adds up to the meetings of those weeks.
            #expect(board.weeks.count == HealthService.chartWeeks && board.weeks.map(\.held).reduce(0, +) == meetings.filter { $0.status == .held }.count)
            // Filters: by state, by alert, by department.
            let stalled = try await health.board(of: lab, query: BoardQuery(state: .stalled))
            #expect(stalled.matching == 3 && stalled.board.rows.allSatisfy { $0.state == .stalled })
            let help = try await health.board(of: lab, query: BoardQuery(alert: .needsHelp))
            #expect(help.matching == 1)
            let department = try #require(board.departments.first)
            let inDepartment = try await health.board(of: lab, query: BoardQuery(department: department))
            #expect(inDepartment.matching == board.rows.filter { $0.members.contains { $0.department == department } }.count)
        }
    }
}
