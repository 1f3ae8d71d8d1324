import Fluent
import Foundation
import Scheduling
import Testing
import VaporTesting
@testable import Upward

/// An active pairing of one junior and one senior (or a board of `advisors`), made through matching, publication
/// and both answers; `prepare` changes the programme and the applications before publication.
func activePairing(_ app: Application, format: ProgrammeFormat = .reverse, advisors: Int = 1,
                   prepare: ((Programme, [ProgrammeApplication], [ProgrammeApplication]) async throws -> Void)? = nil)
    async throws -> (service: PairingSpaceService, mentors: [PairingSpaceService.Space], mentee: PairingSpaceService.Space) {
    let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: format == .advisoryBoard ? advisors : 1, mentees: 1, format: format)
    try await prepare?(programme, juniors, seniors)
    let matching = MatchingService(database: app.db, clock: app.clock)
    var settings = MatchingService.defaultSettings(for: programme)
    settings.minimumLevelGap = 0
    let run = try await matching.startRun(programme, settings: settings, by: "c")
    try await matching.publish(run, programme: programme, by: "c", linkBase: "")
    for a in juniors + seniors { try await matching.respond(try await member(app, a), accept: true, reason: nil) }
    let service = PairingSpaceService(database: app.db, clock: app.clock)
    let pairingID = try await member(app, seniors[0]).$pairing.id
    var mentors: [PairingSpaceService.Space] = []
    for junior in juniors { mentors.append(try await service.space(pairingID, personID: junior.$person.id)) }
    return (service, mentors, try await service.space(pairingID, personID: seniors[0].$person.id))
}

/// `date` without its seconds: meetings start on a whole minute.
func wholeMinute(_ date: Date) -> Date { Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60) }

/// The same service reading the time from `date`: what a member does later.
func later(_ service: PairingSpaceService, _ date: Date) -> PairingSpaceService {
    PairingSpaceService(database: service.database, clock: .fixed(date))
}

@Suite("Pairing space: agreement, goals, meetings, notes, calendar")
struct PairingSpaceServiceTests {
    @Test func becoming_active_sets_up_the_agreement_and_the_meetings_once() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let agreement = try await service.agreement(senior)
            #expect(agreement.current.version == 1 && agreement.versions.count == 1 && !agreement.isSigned)
            #expect(agreement.current.terms.confidentiality == ProgrammeDefaults.groundRules.confidentiality)
            #expect(agreement.current.terms.cadence.hasPrefix(senior.programme.commitment))
            #expect(Day(agreement.current.terms.midpointReview) != nil)
            #expect(senior.pairing.activatedAt != nil)
            let meetings = try await service.meetings(senior)
            #expect(meetings.count == senior.programme.sessionCount)
            #expect(meetings.map(\.session) == Array(1...senior.programme.sessionCount).map { Optional($0) })
            // Conversation starters rotate through the sessions.
            let starters = senior.programme.conversationStarters
            for m in meetings { #expect(m.starter == starters[((m.session ?? 1) - 1) % starters.count]) }
            // Each a week or more after the last (the cadence), inside the programme.
            for (a, b) in zip(meetings, meetings.dropFirst()) { #expect(b.startsAt.timeIntervalSince(a.startsAt) >= 6 * 86_400) }
            #expect(try #require(meetings.first).startsAt >= Day(senior.programme.startsOn ?? "")!.startDate)
            // Set up once: a second call changes nothing.
            try await service.setUp(senior.pairingID)
            #expect(try await Meeting.query(on: app.db).count() == meetings.count)
            #expect(try await Agreement.query(on: app.db).count() == 1)
            #expect(mentors[0].partners.map { $0.$person.id } == [senior.myPersonID])
        }
    }

    @Test func meetings_are_planned_in_both_time_zones_across_a_daylight_saving_change() async throws {
        try await withUpward { app in
            // London afternoons and New York mornings overlap on Tuesdays; America moves its clocks on 14 March 2027,
            // Britain on 28 March, so for two weeks the gap is four hours instead of five.
            let (service, _, senior) = try await activePairing(app) { programme, juniors, seniors in
                programme.startsOn = "2027-03-01"
                programme.endsOn = "2027-04-30"
                programme.cadenceWeeks = 1
                programme.sessionCount = 8
                try await programme.save(on: app.db)
                juniors[0].timeZone = "Europe/London"
                juniors[0].availability = ["Tue afternoon"]
                seniors[0].timeZone = "America/New_York"
                seniors[0].availability = ["Tue morning"]
                try await juniors[0].save(on: app.db)
                try await seniors[0].save(on: app.db)
            }
            let meetings = try await service.meetings(senior)
            #expect(meetings.count == 8)
            let london = TimeZone(identifier: "Europe/London")!, newYork = TimeZone(identifier: "America/New_York")!
            var londonStarts = Set<Int>()
            for m in meetings {
                for (zone, window) in [(london, 13 * 60...17 * 60), (newYork, 9 * 60...12 * 60)] {
                    var calendar = Calendar(identifier: .gregorian)
                    calendar.timeZone = zone
                    let c = calendar.dateComponents([.weekday, .hour, .minute], from: m.startsAt)
                    let e = calendar.dateComponents([.hour, .minute], from: m.endsAt)
                    #expect(c.weekday == 3, "meeting \(m.session ?? 0) is not on a Tuesday in \(zone.identifier)")
                    #expect(window.contains(c.hour! * 60 + c.minute!) && window.contains(e.hour! * 60 + e.minute!))
                    if zone == london { londonStarts.insert(c.hour! * 60 + c.minute!) }
                }
                #expect(m.fitNote == nil)
            }
            // 14:00 in London when the gap is five hours, 13:00 while it is four.
            #expect(londonStarts == [13 * 60, 14 * 60])
        }
    }

    @Test func a_time_nobody_gave_is_planned_with_a_note_that_says_so() async throws {
        try await withUpward { app in
            let (service, _, senior) = try await activePairing(app) { _, juniors, seniors in
                juniors[0].availability = ["Mon morning"]
                seniors[0].availability = ["Fri afternoon"]
                try await juniors[0].save(on: app.db)
                try await seniors[0].save(on: app.db)
            }
            let meetings = try await service.meetings(senior)
            #expect(!meetings.isEmpty && meetings.allSatisfy { $0.fitNote?.contains("working day") == true })
        }
    }

    @Test func an_edit_after_a_signature_makes_a_new_version_that_everyone_signs_again() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let junior = mentors[0]
            // Every edit is a new version, so a signature always names the text its signer read.
            var terms = try await service.agreement(senior).current.terms
            terms.place = "The small meeting room on floor 3, or Teams."
            #expect(try await service.editAgreement(senior, terms: terms, basedOn: 1).version == 2)
            // An edit of a version that is no longer current is refused, not saved over the other.
            var stale = terms
            stale.place = "Anywhere"
            await #expect(throws: Problem.self) { try await service.editAgreement(junior, terms: stale, basedOn: 1) }
            try await service.sign(junior, version: 2)
            try await service.sign(junior, version: 2)   // twice: one signature
            var state = try await service.agreement(senior)
            #expect(state.unsigned == [senior.myPersonID] && state.current.signatures.count == 1)
            // After a signature, an edit is version 3 and nobody has signed it.
            terms.offLimits = "Our own teams' performance."
            let v3 = try await service.editAgreement(senior, terms: terms, basedOn: 2)
            #expect(v3.version == 3)
            state = try await service.agreement(junior)
            #expect(state.versions.map(\.version) == [3, 2, 1] && Set(state.unsigned) == [junior.myPersonID, senior.myPersonID])
            #expect(state.versions[1].signatures.count == 1 && state.versions[1].terms.offLimits != terms.offLimits)
            // Signing what one read before the change is refused.
            await #expect(throws: Problem.self) { try await service.sign(senior, version: 2) }
            try await service.sign(senior, version: 3)
            try await service.sign(junior, version: 3)
            state = try await service.agreement(junior)
            #expect(state.isSigned && state.signedAt != nil)
            // The same terms again make no new version.
            #expect(try await service.editAgreement(junior, terms: terms, basedOn: 3).version == 3)
            // Bad terms: every field named, nothing saved.
            var bad = terms
            bad.midpointReview = "2027-02-30"
            bad.confidentiality = " "
            do {
                try await service.editAgreement(junior, terms: bad, basedOn: 3)
                Issue.record("saved bad terms")
            } catch let error as InvalidInput {
                #expect(Set(error.issues.map(\.field)) == ["midpointReview", "confidentiality"])
            }
            #expect(try await Agreement.query(on: app.db).count() == 3)
        }
    }

    @Test func goals_keep_every_change_with_who_when_and_why() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let junior = mentors[0]
            #expect(PairingSpaceService.defaultLearner(for: .reverse) == .mentee)
            let goal = try await service.addGoal(senior, GoalContent(
                learner: .mentee, title: "  Build a dashboard ", measure: "Shown at the board", targetDate: "2027-01-31",
                tasks: [GoalTask(title: "Sign in", done: true), GoalTask(title: "Filter", done: false), GoalTask(title: " ", done: false)],
                progress: 0, status: .open), progressFromTasks: true)
            #expect(goal.title == "Build a dashboard" && goal.tasks.count == 2 && goal.progress == 50 && goal.revision == 1)
            var content = goal.content
            content.progress = 80
            content.status = .achieved
            let updated = try await service.updateGoal(junior, goal.id, content, why: "Demoed it on Friday", basedOn: 1)
            #expect(updated.revision == 2)
            // The same content again, or a stale edit, makes no revision.
            _ = try await service.updateGoal(junior, goal.id, content, why: nil)
            await #expect(throws: Problem.self) { try await service.updateGoal(senior, goal.id, goal.content, why: nil, basedOn: 1) }
            let history = try await service.revisions(of: updated)
            #expect(history.map(\.revision) == [2, 1])
            #expect(history[0].changedBy == junior.myPersonID && history[0].why == "Demoed it on Friday" && history[1].changedBy == senior.myPersonID)
            #expect(PairingSpaceService.changes(from: history[1].content, to: history[0].content) == ["Progress 50% → 80%", "Status open → achieved"])
            // Bad input names each field and saves nothing.
            var bad = content
            (bad.title, bad.targetDate, bad.progress) = ("", "31/01/2027", 150)
            do {
                try await service.addGoal(senior, bad)
                Issue.record("saved a bad goal")
            } catch let error as InvalidInput {
                #expect(Set(error.issues.map(\.field)) == ["title", "targetDate", "progress"])
            }
            #expect(try await Goal.query(on: app.db).count() == 1)
            // A goal of another pairing is not found through this one.
            await #expect(throws: Problem.self) { try await service.goal(senior, UUID()) }
        }
    }

    @Test func two_way_pairings_expect_a_goal_each_way() async throws {
        try await withUpward { app in
            let (service, mentors, partner) = try await activePairing(app, format: .twoWay)
            #expect(PairingSpaceService.defaultLearner(for: .twoWay) == .both)
            #expect(try await service.nextStep(partner).kind == .prepare)
            try await service.acknowledgePreparation(partner)
            try await service.sign(partner, version: 1)
            #expect(try await service.nextStep(partner).kind == .setGoal)
            try await service.addGoal(partner, GoalContent(learner: .mentee, title: "Learn chat etiquette", measure: "", targetDate: nil, tasks: [], progress: 0, status: .open))
            #expect(PairingSpaceService.missingDirections(try await service.goals(partner), format: .twoWay) == [.mentor])
            let step = try await service.nextStep(partner)
            let mentorSide = try #require(partner.members.first { $0.side == .mentor }).person.name
            #expect(step.kind == .setGoal && step.text.contains(mentorSide))
            try await service.addGoal(mentors[0], GoalContent(learner: .mentor, title: "Learn budgeting", measure: "", targetDate: nil, tasks: [], progress: 0, status: .open))
            #expect(try await service.nextStep(partner).kind == .meet)
        }
    }

    @Test func meetings_move_are_held_cancelled_by_a_side_and_counted() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let junior = mentors[0]
            let meetings = try await service.meetings(senior)
            let (first, second, third) = (meetings[0], meetings[1], meetings[2])
            // Not held before it happens.
            await #expect(throws: Problem.self) { try await service.act(junior, on: first.id, .held) }
            // Moved by an hour: a new sequence and the old time in its history.
            let moved = try await service.act(senior, on: first.id, .reschedule, start: first.startsAt.addingTimeInterval(3600), reason: "Clash")
            #expect(moved.sequence == 1 && moved.startsAt == first.startsAt.addingTimeInterval(3600) && moved.endsAt.timeIntervalSince(moved.startsAt) == 3600)
            let history = try await service.history(of: moved)
            #expect(history.map(\.kind) == [.planned, .rescheduled] && history[1].fromStart == first.startsAt && history[1].reason == "Clash")
            // The senior cancels the second; after the first has happened the junior logs it as held; the third is missed.
            let cancelled = try await service.act(senior, on: second.id, .cancel, reason: "Board meeting")
            #expect(cancelled.status == .cancelled && cancelled.cancelledBySide == .mentee && cancelled.sequence == 1)
            await #expect(throws: Problem.self) { try await service.act(junior, on: second.id, .reschedule, start: second.startsAt) }
            let afterThird = later(service, third.endsAt.addingTimeInterval(3600))
            try await afterThird.act(junior, on: first.id, .held)
            try await afterThird.act(junior, on: third.id, .missed)
            // A meeting they had outside the plan.
            try await afterThird.addMeeting(junior, start: second.startsAt.addingTimeInterval(86_400), minutes: 45, agenda: "Coffee", held: true)
            await #expect(throws: InvalidInput.self) {
                try await afterThird.addMeeting(junior, start: third.endsAt.addingTimeInterval(86_400 * 3), minutes: 45, agenda: nil, held: true)
            }
            await #expect(throws: InvalidInput.self) { try await afterThird.addMeeting(junior, start: third.startsAt, minutes: 0, agenda: nil, held: false) }
            let stats = try await afterThird.stats(senior)
            #expect(stats.held == 2 && stats.missed == 1 && stats.cancelledByMentee == 1 && stats.cancelledByMentor == 0)
            // Due: the plan's meetings whose time has passed (the logged one replaces the cancelled one, it is not due).
            #expect(stats.due == 3 && stats.heldShare == 67 && stats.unlogged == 0 && stats.total == meetings.count + 1)
            // Cancelling a meeting months ahead does not count against anyone before its time.
            try await afterThird.act(senior, on: meetings[4].id, .cancel, reason: "Sabbatical")
            let stillThree = try await afterThird.stats(senior)
            #expect(stillThree.due == 3 && stillThree.cancelledByMentee == 1)
            let summary = try #require(try await afterThird.summaries(of: senior.programme)[senior.pairingID])
            #expect(summary.meetings == stillThree)
        }
    }

    @Test func notes_are_private_to_their_author_until_shared_and_no_one_else_reads_them() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let junior = mentors[0]
            let meeting = try await service.meetings(junior)[0]
            let mine = try await service.addNote(junior, text: "Private: ask about budgets", meeting: meeting.id, shared: false)
            try await service.addNote(junior, text: "Shared: thanks for the hour", shared: true)
            #expect(try await service.notes(junior).count == 2)
            #expect(try await service.notes(senior).map(\.text) == ["Shared: thanks for the hour"])
            #expect(try await service.notes(senior, meeting: meeting).isEmpty)
            await #expect(throws: Problem.self) { try await service.note(senior, mine.id) }
            await #expect(throws: Problem.self) { try await service.updateNote(senior, mine.id, text: "mine now", shared: true) }
            try await service.updateNote(junior, mine.id, text: nil, shared: true)
            #expect(try await service.notes(senior, meeting: meeting).map(\.text) == ["Private: ask about budgets"])
            await #expect(throws: InvalidInput.self) { try await service.addNote(junior, text: "  ", shared: false) }
            // Nobody outside the pairing gets its space, whatever their role.
            for role in [Role.coordinator, .admin, .sponsor, .participant] {
                let outsider = try await makeUser(app, email: "\(role.rawValue)@example.org", role: role,
                                                  personID: try await makePerson(app, "Outsider \(role.rawValue)", level: 3).requireID())
                await #expect(throws: Problem.self) { try await service.space(senior.pairingID, for: outsider) }
            }
        }
    }

    @Test func the_calendar_feed_keeps_uids_raises_sequences_and_shows_cancellations() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            let junior = mentors[0]
            // The feed is for someone with a working account.
            let account = try await makeUser(app, email: "junior-feed@example.org", role: .participant, personID: junior.myPersonID)
            let token = try await service.newFeed(for: junior.myPersonID)
            let meetings = try await service.meetings(junior)
            var feed = try #require(try await service.feed(token: token))
            #expect(feed.hasSuffix("END:VCALENDAR\r\n") && feed.contains("METHOD:PUBLISH"))
            for m in meetings { #expect(feed.contains("UID:\(m.id!.uuidString.lowercased())@upward")) }
            try await service.act(senior, on: meetings[0].id, .reschedule, start: meetings[0].startsAt.addingTimeInterval(1800))
            try await service.act(senior, on: meetings[1].id, .cancel, reason: nil)
            feed = try #require(try await service.feed(token: token))
            #expect(feed.components(separatedBy: "SEQUENCE:1\r\n").count == 3)
            #expect(feed.components(separatedBy: "STATUS:CANCELLED").count == 2)
            // A new address replaces the old; a revoked one answers nothing.
            let second = try await service.newFeed(for: junior.myPersonID)
            #expect(try await service.feed(token: token) == nil)
            #expect(try await service.feed(token: second) != nil)
            // Deactivated, the account's feed stops; so it does when the person leaves.
            account.deactivatedAt = Date()
            try await account.save(on: app.db)
            #expect(try await service.feed(token: second) == nil)
            account.deactivatedAt = nil
            try await account.save(on: app.db)
            #expect(try await service.feed(token: second) != nil)
            let person = try #require(try await Person.find(junior.myPersonID, on: app.db))
            person.leaveDate = Day(Date()).description
            try await person.save(on: app.db)
            #expect(try await service.feed(token: second) == nil)
            try await service.revokeFeed(for: junior.myPersonID)
            #expect(try await service.feed(token: second) == nil)
            #expect(try await service.feedCreated(for: junior.myPersonID) == nil)
        }
    }

    @Test func attendees_get_a_calendar_invitation_per_change_with_the_feeds_uid_and_sequence() async throws {
        try await withUpward { app in
            var (service, mentors, senior) = try await activePairing(app)
            service.organizer = CalendarPerson(name: "Upward", email: "upward@example.org")
            service.publicURL = "https://upward.example.org"
            let junior = mentors[0]
            let meetings = try await service.meetings(junior)
            let before = try await OutboxMessage.query(on: app.db).count()
            try await service.act(senior, on: meetings[0].id, .reschedule, start: meetings[0].startsAt.addingTimeInterval(1800))
            try await service.act(junior, on: meetings[1].id, .cancel, reason: "A clash")
            let uid0 = "UID:\(meetings[0].id!.uuidString.lowercased())@upward", uid1 = "UID:\(meetings[1].id!.uuidString.lowercased())@upward"
            let sent = try await OutboxMessage.query(on: app.db).sort(\.$createdAt).all().dropFirst(before)
            #expect(sent.count == 4)   // each change to both members
            let moved = sent.filter { $0.calendarICS?.contains(uid0) == true }
            let cancelled = sent.filter { $0.calendarICS?.contains(uid1) == true }
            #expect(Set(moved.map(\.recipient)) == Set([junior, senior].map(\.me.person.email)))
            #expect(moved.allSatisfy { $0.calendarMethod == "REQUEST" && $0.subject.hasPrefix("Meeting moved to ") && $0.calendarICS!.contains("SEQUENCE:1\r\n") })
            #expect(cancelled.allSatisfy { $0.calendarMethod == "CANCEL" && $0.calendarICS!.contains("STATUS:CANCELLED") && $0.calendarICS!.contains("METHOD:CANCEL") })
            let ics = try #require(moved.first?.calendarICS)
            #expect(ics.contains("ORGANIZER;CN=\"Upward\":mailto:upward@example.org"))
            #expect(ics.contains("mailto:\(junior.me.person.email)") && ics.contains("mailto:\(senior.me.person.email)"))
            #expect(moved.allSatisfy { $0.body.contains("https://upward.example.org/pairings/") })
            // The feed says the same: same UID, same SEQUENCE.
            _ = try await makeUser(app, email: "invite-feed@example.org", role: .participant, personID: junior.myPersonID)
            let feed = try #require(try await service.feed(token: try await service.newFeed(for: junior.myPersonID)))
            let block = try #require(feed.components(separatedBy: "BEGIN:VEVENT").first { $0.contains(uid0) })
            #expect(block.contains("SEQUENCE:1\r\n"))
        }
    }

    @Test func a_board_plans_a_series_with_each_advisor_and_each_advisor_sees_only_theirs() async throws {
        try await withUpward { app in
            let (service, advisors, holder) = try await activePairing(app, format: .advisoryBoard, advisors: 3)
            #expect(advisors.count == 3)
            let all = try await service.meetings(holder)
            #expect(all.count == holder.programme.sessionCount * 3)
            // The holder is never in two meetings at once.
            for (a, b) in zip(all, all.dropFirst()) { #expect(a.endsAt <= b.startsAt) }
            for advisor in advisors {
                let theirs = try await service.meetings(advisor)
                #expect(theirs.count == holder.programme.sessionCount && theirs.allSatisfy { $0.advisorID == advisor.myPersonID })
                #expect(advisor.partners.map { $0.$person.id } == [holder.myPersonID])
            }
            await #expect(throws: Problem.self) {
                try await service.meeting(advisors[0], try #require(all.first { $0.advisorID == advisors[1].myPersonID }).id)
            }
            // The holder names the advisor of a meeting they log; an advisor's is always their own.
            await #expect(throws: InvalidInput.self) { try await service.addMeeting(holder, start: wholeMinute(Date()), minutes: 30, agenda: nil, held: false) }
            let extra = try await service.addMeeting(advisors[2], start: wholeMinute(Date().addingTimeInterval(86_400)), minutes: 30, agenda: nil, held: false)
            #expect(extra.advisorID == advisors[2].myPersonID)
        }
    }

    @Test func the_coordinator_sees_signatures_and_counts_only() async throws {
        try await withUpward { app in
            let (service, mentors, senior) = try await activePairing(app)
            try await service.acknowledgePreparation(senior)
            for space in [senior, mentors[0]] { try await service.sign(space, version: 1) }
            try await service.addGoal(senior, GoalContent(learner: .mentee, title: "Secret goal text", measure: "", targetDate: nil, tasks: [], progress: 30, status: .open))
            let summary = try #require(try await service.summaries(of: senior.programme)[senior.pairingID])
            #expect(summary.signedAt != nil && summary.agreementVersion == 1 && summary.goalsOpen == 1 && summary.meanProgress == 30)
            #expect(summary.prepared == [senior.myPersonID])
            #expect(!String(describing: summary).contains("Secret goal text"))
        }
    }

    @Test func the_brief_is_the_programmes_own_or_the_default_on_inclusion_programmes() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app)
            #expect(programme.objective == .technology && Preparation.brief(for: programme) == nil)
            var input = ProgrammeInput(programme)
            input.objective = .inclusion
            try await ProgrammeService(database: app.db).update(programme, with: input)
            #expect(Preparation.brief(for: programme) == Preparation.inclusionBrief)
            let patch = try JSONDecoder().decode(ProgrammePatch.self, from: Data(#"{"brief": "  Read the Respect at Work policy.  "}"#.utf8))
            try await ProgrammeService(database: app.db).update(programme, with: patch.applied(to: ProgrammeInput(programme)))
            let saved = try #require(try await Programme.find(programme.id, on: app.db))
            #expect(saved.brief == "Read the Respect at Work policy." && Preparation.brief(for: saved) == saved.brief)
            input = ProgrammeInput(saved)
            input.brief = String(repeating: "x", count: TextLimit.paragraph + 1)
            #expect(input.problems().map(\.field) == ["brief"])
        }
    }
}
