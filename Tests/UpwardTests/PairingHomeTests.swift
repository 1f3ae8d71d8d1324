import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

/// A page's text as a person reads it: Leaf's escapes undone.
private func readable(_ response: TestingHTTPResponse) -> String {
    response.body.string.replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
        .replacingOccurrences(of: "&amp;", with: "&")
}

/// A session signed in as a new participant account linked to `person`.
private func participant(_ app: Application, _ person: Person) async throws -> WebSession {
    try await makeUser(app, email: person.email, role: .participant, personID: person.requireID())
    let web = WebSession(app)
    #expect(try await web.signIn(person.email).status == .seeOther)
    return web
}

private func person(_ app: Application, of application: ProgrammeApplication) async throws -> Person {
    try #require(try await Person.find(application.$person.id, on: app.db))
}

/// A pairing's space as each of its two members sees it.
private func spaces(_ app: Application, _ pairingID: UUID) async throws -> (junior: PairingSpaceService.Space, senior: PairingSpaceService.Space) {
    let members = try await PairingMember.query(on: app.db).filter(\.$pairing.$id == pairingID).all()
    let service = PairingSpaceService(database: app.db)
    let junior = try #require(members.first { $0.side == .mentor }), senior = try #require(members.first { $0.side == .mentee })
    return (try await service.space(pairingID, personID: junior.$person.id), try await service.space(pairingID, personID: senior.$person.id))
}

@Suite("Pairing: the participant's home, the coordinator's pairings, the calendar feed")
struct PairingHomeTests {
    // MARK: Home

    @Test func home_says_where_a_participant_stands_and_the_one_next_step() async throws {
        try await withUpward { app in
            // A draft in one programme and a place on the waiting list in another.
            let open = try await makeProgramme(app, name: "Open round")
            let full = try await makeProgramme(app, name: "Full round", capacity: 1)
            let ada = try await makePerson(app, "Ada Senior", level: 5)
            try await ApplicationService(database: app.db).save(completeAnswers(.mentee), for: ada, in: open, submit: false)
            let first = try await submit(app, try await makePerson(app, "Bea Senior", level: 5), .mentee, to: full)
            let second = try await submit(app, ada, .mentee, to: full)
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: full)
            try await ApplicationService(database: app.db).decide(first, .selected, by: "c")
            try await ApplicationService(database: app.db).decide(second, .waitlisted, by: "c")
            let web = try await participant(app, ada)
            var home = readable(try await web.get("/"))
            #expect(home.contains("Finish your application: it is saved as a draft"))
            #expect(home.contains("href=\"\(WebRoute.apply.link(try open.requireID()))\""))
            #expect(home.contains("You are on the waiting list at position 1 for your role: Mentee (the senior learner)."))
            #expect(!home.contains("You are in no programme yet"))
            // The programmes list says the same.
            let list = readable(try await web.get("/programmes"))
            #expect(list.contains("You are on the waiting list at position 1"))
            #expect(list.contains("Finish your application"))

            // A proposal: answer it by its deadline; once accepted, wait for the partner.
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 1)
            let matching = MatchingService(database: app.db)
            let run = try await matching.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await matching.publish(run, programme: programme, by: "c", linkBase: "")
            let senior = try await participant(app, try await person(app, of: seniors[0]))
            let junior = try await participant(app, try await person(app, of: juniors[0]))
            let pairing = try await member(app, seniors[0]).pairing
            let by = ParticipantStatus.day(try #require(Day(pairing.deadline)))
            home = readable(try await senior.get("/"))
            #expect(home.contains("Answer your proposed match by \(by)"))
            #expect(home.contains("href=\"\(WebRoute.myMatch.link(try programme.requireID()))\""))
            try await matching.respond(try await member(app, seniors[0]), accept: true, reason: nil)
            home = readable(try await senior.get("/"))
            #expect(home.contains("You accepted. Waiting for your partner's answer"))

            // Active: read the preparation, then sign the agreement, then set a goal, then the next meeting with its partner's name.
            try await matching.respond(try await member(app, juniors[0]), accept: true, reason: nil)
            let pairingID = try pairing.requireID()
            let (j, s) = try await spaces(app, pairingID)
            home = readable(try await senior.get("/"))
            #expect(home.contains("Read the preparation before your first meeting"))
            #expect(home.contains("href=\"\(WebRoute.preparation.link(pairingID))\""))
            let service = PairingSpaceService(database: app.db)
            try await service.acknowledgePreparation(s)
            try await service.acknowledgePreparation(j)
            home = readable(try await senior.get("/"))
            #expect(home.contains("Sign the agreement with Junior 0 before your first meeting."))
            #expect(home.contains("href=\"\(WebRoute.agreement.link(pairingID))\""))
            try await service.sign(s, version: 1)
            try await service.sign(j, version: 1)
            home = readable(try await senior.get("/"))
            #expect(home.contains("Set your first goal together."))
            try await service.addGoal(s, GoalContent(learner: .mentee, title: "Dashboards", measure: "Built one", targetDate: nil, tasks: [],
                                                      progress: 0, status: .open))
            let next = try #require(try await service.meetings(s).first { $0.status == .planned && $0.startsAt > Date() })
            home = readable(try await senior.get("/"))
            #expect(home.contains("Your next meeting is on \(PairingSpaceService.day(next.startsAt, in: TimeZone(identifier: "Europe/London")!)) with Junior 0."))
            #expect(home.contains("href=\"\(WebRoute.meeting.link(pairingID, try next.requireID()))\""))
            // The partner sees their own side of the same pairing.
            #expect(readable(try await junior.get("/")).contains("with Senior 0."))
        }
    }

    @Test func a_mentor_with_two_mentees_has_a_line_for_each_pairing() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 2)
            let matching = MatchingService(database: app.db)
            var settings = MatchingService.defaultSettings(for: programme)
            settings.mentorCapacity = 2
            let run = try await matching.startRun(programme, settings: settings, by: "c")
            try await matching.publish(run, programme: programme, by: "c", linkBase: "")
            // One mentee accepted and so did the mentor: that pairing is active; the other still waits for its mentee.
            let first = try await member(app, seniors[0])
            try await matching.respond(first, accept: true, reason: nil)
            let mentor = try await PairingMember.query(on: app.db).filter(\.$application.$id == juniors[0].requireID()).all()
            try #require(mentor.count == 2)
            try await matching.respond(try #require(mentor.first { $0.$pairing.id == first.$pairing.id }), accept: true, reason: nil)
            let status = try await PairingSpaceService(database: app.db).participantStatus(of: try await person(app, of: juniors[0]))
            #expect(status.count == 2)
            #expect(Set(status.map(\.partners)) == [["Senior 0"], ["Senior 1"]])
            #expect(status.contains { $0.kind == .answerMatch && $0.partners == ["Senior 1"] })
            #expect(status.contains { $0.kind == .prepare && $0.partners == ["Senior 0"] })
            let home = readable(try await participant(app, try await person(app, of: juniors[0])).get("/"))
            #expect(home.contains("with Senior 0") && home.contains("with Senior 1"))
            // A fixed number of queries however many pairings: the mentor with two takes as many as a mentee with one.
            func queries(_ application: ProgrammeApplication) async throws -> Int {
                let applications = try await ApplicationService(database: app.db).applications(of: try await person(app, of: application))
                app.fluent.history.start()
                defer { app.fluent.history.stop() }
                _ = try await PairingSpaceService(database: app.db).participantStatus(of: application.$person.id, applications: applications)
                return app.fluent.history.queries.count
            }
            let mentorQueries = try await queries(juniors[0])
            #expect(mentorQueries > 0 && mentorQueries <= 9)
            #expect(try await queries(seniors[0]) == mentorQueries)
        }
    }

    // MARK: The coordinator's pairings

    @Test func the_coordinator_sees_counts_and_never_the_pairs_words() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 1)
            let matching = MatchingService(database: app.db)
            let run = try await matching.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await matching.publish(run, programme: programme, by: "c", linkBase: "")
            try await matching.respond(try await member(app, seniors[0]), accept: true, reason: nil)
            try await matching.respond(try await member(app, juniors[0]), accept: true, reason: nil)
            let pairingID = try await member(app, seniors[0]).$pairing.id
            let (j, s) = try await spaces(app, pairingID)
            let service = PairingSpaceService(database: app.db)
            // Words only the pair may read, in the agreement, a goal and notes (private and shared).
            var terms = try await service.agreement(s).current.terms
            terms.offLimits = "ZEBRA-OFF-LIMITS"
            terms.confidentiality = "QUOKKA-CONFIDENTIAL"
            try await service.editAgreement(s, terms: terms, basedOn: 1)
            try await service.acknowledgePreparation(s)
            try await service.sign(s, version: 2)
            try await service.sign(j, version: 2)
            try await service.addGoal(s, GoalContent(learner: .mentee, title: "PELICAN-GOAL", measure: "HERON-MEASURE", targetDate: nil,
                                                      tasks: [GoalTask(title: "CORMORANT-TASK", done: true)], progress: 60, status: .open))
            let held = try await service.addMeeting(j, start: wholeMinute(Date().addingTimeInterval(-86_400)), minutes: 60, agenda: "OSPREY-AGENDA", held: true)
            try await service.addNote(j, text: "OCTOPUS-PRIVATE", meeting: held.id, shared: false)
            try await service.addNote(s, text: "SQUID-SHARED", meeting: held.id, shared: true)
            let planned = try #require(try await service.meetings(s).first { $0.status == .planned })
            try await service.act(s, on: planned.id, .cancel, reason: "WALRUS-REASON")

            try await makeUser(app, email: "coordinator@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coordinator@example.org")
            let path = WebRoute.programmePairings.link(try programme.requireID())
            let response = try await web.get(path)
            #expect(response.status == .ok)
            let page = readable(response)
            #expect(page.contains("Junior 0") && page.contains("Senior 0"))
            #expect(page.contains("(reverse mentor)") && page.contains("(mentee)"))
            #expect(page.contains("Version 2, signed"))
            #expect(page.contains("1 of 2"))   // preparation read
            #expect(page.contains("1 open · 0 achieved · 0 dropped"))
            #expect(page.contains("60%"))
            // Held of due: the logged meeting was held; the plan's cancelled meeting is not due before its time.
            #expect(page.contains("1 held, none of the plan due yet"))
            #expect(page.contains("Cancelled by the mentee"))
            #expect(page.contains("All 1 pairings"))
            for secret in ["ZEBRA-OFF-LIMITS", "QUOKKA-CONFIDENTIAL", "PELICAN-GOAL", "HERON-MEASURE", "CORMORANT-TASK", "OSPREY-AGENDA",
                           "OCTOPUS-PRIVATE", "SQUID-SHARED", "WALRUS-REASON"] {
                #expect(!page.contains(secret), "the coordinator's page shows \(secret)")
            }
            // Participants do not see this page; the programme page links it for the coordinator.
            #expect(try await participant(app, try await person(app, of: seniors[0])).get(path).status == .forbidden)
            #expect(readable(try await web.get(WebRoute.programme.link(try programme.requireID()))).contains("href=\"\(path)\"") == false)
            try await ProgrammeService(database: app.db).perform(.startProgramme, on: programme)
            #expect(readable(try await web.get(WebRoute.programme.link(try programme.requireID()))).contains("href=\"\(path)\""))
            #expect(readable(try await web.get(WebRoute.matching.link(try programme.requireID()))).contains("href=\"\(path)\""))
        }
    }

    @Test func the_pairings_page_is_paged_in_the_database_with_totals_from_all() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 1)
            let run = try await MatchingService(database: app.db).startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            // 51 started pairings, each with its own board holder, in a known order of activation.
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            let mentor = try await person(app, of: juniors[0])
            for i in 0...50 {
                let holder = try await makePerson(app, String(format: "Holder %02d", i), level: 5)
                let pairing = Pairing()
                pairing.$programme.id = try programme.requireID()
                pairing.$run.id = try run.requireID()
                pairing.status = i == 50 ? .endedEarly : .active
                pairing.deadline = day(7)
                pairing.activatedAt = start.addingTimeInterval(Double(i) * 60)
                try await pairing.create(on: app.db)
                for (who, side, application) in [(mentor, MemberSide.mentor, juniors[0]), (holder, .mentee, seniors[0])] {
                    let m = PairingMember()
                    m.$pairing.id = try pairing.requireID()
                    m.$application.id = try application.requireID()
                    m.$person.id = try who.requireID()
                    m.side = side
                    m.answer = .accepted
                    m.score = 1
                    m.explanation = ""
                    try await m.create(on: app.db)
                }
            }
            try await makeUser(app, email: "coordinator@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coordinator@example.org")
            let path = WebRoute.programmePairings.link(try programme.requireID())
            let first = readable(try await web.get(path))
            #expect(first.contains("Holder 00") && first.contains("Holder 49") && !first.contains("Holder 50"))
            #expect(first.contains("Page 1 of 2") && first.contains("All 51 pairings") && first.contains("rel=\"next\""))
            #expect(first.components(separatedBy: "<tr>").count - 1 == 51)   // 50 rows and the header
            let second = readable(try await web.get(path + "?page=2"))
            #expect(second.contains("Holder 50") && !second.contains("Holder 00") && second.contains("Ended early"))
            #expect(second.contains("Page 2 of 2") && second.contains("All 51 pairings") && second.contains("rel=\"prev\""))
            // Past the last page: the last page; not a number: refused, naming the field.
            #expect(readable(try await web.get(path + "?page=99")).contains("Holder 50"))
            let bad = try await web.get(path + "?page=two")
            #expect(bad.status == .unprocessableEntity)
            // The service pages as asked.
            let page = try await PairingSpaceService(database: app.db).pairingsPage(of: programme, page: 3, per: 20)
            #expect(page.pairings.count == 11 && page.total == 51 && page.pageCount == 3 && page.summaries.count == 51 && page.people == 102)
            #expect(page.pairings.first?.members.contains { $0.person.name == "Holder 40" } == true)
        }
    }

    // MARK: The calendar feed

    @Test func a_calendar_feed_is_made_fetched_without_a_session_replaced_and_revoked() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 1)
            let matching = MatchingService(database: app.db)
            let run = try await matching.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await matching.publish(run, programme: programme, by: "c", linkBase: "")
            try await matching.respond(try await member(app, seniors[0]), accept: true, reason: nil)
            try await matching.respond(try await member(app, juniors[0]), accept: true, reason: nil)
            let pairingID = try await member(app, seniors[0]).$pairing.id
            let meetings = try await Meeting.query(on: app.db).filter(\.$pairing.$id == pairingID).all()
            try #require(!meetings.isEmpty)
            let web = try await participant(app, try await person(app, of: seniors[0]))
            var account = readable(try await web.get("/account"))
            #expect(account.contains("You have no calendar address."))
            #expect(account.contains("Google Calendar") && account.contains("Outlook") && account.contains("Apple Calendar"))

            func address(_ response: TestingHTTPResponse) throws -> String {
                let html = readable(response)
                let range = try #require(html.range(of: #"value="http://127\.0\.0\.1:8080/calendar/[A-Za-z0-9_-]+\.ics""#, options: .regularExpression))
                return String(html[range].dropFirst("value=\"http://127.0.0.1:8080".count).dropLast())
            }
            let made = try await web.submit(WebRoute.accountCalendar.link(), from: "/account", [:])
            #expect(made.status == .created)
            let feed = try address(made)
            #expect(readable(made).contains("Making a new address stops the old one"))
            // Fetched by a calendar application: no cookie, no session, no form token.
            let fetched = try await app.testing().sendRequest(.GET, feed)
            #expect(fetched.status == .ok)
            #expect(fetched.headers.first(name: .contentType) == "text/calendar; charset=utf-8")
            #expect(fetched.headers.first(name: .cacheControl) == "no-store")
            #expect(fetched.headers[.setCookie].isEmpty)
            let calendar = fetched.body.string
            #expect(calendar.hasPrefix("BEGIN:VCALENDAR\r\n") && calendar.contains("METHOD:PUBLISH\r\n"))
            #expect(!calendar.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            for meeting in meetings {
                #expect(calendar.contains("UID:\(try meeting.requireID().uuidString.lowercased())@upward\r\n"))
            }
            // Without ".ics" it is the same feed.
            #expect(try await app.testing().sendRequest(.GET, String(feed.dropLast(4))).status == .ok)
            account = readable(try await web.get("/account"))
            #expect(account.contains("You have a calendar address, made on") && !account.contains(feed))

            // A new address replaces the old one, which stops at once.
            let replacement = try address(try await web.submit(WebRoute.accountCalendar.link(), from: "/account", [:]))
            #expect(replacement != feed)
            let gone = try await app.testing().sendRequest(.GET, feed)
            #expect(gone.status == .notFound)
            #expect(gone.headers.contentType == .plainText)
            #expect(try await app.testing().sendRequest(.GET, replacement).status == .ok)

            // Revoking asks first, then stops the feed.
            let ask = try await web.submit(WebRoute.accountCalendarRevoke.link(), from: "/account", [:])
            #expect(ask.status == .ok && readable(ask).contains("Stop your calendar feed?"))
            #expect(try await app.testing().sendRequest(.GET, replacement).status == .ok)
            let revoked = try await web.submit(WebRoute.accountCalendarRevoke.link(), from: "/account", ["confirmed": "yes"])
            #expect(revoked.status == .seeOther)
            #expect(try await app.testing().sendRequest(.GET, replacement).status == .notFound)
            #expect(readable(try await web.get("/account")).contains("You have no calendar address."))
            #expect(try await app.testing().sendRequest(.GET, "/calendar/made-up.ics").status == .notFound)

            // An account linked to nobody is told what feeds are for, and cannot make one.
            try await makeUser(app, email: "coordinator@example.org", role: .coordinator)
            let coordinator = WebSession(app)
            _ = try await coordinator.signIn("coordinator@example.org")
            #expect(readable(try await coordinator.get("/account")).contains("so it is for participants"))
            #expect(try await coordinator.submit(WebRoute.accountCalendar.link(), from: "/account", [:]).status == .forbidden)
        }
    }
}
