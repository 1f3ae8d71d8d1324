import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

/// Messages that time sends, on a fixed clock: each goes once, at its moment, to the right people.
@Suite("Scheduled mail")
struct ScheduledMailTests {
    func scheduled(_ app: Application, at date: Date) -> ScheduledMail {
        ScheduledMail(database: app.db, clock: .fixed(date), publicURL: "https://upward.example.org")
    }

    /// An active pair whose members have accounts (reminders are kept per account).
    func pairWithAccounts(_ app: Application) async throws -> (PairingSpaceService, PairingSpaceService.Space, PairingSpaceService.Space) {
        let (service, mentors, senior) = try await activePairing(app)
        for space in [mentors[0], senior] {
            try await makeUser(app, email: space.me.person.email, role: .participant, personID: space.myPersonID)
        }
        return (service, mentors[0], senior)
    }

    func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func digest_hours_fall_at_seven_utc_and_weekly_ones_on_mondays() {
        // 2026-12-07 is a Monday.
        #expect(ScheduledMail.boundary(.daily, now: utc("2026-12-08T06:59:00Z")) == utc("2026-12-07T07:00:00Z"))
        #expect(ScheduledMail.boundary(.daily, now: utc("2026-12-08T07:00:00Z")) == utc("2026-12-08T07:00:00Z"))
        #expect(ScheduledMail.boundary(.weekly, now: utc("2026-12-13T23:00:00Z")) == utc("2026-12-07T07:00:00Z"))
        #expect(ScheduledMail.boundary(.weekly, now: utc("2026-12-07T06:00:00Z")) == utc("2026-11-30T07:00:00Z"))
        #expect(ScheduledMail.boundary(.weekly, now: utc("2026-12-14T07:00:00Z")) == utc("2026-12-14T07:00:00Z"))
    }

    @Test func a_reminder_goes_a_day_before_each_meeting_once_and_again_when_it_moves() async throws {
        try await withUpward { app in
            let (service, junior, senior) = try await pairWithAccounts(app)
            let first = try #require(try await service.meetings(junior).first { $0.status == .planned })
            let dayBefore = first.startsAt.addingTimeInterval(-23 * 3600)
            #expect(try await scheduled(app, at: first.startsAt.addingTimeInterval(-25 * 3600)).meetingReminders() == 0)
            #expect(try await scheduled(app, at: dayBefore).meetingReminders() == 2)
            #expect(try await scheduled(app, at: dayBefore.addingTimeInterval(600)).meetingReminders() == 0)
            let reminders = try await AppNotification.query(on: app.db).filter(\.$kind == .meetingReminder).all()
            #expect(reminders.count == 2 && reminders.allSatisfy { $0.subject.hasPrefix("Coming up: your ") })
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject ~~ "Coming up:").count() == 2)
            // Moved: a new reminder for the new time.
            let moved = try await later(service, dayBefore).act(senior, on: first.id, .reschedule, start: first.startsAt.addingTimeInterval(7200))
            #expect(try await scheduled(app, at: moved.startsAt.addingTimeInterval(-23 * 3600)).meetingReminders() == 2)
        }
    }

    @Test func a_meeting_left_planned_after_it_ended_asks_to_be_logged_once() async throws {
        try await withUpward { app in
            let (service, junior, _) = try await pairWithAccounts(app)
            let first = try #require(try await service.meetings(junior).first { $0.status == .planned })
            #expect(try await scheduled(app, at: first.endsAt.addingTimeInterval(1800)).logPrompts() == 0)
            #expect(try await scheduled(app, at: first.endsAt.addingTimeInterval(7200)).logPrompts() == 2)
            #expect(try await scheduled(app, at: first.endsAt.addingTimeInterval(9000)).logPrompts() == 0)
            // Once logged, the next meeting's prompt is the only one.
            let second = try #require(try await service.meetings(junior).filter { $0.status == .planned }.dropFirst().first)
            try await later(service, second.endsAt.addingTimeInterval(60)).act(junior, on: second.id, .held)
            #expect(try await scheduled(app, at: second.endsAt.addingTimeInterval(7200)).logPrompts() == 0)
        }
    }

    @Test func a_check_in_is_announced_on_its_day_to_each_member_once() async throws {
        try await withUpward { app in
            let (_, junior, _) = try await pairWithAccounts(app)
            let activated = try #require(junior.pairing.activatedAt)
            let schedule = junior.programme.checkInSchedule
            let dueDay = Day(activated).adding(days: schedule.firstAfterDays)
            let noon = dueDay.startDate.addingTimeInterval(12 * 3600)
            #expect(try await scheduled(app, at: noon.addingTimeInterval(-86_400)).checkInsDue() == 0)
            #expect(try await scheduled(app, at: noon).checkInsDue() == 2)
            #expect(try await scheduled(app, at: noon.addingTimeInterval(3600)).checkInsDue() == 0)
            let note = try #require(try await AppNotification.query(on: app.db).filter(\.$kind == .checkInDue).first())
            #expect(note.body.contains("never to your partner") && note.link?.hasSuffix("/check-ins") == true)
        }
    }

    @Test func digests_gather_what_waited_skip_when_empty_and_go_once() async throws {
        try await withUpward { app in
            let person = try await makePerson(app, "Digest Reader", level: 2)
            let user = try await makeUser(app, email: person.email, role: .participant, personID: person.id)
            let userID = try user.requireID()
            try await NotificationService(database: app.db, clock: app.clock).setPreferences(for: userID, [.pairingUpdate: .daily, .meetingChange: .weekly])
            let tuesday = utc("2026-12-08T10:00:00Z")
            let notifier = Notifier(database: app.db, clock: .fixed(tuesday))
            let recipient = try await Notifier.recipient(person, on: app.db)
            for subject in ["Pairing started", "Pairing ended"] {
                try await notifier.send(Letter(kind: .pairingUpdate, subject: subject, body: "b", path: "/pairings"), to: recipient)
            }
            try await notifier.send(Letter(kind: .meetingChange, subject: "Meeting moved", body: "b", path: "/pairings"), to: recipient)
            #expect(try await OutboxMessage.query(on: app.db).count() == 0)
            // Before the next digest hour: nothing. After it: one digest with both; then nothing again.
            #expect(try await scheduled(app, at: utc("2026-12-08T12:00:00Z")).digests(.daily) == 0)
            #expect(try await scheduled(app, at: utc("2026-12-09T07:05:00Z")).digests(.daily) == 1)
            #expect(try await scheduled(app, at: utc("2026-12-09T07:20:00Z")).digests(.daily) == 0)
            let daily = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(daily.subject == "Your Upward daily digest: 2 updates")
            #expect(daily.body.contains("• Pairing started") && daily.body.contains("• Pairing ended") && !daily.body.contains("Meeting moved"))
            #expect(daily.unsubscribePath?.hasSuffix("/digest.daily") == true)
            // The weekly one waits for Monday.
            #expect(try await scheduled(app, at: utc("2026-12-13T20:00:00Z")).digests(.weekly) == 0)
            #expect(try await scheduled(app, at: utc("2026-12-14T07:30:00Z")).digests(.weekly) == 1)
            // Nobody with nothing waiting gets one.
            #expect(try await scheduled(app, at: utc("2026-12-21T07:30:00Z")).sendDigests().digests == 0)
        }
    }

    @Test func coordinators_get_a_weekly_summary_and_invited_people_hear_enrolment_is_closing() async throws {
        try await withUpward { app in
            let coordinator = try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let programme = try await makeProgramme(app)
            let monday = utc("2026-12-14T08:00:00Z")
            #expect(try await scheduled(app, at: monday).coordinatorDigests() == 1)
            #expect(try await scheduled(app, at: monday.addingTimeInterval(3 * 86_400)).coordinatorDigests() == 0)
            #expect(try await scheduled(app, at: monday.addingTimeInterval(9 * 86_400)).coordinatorDigests() == 0)   // a Wednesday: not mid-week
            #expect(try await scheduled(app, at: monday.addingTimeInterval(7 * 86_400)).coordinatorDigests() == 1)
            let summary = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == coordinator.email).first())
            #expect(summary.subject.hasPrefix("Your programmes this week") && summary.body.contains(programme.name))
            // Enrolment closing: invited and not applied, three days before.
            let invited = try await makePerson(app, "Invited Person", level: 1)
            try await makeUser(app, email: invited.email, role: .participant, personID: invited.id)
            let invitation = ProgrammeInvitation()
            invitation.$programme.id = try programme.requireID()
            invitation.$person.id = try invited.requireID()
            invitation.audience = "test"
            invitation.invitedBy = "coord@example.org"
            try await invitation.create(on: app.db)
            let closes = try #require(programme.enrolmentCloses.flatMap(Day.init))
            let threeBefore = closes.adding(days: -3).startDate.addingTimeInterval(9 * 3600)
            #expect(try await scheduled(app, at: threeBefore.addingTimeInterval(-86_400)).enrolmentClosing() == 0)
            #expect(try await scheduled(app, at: threeBefore).enrolmentClosing() == 1)
            #expect(try await scheduled(app, at: threeBefore.addingTimeInterval(3600)).enrolmentClosing() == 0)
        }
    }

    @Test func applicants_hear_on_applying_and_the_outcome_once_selection_is_confirmed() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app, capacity: 1)
            var applications: [ProgrammeApplication] = []
            for (name, role) in [("Ana Selected", ApplicationRole.mentor), ("Ben Waiting", .mentor), ("Cai Declined", .mentor), ("Dee Senior", .mentee)] {
                let person = try await makePerson(app, name, level: role == .mentor ? 1 : 6)
                try await makeUser(app, email: person.email, role: .participant, personID: person.id)
                applications.append(try await submit(app, person, role, to: programme))
            }
            let received = try await OutboxMessage.query(on: app.db).filter(\.$subject == "Application received: \(programme.name)").count()
            #expect(received == 4)
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: programme)
            let service = ApplicationService(database: app.db)
            for (application, status) in zip(applications, [ApplicationStatus.selected, .waitlisted, .declined, .selected]) {
                try await service.decide(application, status, by: "c@example.org")
            }
            try await ProgrammeService(database: app.db).perform(.confirmSelection, on: programme)
            // Confirming queues one job for the outcomes; the job tells each person once.
            #expect(try await Job.query(on: app.db).filter(\.$kind == ScheduledMail.selectionJob.name).count() == 1)
            #expect(try await scheduled(app, at: Date()).selectionOutcomes(programme.requireID()) == 4)
            #expect(try await scheduled(app, at: Date()).selectionOutcomes(programme.requireID()) == 0)
            let subjects = Dictionary(uniqueKeysWithValues: try await OutboxMessage.query(on: app.db).filter(\.$subject !~ "Application received").all()
                .map { ($0.recipient, $0) })
            #expect(subjects["ana.selected@example.org"]?.subject == "You are selected: \(programme.name)")
            #expect(subjects["ben.waiting@example.org"]?.body.contains("waiting list, number 1") == true)
            #expect(subjects["cai.declined@example.org"]?.subject == "About your application: \(programme.name)")
            #expect(subjects["cai.declined@example.org"]?.body.contains("apply again next round") == true)
        }
    }

    @Test func both_members_hear_when_their_pairing_becomes_active() async throws {
        try await withUpward { app in
            let (_, mentors, senior) = try await activePairing(app)
            let paired = try await OutboxMessage.query(on: app.db).filter(\.$subject ~~ "You are paired").all()
            #expect(Set(paired.map(\.recipient)) == Set([mentors[0].me.person.email, senior.me.person.email]))
            #expect(paired.allSatisfy { $0.body.contains("sign your agreement") && $0.body.contains(senior.me.person.name) || $0.recipient == senior.me.person.email })
        }
    }

    @Test func a_changed_choice_or_an_unsubscribe_takes_waiting_messages_out_of_the_digest() async throws {
        try await withUpward { app in
            let person = try await makePerson(app, "Changes Mind", level: 2)
            let user = try await makeUser(app, email: person.email, role: .participant, personID: person.id)
            let service = NotificationService(database: app.db, clock: app.clock)
            try await service.setPreferences(for: user.requireID(), [.pairingUpdate: .daily, .meetingChange: .daily])
            let tuesday = utc("2026-12-08T10:00:00Z")
            let recipient = try await Notifier.recipient(person, on: app.db)
            for kind in [NotificationKind.pairingUpdate, .meetingChange] {
                try await Notifier(database: app.db, clock: .fixed(tuesday)).send(Letter(kind: kind, subject: kind.rawValue, body: "b"), to: recipient)
            }
            // Meeting changes move to the weekly digest; pairing news is stopped from its unsubscribe address.
            try await service.setPreferences(for: user.requireID(), [.meetingChange: .weekly])
            let token = try await Notifier.unsubscribeToken(user, on: app.db)
            try await service.unsubscribe(try #require(try await service.unsubscription(token: token, topic: "digest.daily")))
            #expect(try await scheduled(app, at: utc("2026-12-09T07:30:00Z")).digests(.daily) == 0)
            #expect(try await scheduled(app, at: utc("2026-12-14T07:30:00Z")).digests(.weekly) == 1)
            let weekly = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(weekly.body.contains("meeting.change") && !weekly.body.contains("pairing.status"))
        }
    }

    @Test func a_leaver_gets_nothing_but_essential_mail_and_a_reminder_key_is_taken_once_at_the_same_moment() async throws {
        try await withUpward { app in
            let person = try await makePerson(app, "Left Already", level: 2)
            let user = try await makeUser(app, email: person.email, role: .participant, personID: person.id)
            user.deactivatedAt = Date()
            try await user.save(on: app.db)
            let recipient = try await Notifier.recipient(person, on: app.db)
            let notifier = Notifier(database: app.db, clock: app.clock)
            #expect(try await notifier.send(Letter(kind: .pairingUpdate, subject: "s", body: "b"), to: recipient) == false)
            #expect(try await notifier.send(Letter(kind: .consentRequest, subject: "s", body: "b"), to: recipient))
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)
            #expect(try await MailAddress.query(on: app.db).count() == 0)
            // Two instances sending the same reminder at once: one sends it, the other is told it went, neither fails.
            let active = try await makePerson(app, "Still Here", level: 2)
            try await makeUser(app, email: active.email, role: .participant, personID: active.id)
            let here = try await Notifier.recipient(active, on: app.db)
            async let a = notifier.send(Letter(kind: .meetingReminder, subject: "r", body: "b"), to: here, dedupeKey: "same")
            async let b = notifier.send(Letter(kind: .meetingReminder, subject: "r", body: "b"), to: here, dedupeKey: "same")
            let sent = try await [a, b]
            #expect(sent.filter { $0 }.count == 1)
            #expect(try await AppNotification.query(on: app.db).filter(\.$dedupeKey == "same").count() == 1)
        }
    }

    @Test func an_ending_cancels_the_meetings_in_everyones_calendar_without_the_reason() async throws {
        try await withUpward { app in
            let (service, junior, senior) = try await pairWithAccounts(app)
            let future = try await service.meetings(junior).filter { $0.status == .planned && $0.startsAt > Date() }
            #expect(!future.isEmpty)
            try await EndingService(database: app.db, clock: app.clock).leave(senior, reason: "My role changed and I travel", wantAnother: false, linkBase: "")
            let cancels = try await OutboxMessage.query(on: app.db).filter(\.$calendarMethod == "CANCEL").all()
            #expect(cancels.count == future.count * 2)
            #expect(cancels.allSatisfy { $0.calendarICS?.contains("STATUS:CANCELLED") == true && !$0.body.contains("travel") })
            #expect(Set(cancels.map(\.recipient)) == Set([junior.me.person.email, senior.me.person.email]))
        }
    }
}
