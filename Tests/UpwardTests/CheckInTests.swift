import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

@Suite("Check-ins")
struct CheckInTests {
    @Test func the_schedule_is_thirty_days_then_every_sixty_and_a_fit_check_after_the_first_meeting() {
        let start = Day("2027-01-01")!
        let schedule = CheckInSchedule.defaults
        #expect(schedule.due(activatedOn: start, firstHeld: nil, until: start.adding(days: 29), last: nil).isEmpty)
        let due = schedule.due(activatedOn: start, firstHeld: start.adding(days: 10), until: start.adding(days: 150), last: nil)
        #expect(due.map(\.kind) == [.fit, .pulse, .pulse, .pulse])
        #expect(due.map(\.day) == [start.adding(days: 10), start.adding(days: 30), start.adding(days: 90), start.adding(days: 150)])
        // Not after the programme's end; a programme's partial settings keep the other defaults.
        #expect(schedule.due(activatedOn: start, firstHeld: nil, until: start.adding(days: 150), last: start.adding(days: 60)).count == 1)
        let partial = JSONText.decode(CheckInSchedule.self, #"{"everyDays": 30, "fitCheck": false}"#, default: .defaults)
        #expect(partial.firstAfterDays == 30 && partial.everyDays == 30 && !partial.fitCheck)
        #expect(JSONText.decode(HealthThresholds.self, #"{"lowScore": 1}"#, default: .defaults).firstMeetingDays == 14)
    }

    @Test func members_answer_their_own_check_ins_privately() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let junior = mentors[0]
            let activated = try #require(senior.pairing.activatedAt)
            // 40 days on: the first pulse fell due on day 30.
            let later = UpwardClock.fixed(activated.addingTimeInterval(40 * 86_400))
            let checkIns = CheckInService(database: app.db, clock: later)
            let due = try await checkIns.due(junior)
            #expect(due.map(\.kind) == [.pulse] && due[0].day == Day(activated).adding(days: 30) && !due[0].answered && due[0].overdue)
            let answer = CheckInService.Answer(relationship: 2, safety: 4, progress: 3, fit: nil, needsHelp: true, comment: "We keep rescheduling.")
            try await checkIns.answer(junior, kind: .pulse, day: due[0].day, answer)
            #expect(try await checkIns.due(junior).allSatisfy(\.answered))
            // The partner's check-in is still open, and they never read the junior's answer.
            #expect(try await checkIns.due(senior).map(\.answered) == [false])
            #expect(try await checkIns.answers(senior).isEmpty)
            #expect(try await checkIns.answers(junior).map(\.comment) == ["We keep rescheduling."])
            // Twice, a day that was not due, and out-of-range scores are refused with what to fix.
            await #expect(throws: Problem.self) { try await checkIns.answer(junior, kind: .pulse, day: due[0].day, answer) }
            await #expect(throws: Problem.self) { try await checkIns.answer(junior, kind: .pulse, day: due[0].day.adding(days: 1), answer) }
            do {
                try await checkIns.answer(senior, kind: .pulse, day: due[0].day,
                                          .init(relationship: 6, safety: nil, progress: 0, fit: .goodFit, needsHelp: false, comment: nil))
                Issue.record("saved a bad answer")
            } catch let error as InvalidInput {
                #expect(Set(error.issues.map(\.field)) == ["relationship", "safety", "progress", "fit"])
            }
            #expect(try await CheckIn.query(on: app.db).count() == 1)
            _ = service
        }
    }

    @Test func the_fit_check_follows_the_first_meeting_held() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let first = try await service.meetings(senior)[0]
            let after = later(service, first.endsAt.addingTimeInterval(3600))
            try await after.act(mentors[0], on: first.id, .held)
            let checkIns = CheckInService(database: app.db, clock: .fixed(first.endsAt.addingTimeInterval(7200)))
            let due = try await checkIns.due(senior).filter { $0.kind == .fit }
            #expect(due.count == 1 && due[0].day == Day(first.startsAt))
            await #expect(throws: InvalidInput.self) {
                try await checkIns.answer(senior, kind: .fit, day: due[0].day, .init(relationship: 3, fit: nil, needsHelp: false))
            }
            try await checkIns.answer(senior, kind: .fit, day: due[0].day, .init(fit: .notAGoodFit, needsHelp: false))
            #expect(try await checkIns.answers(senior).first?.fit == .notAGoodFit)
        }
    }
}
