import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

@Suite("No-fault endings, re-matching and re-think sessions")
struct EndingAndRethinkTests {
    /// Two reverse mentors and one senior: the senior is paired with one, the other stays free.
    func runningPair(_ app: Application) async throws -> (programme: Programme, senior: PairingSpaceService.Space, junior: PairingSpaceService.Space,
                                                        free: ProgrammeApplication) {
        let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 2, mentees: 1)
        let matching = MatchingService(database: app.db, clock: app.clock)
        var settings = MatchingService.defaultSettings(for: programme)
        settings.minimumLevelGap = 0
        let run = try await matching.startRun(programme, settings: settings, by: "c")
        try await matching.publish(run, programme: programme, by: "c", linkBase: "")
        let senior = try await member(app, seniors[0])
        let pairingID = senior.$pairing.id
        let partner = try #require(try await PairingMember.query(on: app.db).filter(\.$pairing.$id == pairingID).filter(\.$side == .mentor).first())
        for m in [senior, partner] { try await matching.respond(m, accept: true, reason: nil) }
        programme.status = .running
        try await programme.save(on: app.db)
        let spaces = PairingSpaceService(database: app.db, clock: app.clock)
        let free = try #require(juniors.first { $0.id != partner.$application.id })
        return (programme, try await spaces.space(pairingID, personID: seniors[0].$person.id),
                try await spaces.space(pairingID, personID: partner.$person.id), free)
    }

    @Test func a_member_leaves_kindly_and_is_re_matched_only_if_they_ask_never_with_the_same_partner() async throws {
        try await withUpward { app in
            let (programme, senior, junior, free) = try await runningPair(app)
            let endings = EndingService(database: app.db, clock: app.clock)
            await #expect(throws: InvalidInput.self) { try await endings.leave(senior, reason: "  ", wantAnother: true, linkBase: "https://u") }
            try await endings.leave(senior, reason: "Our diaries never line up", wantAnother: true, linkBase: "https://u")
            await #expect(throws: Problem.self) { try await endings.leave(junior, reason: "Me too", wantAnother: false, linkBase: "") }
            let pairing = try #require(try await Pairing.find(senior.pairingID, on: app.db))
            #expect(pairing.status == .endedEarly && pairing.endedByPerson == senior.myPersonID && pairing.endReason == "Our diaries never line up")
            #expect(try await PairingSeat.query(on: app.db).count() == 0)
            // Its meetings still to come are called off, by no side, so calendars drop them and no count grows.
            let left = try await Meeting.query(on: app.db).filter(\.$pairing.$id == senior.pairingID).all()
            let future = left.filter { $0.startsAt > app.clock.now() }
            #expect(!future.isEmpty && future.allSatisfy { $0.status == .cancelled && $0.cancelledBySide == nil && $0.sequence == 1 })
            let later = MeetingStats(left, now: app.clock.now().addingTimeInterval(400 * 86_400))
            #expect(later.due == MeetingStats(left, now: app.clock.now()).due && later.cancelledByMentee == 0 && later.cancelledByMentor == 0)
            // No check-in is asked of an ended pairing.
            let ended = try await PairingSpaceService(database: app.db, clock: app.clock).space(senior.pairingID, personID: senior.myPersonID)
            #expect(try await CheckInService(database: app.db, clock: .fixed(app.clock.now().addingTimeInterval(90 * 86_400))).due(ended).isEmpty)
            // The partner is told kindly, without the reason; the one who left gets no message.
            let mail = try await OutboxMessage.query(on: app.db).filter(\.$subject ~~ "has ended").all()
            #expect(mail.map(\.recipient) == [junior.me.person.email])
            #expect(!(mail.first?.body.contains("never line up") ?? true) && (mail.first?.body.contains("nobody's fault") ?? false))
            let rematch = { (a: UUID) in try await ProgrammeApplication.find(a, on: app.db)?.rematch }
            let (seniorAnswer, juniorAnswer) = (try await rematch(senior.me.$application.id), try await rematch(junior.me.$application.id))
            #expect(seniorAnswer == .wanted && juniorAnswer == .offered)
            // The history stays readable, but the space no longer changes.
            let spaces = PairingSpaceService(database: app.db, clock: app.clock)
            let after = try await spaces.space(senior.pairingID, personID: junior.myPersonID)
            #expect(try await spaces.meetings(after).count > 0)
            await #expect(throws: Problem.self) { try await spaces.addNote(after, text: "x", meeting: nil, shared: false) }
            // A re-matching run pairs the senior with the free junior; the one offered but not answering is left out.
            let matching = MatchingService(database: app.db, clock: app.clock)
            var settings = MatchingService.defaultSettings(for: programme)
            settings.minimumLevelGap = 0
            let run = try await matching.startRun(programme, settings: settings, by: "c")
            let proposals = matching.result(of: run).proposals
            #expect(proposals.count == 1 && proposals.first?.mentorApplication == free.id && proposals.first?.menteeApplication == senior.me.$application.id)
            // The partner says yes too: the pair is still never proposed again.
            try await endings.answerRematch(after, want: true)
            #expect(try await rematch(junior.me.$application.id) == .wanted)
            let again = try await matching.startRun(programme, settings: settings, by: "c")
            #expect(!matching.result(of: again).proposals.contains {
                $0.menteeApplication == senior.me.$application.id && $0.mentorApplication == junior.me.$application.id
            })
            #expect(try await HealthService(database: app.db, clock: app.clock).rematchWanted(in: programme) == 2)
        }
    }

    @Test func the_coordinator_ends_a_pairing_and_both_are_offered_a_new_partner() async throws {
        try await withUpward { app in
            let (programme, senior, junior, _) = try await runningPair(app)
            let health = HealthService(database: app.db, clock: .fixed(app.clock.now().addingTimeInterval(20 * 86_400)))
            #expect(try await health.raiseAlerts(for: programme) > 0)
            let endings = EndingService(database: app.db, clock: app.clock)
            await #expect(throws: Problem.self) { try await endings.end(UUID(), in: programme, reason: "x", by: "c", linkBase: "") }
            try await endings.end(senior.pairingID, in: programme, reason: "Agreed with both", by: "c@example.org", linkBase: "")
            let pairing = try #require(try await Pairing.find(senior.pairingID, on: app.db))
            #expect(pairing.status == .endedEarly && pairing.endedByCoordinator == "c@example.org")
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject ~~ "has ended").count() == 2)
            for space in [senior, junior] {
                #expect(try await ProgrammeApplication.find(space.me.$application.id, on: app.db)?.rematch == .offered)
            }
            // Its alerts are resolved; the board counts it as ended.
            #expect(try await Alert.query(on: app.db).filter(\.$status != .resolved).count() == 0)
            let (board, _) = try await health.board(of: programme)
            #expect(board.byState[.ended] == 1 && board.live == 0)
            // Saying no keeps a person out of re-matching.
            let spaces = PairingSpaceService(database: app.db, clock: app.clock)
            try await endings.answerRematch(try await spaces.space(senior.pairingID, personID: senior.myPersonID), want: false)
            #expect(try await ProgrammeApplication.find(senior.me.$application.id, on: app.db)?.rematch == .declined)
            #expect(try await MatchingService(database: app.db, clock: app.clock).unpaired(in: programme) == 1)   // the free junior only
        }
    }

    @Test func an_ending_outside_a_running_programme_re_matches_nobody() async throws {
        try await withUpward { app in
            let (programme, senior, junior, _) = try await runningPair(app)
            programme.status = .matching   // the pair went active before the programme started
            programme.endsOn = "2000-01-01"   // and the programme is past its end: no offer
            try await programme.save(on: app.db)
            let fresh = try await PairingSpaceService(database: app.db, clock: app.clock).space(senior.pairingID, personID: senior.myPersonID)
            try await EndingService(database: app.db, clock: app.clock).leave(fresh, reason: "Changed roles", wantAnother: true, linkBase: "")
            for space in [senior, junior] {
                #expect(try await ProgrammeApplication.find(space.me.$application.id, on: app.db)?.rematch == .declined)
            }
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$subject ~~ "has ended").first())
            #expect(mail.body.contains("no re-match this time"))
            let pool = try await MatchingService(database: app.db, clock: app.clock).pool(for: programme)
            #expect(!pool.mentees.contains { $0.id == senior.myPersonID.uuidString } && !pool.mentors.contains { $0.id == junior.myPersonID.uuidString })
        }
    }

    @Test func a_re_think_is_planned_in_one_step_with_the_goals_and_suggested_only_from_what_the_member_may_know() async throws {
        try await withUpward { app in
            let (programme, senior, junior, _) = try await runningPair(app)
            let spaces = PairingSpaceService(database: app.db, clock: app.clock)
            try await spaces.addGoal(senior, GoalContent(learner: .mentee, title: "Use AI tools weekly", measure: "A habit", targetDate: nil,
                                                         tasks: [], progress: 10, status: .open))
            #expect(spaces.rethinkReason(senior, meetings: try await spaces.meetings(senior), myAnswers: []) == nil)
            // The partner's low answer never makes the space suggest anything to this member.
            let activated = try #require(senior.pairing.activatedAt)
            let checkIns = CheckInService(database: app.db, clock: .fixed(activated.addingTimeInterval(31 * 86_400)))
            let due = try #require(try await checkIns.due(junior).first)
            try await checkIns.answer(junior, kind: .pulse, day: due.day, .init(relationship: 4, safety: 4, progress: 1, needsHelp: false))
            #expect(spaces.rethinkReason(senior, meetings: try await spaces.meetings(senior), myAnswers: try await checkIns.answers(senior)) == nil)
            #expect(spaces.rethinkReason(junior, meetings: try await spaces.meetings(junior), myAnswers: try await checkIns.answers(junior))?
                .contains("progress") == true)
            // The coordinator suggests one: both see it.
            try await HealthService(database: app.db, clock: app.clock).suggestRethink(senior.pairingID, in: programme)
            let fresh = try await spaces.space(senior.pairingID, personID: senior.myPersonID)
            #expect(spaces.rethinkReason(fresh, meetings: try await spaces.meetings(fresh), myAnswers: [])?.contains("coordinator") == true)
            // One click: an extra meeting in the next two weeks, its agenda naming the goal; a second is refused.
            let meeting = try await spaces.planRethink(fresh)
            #expect(meeting.purpose == .rethink && meeting.status == .planned && meeting.agenda.contains("Use AI tools weekly"))
            #expect(meeting.startsAt > app.clock.now() && meeting.startsAt < app.clock.now().addingTimeInterval(15 * 86_400))
            await #expect(throws: Problem.self) { try await spaces.planRethink(fresh) }
            #expect(spaces.rethinkReason(fresh, meetings: try await spaces.meetings(fresh), myAnswers: []) == nil)
        }
    }
}
