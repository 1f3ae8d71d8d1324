import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

/// A pairing made active through the product (applications, a matching run, publication, everyone accepting), with
/// an account for each member: juniors are `junior.N@example.org`, the senior `senior.0@example.org`.
struct WebPairing {
    var pairingID: UUID
    var juniors: [Person]
    var senior: Person
    var programme: Programme

    var path: String { WebRoute.pairing.link(pairingID) }

    /// A signed-in page session for one of them.
    func session(_ app: Application, _ person: Person) async throws -> WebSession {
        let web = WebSession(app)
        #expect(try await web.signIn(person.email).status == .seeOther)
        return web
    }

    static func make(_ app: Application, format: ProgrammeFormat = .reverse, advisors: Int = 1) async throws -> WebPairing {
        let programme = try await makeProgramme(app, capacity: 10, format: format)
        var juniors: [Person] = [], applications: [ProgrammeApplication] = []
        let (juniorRole, seniorRole): (ApplicationRole, ApplicationRole) = format == .twoWay ? (.both, .both) : (.mentor, .mentee)
        for i in 0..<(format == .advisoryBoard ? advisors : 1) {
            let person = try await makePerson(app, "Junior \(i)", level: 1, department: ["Engineering", "Sales", "Design"][i % 3])
            juniors.append(person)
            applications.append(try await submit(app, person, juniorRole, to: programme, offers: ["AI tools"]))
        }
        let senior = try await makePerson(app, "Senior 0", level: 5, department: "Finance")
        let seniorApplication = try await submit(app, senior, seniorRole, to: programme, seeks: ["AI tools"])
        applications.append(seniorApplication)
        let programmes = ProgrammeService(database: app.db)
        try await programmes.perform(.closeEnrolment, on: programme)
        for a in applications { try await ApplicationService(database: app.db).decide(a, .selected, by: "c") }
        try await programmes.perform(.confirmSelection, on: programme)
        let matching = MatchingService(database: app.db, clock: app.clock)
        var settings = MatchingService.defaultSettings(for: programme)
        settings.minimumLevelGap = 0
        let run = try await matching.startRun(programme, settings: settings, by: "c")
        try await matching.publish(run, programme: programme, by: "c", linkBase: "")
        for a in applications { try await matching.respond(try await member(app, a), accept: true, reason: nil) }
        for person in juniors + [senior] { try await makeUser(app, email: person.email, role: .participant, personID: person.id) }
        let pairingID = try await member(app, seniorApplication).$pairing.id
        return WebPairing(pairingID: pairingID, juniors: juniors, senior: senior, programme: programme)
    }
}

private extension TestingHTTPResponse {
    var html: String { body.string }
}

@Suite("Pages: the pairing's space")
struct PairingSpaceWebTests {
    @Test func both_members_sign_and_an_edit_after_a_signature_asks_to_sign_again() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app)
            let junior = try await pair.session(app, pair.juniors[0]), senior = try await pair.session(app, pair.senior)
            let space = try await junior.get(pair.path)
            #expect(space.status == .ok)
            #expect(space.html.contains("You and Senior 0"))
            #expect(space.html.contains("not signed by everyone yet"))
            let agreement = WebRoute.agreement.link(pair.pairingID), sign = WebRoute.agreementSign.link(pair.pairingID)
            let page = try await junior.get(agreement)
            #expect(page.html.contains("Sign version 1") && page.html.contains("Psychological safety and feedback"))
            #expect(try await junior.submit(sign, from: agreement, ["version": "1"]).status == .seeOther)
            #expect(try await junior.get(agreement).html.contains("You signed on"))
            #expect(try await senior.submit(sign, from: agreement, ["version": "1"]).status == .seeOther)
            let signed = try await senior.get(agreement)
            #expect(signed.html.contains("Signed by everyone") && !signed.html.contains("Sign version 1"))
            #expect(try await junior.get(pair.path).html.contains("signed by everyone"))

            // An edit after the signatures: a new version, which both sign again; version 1 stays readable.
            var terms = Self.fields(of: try await Agreement.query(on: app.db).first()?.terms)
            terms["offLimits"] = "Anything about the reorganisation."
            terms["version"] = "1"   // the version the member edited
            let edited = try await junior.submit(agreement, terms)
            #expect(edited.status == .seeOther)
            let after = try await junior.get(agreement)
            #expect(after.html.contains("Saved as version 2. Everyone signs it again, you too."))
            #expect(
                after.html.contains("Version 2") && after.html.contains("Not signed by everyone yet")
                    && after.html.contains("Sign version 2"))
            #expect(after.html.contains("Earlier versions") && after.html.contains("Version 1 ·"))
            #expect(after.html.contains("Someone has signed version 1") == false)
            // Once the preparation is read, the next step is to sign again.
            #expect(try await senior.get(pair.path).html.contains("Read the preparation before your first meeting"))
            #expect(try await senior.submit(WebRoute.preparation.link(pair.pairingID), from: pair.path, [:]).status == .seeOther)
            let next = try await senior.get(pair.path).html
            #expect(next.contains("Thank you: you have read the preparation.") && next.contains("You read it on"))
            #expect(next.contains("The agreement changed (version 2): read it and sign it again."))
            // Signing the version read earlier signs nothing.
            #expect(try await senior.submit(sign, from: agreement, ["version": "1"]).status == .seeOther)
            #expect(try await senior.get(agreement).html.contains("The agreement changed since you opened it"))
            #expect(try await AgreementSignature.query(on: app.db).count() == 2)
            // The edit form says plainly that a change after a signature makes a new version.
            #expect(try await senior.submit(sign, from: agreement, ["version": "2"]).status == .seeOther)
            #expect(try await junior.get(agreement).html.contains("Saving a change makes version 3, which everyone signs again"))

            // A date that does not exist comes back as the form with its message, and nothing is saved.
            terms["midpointReview"] = "2027-02-30"
            terms["version"] = "2"
            let refused = try await junior.submit(agreement, terms)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("The midpoint review needs a date written yyyy-mm-dd"))
            #expect(refused.html.contains("Anything about the reorganisation."))
            #expect(try await Agreement.query(on: app.db).count() == 2)
        }
    }

    @Test func a_goal_is_set_and_revised_and_its_history_shows_who_when_and_why() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app)
            let junior = try await pair.session(app, pair.juniors[0]), senior = try await pair.session(app, pair.senior)
            let new = WebRoute.newGoal.link(pair.pairingID)
            let form = try await junior.get(new)
            #expect(form.status == .ok)
            // Who learns, in the pairing's words; the reverse format starts with the senior learning.
            #expect(
                form.html.contains(#"value="mentee" checked"#) && form.html.contains("Senior 0 learns")
                    && form.html.contains("Junior 0 learns"))
            let good = [
                "learner": "mentee", "title": "Use the dashboard unaided", "measure": "I build the weekly view myself",
                "targetDate": "2027-03-01", "tasks": "[x] Find the sales view\nFilter by region", "progress": "", "status": "open",
            ]
            // Bad input comes back as the form with a message and a 422; nothing is saved.
            for (field, value, message) in [
                ("title", "  ", "Give the goal a title"), ("targetDate", "2027-02-30", "The target date must be written yyyy-mm-dd"),
                ("progress", "150", "Progress is a share from 0 to 100; it was 150."),
                ("progress", "lots", "Progress is a whole number from 0 to 100"),
            ] {
                var bad = good
                bad[field] = value
                let refused = try await junior.submit(new, bad)
                #expect(refused.status == .unprocessableEntity, "\(field)")
                #expect(refused.html.contains(message), "\(field): \(message)")
                #expect(refused.html.contains("I build the weekly view myself"))
            }
            #expect(try await Goal.query(on: app.db).count() == 0)

            #expect(try await junior.submit(new, good).status == .seeOther)
            let goal = try #require(try await Goal.query(on: app.db).first())
            #expect(goal.progress == 50 && goal.learner == .mentee && goal.tasks.count == 2 && goal.targetDate == "2027-03-01")
            let space = try await senior.get(pair.path)
            #expect(space.html.contains("Use the dashboard unaided") && space.html.contains("Senior 0 learns"))

            // The partner revises it: both tasks done, with a reason; the history says who, when and why.
            let link = WebRoute.goal.link(pair.pairingID, try goal.requireID())
            let page = try await senior.get(link)
            #expect(page.html.contains(#"name="revision" value="1""#))
            var revised = good
            (revised["tasks"], revised["why"], revised["revision"]) = (
                "[x] Find the sales view\n[x] Filter by region", "We did it in the second session", "1"
            )
            #expect(try await senior.submit(link, revised).status == .seeOther)
            let history = try await junior.get(link)
            #expect(history.html.contains("Saved as revision 2") == false)  // the flash went to the senior
            #expect(history.html.contains("Revision 2</strong> · Senior 0") && history.html.contains("Revision 1</strong> · You"))
            #expect(history.html.contains("Progress 50% → 100%") && history.html.contains("Why: We did it in the second session"))
            #expect(try await GoalRevision.query(on: app.db).count() == 2)

            // A change based on an old revision is refused, with what was typed kept.
            var stale = revised
            (stale["title"], stale["revision"]) = ("Something else", "1")
            let conflict = try await junior.submit(link, stale)
            #expect(conflict.status == .conflict)
            #expect(conflict.html.contains("changed this goal while you were editing it") && conflict.html.contains("Something else"))
            #expect(try await Goal.find(goal.id, on: app.db)?.title == "Use the dashboard unaided")
            // A bad revision number or progress is a 422 on the edit too.
            var over = revised
            over["progress"] = "150"
            let refused = try await junior.submit(link, over)
            #expect(refused.status == .unprocessableEntity && refused.html.contains("it was 150"))
            #expect(try await GoalRevision.query(on: app.db).count() == 2)
        }
    }

    @Test func a_meeting_is_rescheduled_with_its_history_then_marked_held() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app)
            var junior = try await pair.session(app, pair.juniors[0]), senior = try await pair.session(app, pair.senior)
            let meetings = try await Meeting.query(on: app.db).sort(\.$startsAt).all()
            let first = try #require(meetings.first), second = try #require(meetings.dropFirst().first)
            let page = WebRoute.meeting.link(pair.pairingID, try first.requireID())
            let actions = WebRoute.meetingAction.link(pair.pairingID, try first.requireID())
            let shown = try await junior.get(page)
            #expect(
                shown.status == .ok && shown.html.contains("Session 1 of") && shown.html.contains("UTC")
                    && shown.html.contains("Europe/London"))

            // Moved: the date and time are the member's own (London); the history keeps the old and new times.
            let london = TimeZone(identifier: "Europe/London")!
            let newDay = ZonedTime.fields(first.startsAt.addingTimeInterval(2 * 86_400), in: london).date
            let moved = try await junior.submit(
                actions, from: page,
                [
                    "action": "reschedule", "date": newDay, "time": "14:30", "minutes": "45",
                    "reason": "A clash with the quarterly review",
                ])
            #expect(moved.status == .seeOther)
            let (expected, _) = PairingWebController.moment(date: newDay, time: "14:30", in: london)
            let after = try #require(try await Meeting.find(first.id, on: app.db))
            #expect(after.startsAt == expected && after.endsAt.timeIntervalSince(after.startsAt) == 45 * 60 && after.sequence == 1)
            let history = try await senior.get(page)
            #expect(history.html.contains("Junior 0 moved it from") && history.html.contains("A clash with the quarterly review"))
            #expect(history.html.contains(ZonedTime(after.startsAt, in: london).local))

            // An impossible date is a 422 with the form's message; the meeting keeps its time.
            let impossible = try await junior.submit(actions, from: page, ["action": "reschedule", "date": "2027-02-30", "time": "10:00"])
            #expect(impossible.status == .unprocessableEntity && impossible.html.contains("is not a date"))
            #expect(try await Meeting.find(first.id, on: app.db)?.startsAt == after.startsAt)

            // Not held before it happens; held once it has.
            _ = try await junior.submit(actions, from: page, ["action": "held"])
            #expect(try await Meeting.find(first.id, on: app.db)?.status == .planned)
            // A month later (sessions from before have expired by then: sign in again).
            app.clock = .fixed(after.endsAt.addingTimeInterval(3600))
            (junior, senior) = (try await pair.session(app, pair.juniors[0]), try await pair.session(app, pair.senior))
            #expect(try await junior.submit(actions, from: page, ["action": "held"]).status == .seeOther)
            #expect(try await Meeting.find(first.id, on: app.db)?.status == .held)
            let held = try await senior.get(page)
            #expect(held.html.contains(#"id="meeting-status">Held"#) && held.html.contains("Junior 0 marked it held"))
            #expect(try await senior.get(pair.path).html.contains("Held <strong>1</strong> of 1 due"))

            // Cancelling asks first, then records the side.
            let secondActions = WebRoute.meetingAction.link(pair.pairingID, try second.requireID())
            let secondPage = WebRoute.meeting.link(pair.pairingID, try second.requireID())
            let ask = try await senior.submit(secondActions, from: secondPage, ["action": "cancel", "reason": "Travelling"])
            #expect(ask.status == .ok && ask.html.contains("Cancel this meeting?"))
            #expect(try await Meeting.find(second.id, on: app.db)?.status == .planned)
            _ = try await senior.submit(secondActions, from: secondPage, ["action": "cancel", "reason": "Travelling", "confirmed": "yes"])
            let cancelled = try #require(try await Meeting.find(second.id, on: app.db))
            #expect(cancelled.status == .cancelled && cancelled.cancelledBySide == .mentee && cancelled.cancelReason == "Travelling")
            // Listed with who called it off; counted against that side once its time has passed.
            #expect(try await junior.get(pair.path).html.contains("Cancelled by Senior 0: Travelling"))

            // The meeting as a calendar file.
            let ics = try await junior.get(WebRoute.meetingCalendar.link(pair.pairingID, try first.requireID()))
            #expect(ics.status == .ok)
            #expect(ics.headers.first(name: .contentType) == "text/calendar; charset=utf-8")
            #expect(ics.headers.first(name: .contentDisposition) == #"attachment; filename="meeting.ics""#)
            #expect(ics.html.hasPrefix("BEGIN:VCALENDAR\r\n") && ics.html.contains("SEQUENCE:1\r\n"))
        }
    }

    @Test func a_meeting_is_logged_or_planned_in_the_members_own_time_zone() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app)
            let junior = try await pair.session(app, pair.juniors[0])
            let new = WebRoute.newMeeting.link(pair.pairingID)
            #expect(try await junior.get(new + "?kind=plan").html.contains(#"value="plan" aria-describedby="kind-plan-hint" checked"#))
            #expect(try await junior.get(new + "?kind=party").status == .unprocessableEntity)
            let before = try await Meeting.query(on: app.db).count()
            let yesterday = ZonedTime.fields(app.clock.now().addingTimeInterval(-86_400), in: TimeZone(identifier: "Europe/London")!).date
            for (field, value, message) in [
                ("date", "2027-02-30", "is not a date"), ("time", "25:00", "is not a time"),
                ("minutes", "600", "A meeting lasts from 15 to 480 minutes"),
            ] {
                var form = ["kind": "log", "date": yesterday, "time": "10:00", "minutes": "60", "agenda": "Coffee"]
                form[field] = value
                let refused = try await junior.submit(new, form)
                #expect(refused.status == .unprocessableEntity && refused.html.contains(message), "\(field)")
            }
            #expect(try await Meeting.query(on: app.db).count() == before)
            let logged = try await junior.submit(
                new, ["kind": "log", "date": yesterday, "time": "10:00", "minutes": "30", "agenda": "Coffee"])
            #expect(logged.status == .seeOther)
            let meeting = try #require(try await Meeting.query(on: app.db).filter(\.$logged == true).first())
            #expect(meeting.status == .held && meeting.agenda == "Coffee")
            #expect(
                meeting.startsAt
                    == PairingWebController.moment(date: yesterday, time: "10:00", in: TimeZone(identifier: "Europe/London")!).0)
        }
    }

    @Test func a_typed_time_is_read_in_the_members_zone_and_a_skipped_hour_is_refused() {
        let london = TimeZone(identifier: "Europe/London")!
        let (summer, none) = PairingWebController.moment(date: "2027-07-01", time: "09:30", in: london)
        #expect(none.isEmpty && summer == ISO8601DateFormatter().date(from: "2027-07-01T08:30:00Z"))
        // Britain moves its clocks from 01:00 to 02:00 on 28 March 2027: 01:30 does not exist that night.
        let (skipped, issues) = PairingWebController.moment(date: "2027-03-28", time: "01:30", in: london)
        #expect(skipped == nil && issues.map(\.field) == ["time"] && issues[0].message.contains("the clocks change that night"))
        #expect(PairingWebController.moment(date: "2027-02-29", time: "9:00", in: london).1.map(\.field) == ["date"])
        #expect(PairingWebController.moment(date: "", time: "", in: london).1.map(\.field) == ["date", "time"])
    }

    @Test func a_private_note_stays_with_its_author_and_a_shared_one_reaches_the_partner() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app)
            let junior = try await pair.session(app, pair.juniors[0]), senior = try await pair.session(app, pair.senior)
            let notes = WebRoute.notes.link(pair.pairingID)
            let form = try await junior.get(pair.path)
            #expect(
                form.html.contains(#"<input type="checkbox" id="note-shared" name="shared"><label for="note-shared">Share with Senior 0"#))
            #expect(try await junior.submit(notes, from: pair.path, ["text": "Only for me: I was nervous."]).status == .seeOther)
            #expect(
                try await junior.submit(notes, from: pair.path, ["text": "For us both: bring the dashboard.", "shared": "on"]).status
                    == .seeOther)
            let meeting = try #require(try await Meeting.query(on: app.db).sort(\.$startsAt).first())
            let meetingPage = WebRoute.meeting.link(pair.pairingID, try meeting.requireID())
            #expect(
                try await junior.submit(
                    notes, from: meetingPage, ["text": "Agenda idea, private.", "meetingID": try meeting.requireID().uuidString]
                ).status == .seeOther)
            #expect(
                try await junior.submit(
                    notes, from: meetingPage,
                    [
                        "text": "Agenda idea, shared.", "shared": "on",
                        "meetingID": try meeting.requireID().uuidString,
                    ]
                ).status == .seeOther)

            let mine = try await junior.get(pair.path).html, theirs = try await senior.get(pair.path).html
            #expect(mine.contains("Only for me: I was nervous.") && mine.contains("For us both: bring the dashboard."))
            #expect(!theirs.contains("Only for me") && theirs.contains("For us both: bring the dashboard."))
            let theirMeeting = try await senior.get(meetingPage).html
            #expect(theirMeeting.contains("Agenda idea, shared.") && !theirMeeting.contains("Agenda idea, private."))
            #expect(!theirs.contains("Agenda idea"))  // meeting notes stay on the meeting

            // Only the author changes a note; unsharing takes it back.
            let shared = try #require(try await Note.query(on: app.db).filter(\.$text == "For us both: bring the dashboard.").first())
            let noteLink = WebRoute.note.link(pair.pairingID, try shared.requireID())
            _ = try await senior.submit(noteLink, from: pair.path, ["action": "delete", "confirmed": "yes"])
            let refusal = try await senior.get(pair.path).html
            #expect(refusal.contains("Not changed: Only the note") && refusal.contains("author can change it."))
            #expect(try await Note.find(shared.id, on: app.db) != nil)
            #expect(try await junior.submit(noteLink, from: pair.path, ["action": "unshare"]).status == .seeOther)
            #expect(!(try await senior.get(pair.path).html.contains("For us both")))
            let ask = try await junior.submit(noteLink, from: pair.path, ["action": "delete"])
            #expect(ask.status == .ok && ask.html.contains("Delete this note?"))
            #expect(try await junior.submit(noteLink, from: pair.path, ["action": "delete", "confirmed": "yes"]).status == .seeOther)
            #expect(try await Note.find(shared.id, on: app.db) == nil)

            // An empty note comes back with its message.
            let empty = try await junior.submit(notes, from: pair.path, ["text": "   "])
            #expect(empty.status == .unprocessableEntity && empty.html.contains("Write something in the note first."))
        }
    }

    @Test func nobody_outside_the_pairing_sees_its_space() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app)
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            try await makeUser(app, email: "admin@example.org", role: .admin)
            try await makeUser(app, email: "sponsor@example.org", role: .sponsor)
            let outsider = try await makePerson(app, "Someone Else", level: 2)
            try await makeUser(app, email: outsider.email, role: .participant, personID: outsider.id)
            let member = try await pair.session(app, pair.juniors[0])
            let meeting = try #require(try await Meeting.query(on: app.db).first()).id ?? UUID()
            _ = try await member.submit(
                WebRoute.notes.link(pair.pairingID), from: pair.path, ["text": "Words the coordinator never reads", "shared": "on"])
            let paths = [
                pair.path, WebRoute.agreement.link(pair.pairingID), WebRoute.newGoal.link(pair.pairingID),
                WebRoute.meeting.link(pair.pairingID, meeting), WebRoute.meetingCalendar.link(pair.pairingID, meeting),
            ]
            for (email, status) in [
                ("coord@example.org", HTTPStatus.notFound), ("admin@example.org", .notFound), (outsider.email, .notFound),
                ("sponsor@example.org", .forbidden),
            ] {
                let web = WebSession(app)
                _ = try await web.signIn(email)
                for path in paths {
                    let page = try await web.get(path)
                    #expect(page.status == status, "\(email) \(path)")
                    #expect(!page.html.contains("Words the coordinator never reads"))
                }
                let post = try await web.submit(WebRoute.notes.link(pair.pairingID), from: "/", ["text": "Let me in"])
                #expect(post.status == status, "\(email) posting a note")
            }
            #expect(try await WebSession(app).get(pair.path).status == .seeOther)
            #expect(try await Note.query(on: app.db).count() == 1)
        }
    }

    @Test func my_match_links_to_the_space_once_the_pairing_is_active() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app)
            let junior = try await pair.session(app, pair.juniors[0])
            let page = try await junior.get(WebRoute.myMatch.link(try pair.programme.requireID()))
            #expect(page.html.contains("Open your pairing's space"))
            #expect(page.html.contains(#"href="\#(pair.path)""#))
        }
    }

    @Test func a_two_way_pairing_is_asked_for_a_goal_each_way() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app, format: .twoWay)
            let junior = try await pair.session(app, pair.juniors[0])
            #expect(try await junior.get(WebRoute.newGoal.link(pair.pairingID)).html.contains(#"value="both" checked"#))
            let goal = [
                "learner": "mentee", "title": "Learn the new tools", "measure": "", "targetDate": "", "tasks": "", "progress": "0",
                "status": "open",
            ]
            #expect(try await junior.submit(WebRoute.newGoal.link(pair.pairingID), goal).status == .seeOther)
            let mentor = try #require(
                try await PairingMember.query(on: app.db).filter(\.$pairing.$id == pair.pairingID)
                    .filter(\.$side == .mentor).with(\.$person).first())
            let space = try await junior.get(pair.path).html
            #expect(space.contains("No goal yet where \(mentor.person.name) learns: a two-way pairing sets goals each way."))
        }
    }

    @Test func a_board_holder_names_the_advisor_and_each_advisor_sees_only_their_meetings() async throws {
        try await withUpward { app in
            let pair = try await WebPairing.make(app, format: .advisoryBoard, advisors: 2)
            let holder = try await pair.session(app, pair.senior)
            let advisors = try await PairingMember.query(on: app.db).filter(\.$pairing.$id == pair.pairingID).filter(\.$side == .mentor)
                .all()
            try #require(advisors.count == 2)
            let space = try await holder.get(pair.path)
            #expect(space.html.contains("Your board") && space.html.contains("Junior 0") && space.html.contains("Junior 1"))
            let new = WebRoute.newMeeting.link(pair.pairingID)
            let yesterday = ZonedTime.fields(app.clock.now().addingTimeInterval(-86_400), in: TimeZone(identifier: "Europe/London")!).date
            let form = ["kind": "log", "date": yesterday, "time": "11:00", "minutes": "60", "agenda": "Board catch-up with one advisor"]
            let missing = try await holder.submit(new, form)
            #expect(missing.status == .unprocessableEntity && missing.html.contains("Choose the advisor"))
            var withAdvisor = form
            withAdvisor["advisor"] = advisors[0].$person.id.uuidString
            #expect(try await holder.submit(new, withAdvisor).status == .seeOther)
            let logged = try #require(try await Meeting.query(on: app.db).filter(\.$logged == true).first())
            let link = WebRoute.meeting.link(pair.pairingID, try logged.requireID())
            let first = try #require(pair.juniors.first { $0.id == advisors[0].$person.id })
            let second = try #require(pair.juniors.first { $0.id == advisors[1].$person.id })
            #expect(try await pair.session(app, first).get(link).status == .ok)
            #expect(try await pair.session(app, second).get(link).status == .notFound)
        }
    }

    /// The agreement's terms as its edit form sends them.
    static func fields(of terms: AgreementTerms?) -> [String: String] {
        guard let terms else { return [:] }
        return [
            "confidentiality": terms.confidentiality, "psychologicalSafety": terms.psychologicalSafety, "cadence": terms.cadence,
            "channel": terms.channel, "place": terms.place, "duration": terms.duration, "midpointReview": terms.midpointReview,
            "offLimits": terms.offLimits,
        ]
    }
}
