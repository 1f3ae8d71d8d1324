import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

// MARK: Helpers

/// A day `offset` days from today, as the services see it.
func day(_ offset: Int) -> String {
    UpwardClock.system.today.adding(days: offset).description
}

@discardableResult
func makePerson(_ app: Application, _ name: String, level: Int, department: String = "Engineering",
                hired: String? = "2020-01-15", leave: String? = nil) async throws -> Person {
    let person = Person()
    person.externalID = "T-" + UUID().uuidString.prefix(8)
    person.name = name
    person.email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "@example.org"
    person.department = department
    person.level = level
    person.hireDate = hired
    person.leaveDate = leave
    person.timeZone = "Europe/London"
    person.searchText = Person.searchText(name: name, email: person.email, department: department, title: nil)
    try await person.create(on: app.db)
    return person
}

/// A `reverse` programme with its dates set, optionally already enrolling.
func makeProgramme(_ app: Application, name: String = "Digital leadership", capacity: Int = 2, enrolling: Bool = true,
                   format: ProgrammeFormat = .reverse) async throws -> Programme {
    var input = ProgrammeInput.defaults(for: format, name: name)
    input.capacity = capacity
    (input.enrolmentOpens, input.enrolmentCloses, input.startsOn, input.endsOn) = (day(-5), day(20), day(30), day(200))
    let service = ProgrammeService(database: app.db)
    let programme = try await service.create(input, by: "coordinator@example.org")
    if enrolling { try await service.perform(.openEnrolment, on: programme) }
    return programme
}

/// Answers that are complete enough to submit.
func completeAnswers(_ role: ApplicationRole, offers: [String] = ["AI tools"], seeks: [String] = ["AI tools"]) -> ApplicationInput {
    var input = ApplicationInput(role: role)
    if role.mentors { input.skillsOffered = offers.map { SkillLevel(name: $0, level: 4) } }
    if role.mentees { input.skillsSought = seeks.map { SkillLevel(name: $0, level: 1) } }
    input.goals = "Learn from each other"
    input.motivation = "Curiosity"
    input.communication = [.video]
    input.timeZone = "Europe/London"
    input.commitmentAcknowledged = true
    return input
}

@discardableResult
func submit(_ app: Application, _ person: Person, _ role: ApplicationRole, to programme: Programme,
            offers: [String] = ["AI tools"], seeks: [String] = ["AI tools"]) async throws -> ProgrammeApplication {
    try await ApplicationService(database: app.db).save(completeAnswers(role, offers: offers, seeks: seeks), for: person, in: programme, submit: true)
}

func reload(_ app: Application, _ application: ProgrammeApplication) async throws -> ProgrammeApplication {
    try #require(try await ProgrammeApplication.find(application.requireID(), on: app.db))
}

// MARK: Design

@Suite("Programmes: design and stages")
struct ProgrammeDesignTests {
    @Test func each_format_has_sensible_defaults() {
        let reverse = ProgrammeInput.defaults(for: .reverse)
        #expect(reverse.sessionMinutes == 60 && reverse.cadenceWeeks == 4 && reverse.sessionCount == 6)
        #expect(reverse.minLevelGap == 2 && reverse.mentorEligibility.maxLevel == 3 && reverse.menteeEligibility.minLevel == 4)
        let board = ProgrammeInput.defaults(for: .advisoryBoard)
        #expect(board.boardSize == 3 && board.boardMix.values.reduce(0, +) == 3)
        #expect(ProgrammeInput.defaults(for: .twoWay).cadenceWeeks == 2)
        for format in ProgrammeFormat.allCases {
            var input = ProgrammeInput.defaults(for: format)
            input.name = "A name"
            #expect(input.problems().isEmpty, "\(format): \(input.problems())")
        }
    }

    @Test func validation_names_every_field_to_fix() {
        var input = ProgrammeInput.defaults(for: .advisoryBoard)
        input.name = " "
        input.cadenceWeeks = 13
        input.enrolmentOpens = "2026-05-10"
        input.enrolmentCloses = "2026-05-01"
        input.startsOn = "2026-13-01"
        input.boardSize = 0
        input.objective = .custom
        input.mentorEligibility = Eligibility(minLevel: 5, maxLevel: 2)
        let issues = Dictionary(input.problems().map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
        #expect(issues["name"] == "Give the programme a name.")
        #expect(issues["cadenceWeeks"] == "Pairs meet every 1 to 12 weeks; 13 is outside that.")
        #expect(issues["enrolmentCloses"] == "Enrolment closes (2026-05-01) before it opens (2026-05-10): swap the dates or move one.")
        #expect(issues["startsOn"] == "Start date “2026-13-01” is not a date: write it as YYYY-MM-DD.")
        #expect(issues["boardSize"] == "A board needs at least one advisor: set the board size to 1 or more.")
        #expect(issues["objectiveText"] != nil)
        #expect(issues["mentorEligibility"] == "The lowest level for mentors (5) is above the highest (2).")
        var board = ProgrammeInput.defaults(for: .advisoryBoard, name: "Boards")
        board.boardMix = ["traditional": 2]
        #expect(board.problems().map(\.message) == ["The mix adds up to 2 advisors but the board has 3: make them match."])
    }

    @Test func a_programme_moves_only_by_allowed_actions() async throws {
        try await withUpward { app in
            let service = ProgrammeService(database: app.db)
            var input = ProgrammeInput.defaults(for: .reverse, name: "Round one")
            let programme = try await service.create(input, by: "c@example.org")
            #expect(programme.status == .draft)
            // No dates yet: enrolment cannot open, and the reason says what to set.
            await #expect(throws: Problem.self) { try await service.perform(.openEnrolment, on: programme) }
            #expect(try await service.refusal(.openEnrolment, on: programme) == "Set the enrolment opens, enrolment closes, start, end dates before opening enrolment.")
            // Actions from another stage say which stage they need and what is possible now.
            #expect(try await service.refusal(.closeEnrolment, on: programme)
                    == "“Close enrolment” works only on a programme in enrolling; this one is in draft. From here you can: “Open enrolment”.")
            (input.enrolmentOpens, input.enrolmentCloses, input.startsOn, input.endsOn) = (day(-30), day(-1), day(10), day(100))
            try await service.update(programme, with: input)
            #expect(try await service.refusal(.openEnrolment, on: programme)?.hasPrefix("Enrolment would close on") == true)
            (input.enrolmentOpens, input.enrolmentCloses) = (day(-1), day(5))
            try await service.update(programme, with: input)
            try await service.perform(.openEnrolment, on: programme)
            #expect(programme.status == .enrolling)

            let junior = try await makePerson(app, "Jo Junior", level: 1)
            let senior = try await makePerson(app, "Sam Senior", level: 5)
            let mentor = try await submit(app, junior, .mentor, to: programme)
            try await service.perform(.closeEnrolment, on: programme)
            #expect(try await service.refusal(.confirmSelection, on: programme) == "1 application still waits for a decision: select, waitlist or decline it first.")
            try await ApplicationService(database: app.db).decide(mentor, .selected, by: "c@example.org")
            #expect(try await service.refusal(.confirmSelection, on: programme) == "Select at least one person on each side (reverse mentors and mentees) before matching.")
            // Back to enrolment for the other side, then through every stage.
            try await service.perform(.reopenEnrolment, on: programme)
            let mentee = try await submit(app, senior, .mentee, to: programme)
            try await service.perform(.closeEnrolment, on: programme)
            try await ApplicationService(database: app.db).decide(mentee, .selected, by: "c@example.org")
            try await service.perform(.confirmSelection, on: programme)
            // Running needs an active pairing: both sides of a published pair said yes.
            #expect(try await service.refusal(.startProgramme, on: programme)
                    == "No pairing is active yet: publish a matching run and wait until both sides of at least one pair accept.")
            let matching = MatchingService(database: app.db)
            let run = try await matching.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await matching.publish(run, programme: programme, by: "c", linkBase: "")
            for m in try await PairingMember.query(on: app.db).all() { try await matching.respond(m, accept: true, reason: nil) }
            try await service.perform(.startProgramme, on: programme)
            try await service.perform(.close, on: programme, lessons: "Fix a slot early.", stories: [Story(quote: "Great", by: "a mentee")])
            let stored = try #require(try await Programme.find(programme.id, on: app.db))
            #expect(stored.status == .closed && stored.lessons == "Fix a slot early." && stored.stories.count == 1)
            await #expect(throws: Problem.self) { try await service.update(stored, with: ProgrammeInput(stored)) }

            // Run again: a draft round 2 with the same settings, no dates, and the lessons one step back.
            let next = try await service.runAgain(stored, by: "c@example.org")
            #expect(next.status == .draft && next.round == 2 && next.name == "Round one — round 2")
            #expect(next.enrolmentOpens == nil && next.capacity == stored.capacity && next.groundRules == stored.groundRules)
            #expect(try await service.earlierRounds(of: next).compactMap(\.lessons) == ["Fix a slot early."])
            #expect(try await service.stories(for: next).map(\.quote) == ["Great"])
            let third = try await service.runAgain(next, by: "c@example.org")
            #expect(third.name == "Round one — round 3")
        }
    }

    @Test func the_format_is_fixed_once_people_have_applied() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app)
            try await submit(app, try await makePerson(app, "Ada", level: 2), .mentor, to: programme)
            var input = ProgrammeInput(programme)
            input.format = .twoWay
            do {
                try await ProgrammeService(database: app.db).update(programme, with: input)
                Issue.record("the format changed")
            } catch let invalid as InvalidInput {
                #expect(invalid.message("format") == "1 person has applied under the reverse format; the format can no longer change.")
            }
            #expect(try await Programme.find(programme.id, on: app.db)?.format == .reverse)
        }
    }

    @Test func invitations_reach_a_group_once_and_record_who_opened() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app)
            let a = try await makePerson(app, "Ann Eng", level: 1)
            _ = try await makePerson(app, "Bo Eng", level: 3)
            _ = try await makePerson(app, "Cy Sales", level: 2, department: "Sales")
            _ = try await makePerson(app, "Di Gone", level: 1, leave: "2020-01-01")
            let service = ProgrammeService(database: app.db)
            #expect(try await service.invite(.init(department: "Engineering", maxLevel: 2), to: programme, by: "c", linkBase: "http://u") == 1)
            #expect(try await service.invite(.init(), to: programme, by: "c", linkBase: "http://u") == 2)  // Bo and Cy; Ann already, Di left
            #expect(try await service.invite(.init(), to: programme, by: "c", linkBase: "http://u") == 0)
            let mail = try await OutboxMessage.query(on: app.db).filter(\.$recipient == a.email).all()
            #expect(mail.count == 1 && mail[0].body.contains("http://u/programmes/\(programme.id!.uuidString)"))
            try await service.markOpened(programme, by: a.requireID())
            try await submit(app, a, .mentor, to: programme)
            let rows = try await service.invitations(for: programme)
            #expect(rows.count == 3)
            let ann = try #require(rows.first { $0.person.id == a.id })
            #expect(ann.openedAt != nil && ann.application == .submitted && ann.audience == "Engineering, up to level 2")
            #expect(rows.filter { $0.openedAt != nil }.count == 1)
        }
    }
}

// MARK: Applications and selection

@Suite("Programmes: applications, selection and the waiting list")
struct SelectionTests {
    @Test func ineligible_people_learn_why_before_applying() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app)
            let service = ApplicationService(database: app.db)
            let senior = try await makePerson(app, "Sam Senior", level: 5)
            let newcomer = try await makePerson(app, "Nat New", level: 1, hired: day(-20))
            #expect(service.ineligibility(of: senior, as: .mentor, in: programme) == "Reverse mentors are level 3 and below, at least 3 months with us; you are level 5.")
            #expect(service.ineligibility(of: senior, as: .mentee, in: programme) == nil)
            #expect(service.ineligibility(of: newcomer, as: .mentor, in: programme) == "Reverse mentors need at least 3 months with us; you have 0.")
            #expect(service.ineligibility(of: newcomer, as: .both, in: programme) == "This format has no “both” role.")
            do {
                try await submit(app, senior, .mentor, to: programme)
                Issue.record("an ineligible application was saved")
            } catch let invalid as InvalidInput {
                #expect(invalid.message("role")?.hasPrefix("Reverse mentors are level 3 and below") == true)
            }
            #expect(try await ProgrammeApplication.query(on: app.db).count() == 0)
        }
    }

    @Test func drafts_save_submissions_are_checked_and_editing_stops_when_enrolment_closes() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app)
            let service = ApplicationService(database: app.db)
            let jo = try await makePerson(app, "Jo Junior", level: 2)
            var draft = ApplicationInput(role: .mentor)
            draft.goals = "Half written"
            let saved = try await service.save(draft, for: jo, in: programme, submit: false)
            #expect(saved.status == .draft && saved.goals == "Half written")
            do {
                try await service.save(draft, for: jo, in: programme, submit: true)
                Issue.record("an incomplete application was submitted")
            } catch let invalid as InvalidInput {
                #expect(Set(invalid.issues.map(\.field)) == ["skillsOffered", "motivation", "communication", "timeZone", "commitmentAcknowledged"])
                #expect(invalid.message("commitmentAcknowledged") == "Confirm you can give the time: 6 sessions of 60 minutes, every 4 weeks.")
            }
            #expect(try await reload(app, saved).status == .draft)
            var bad = completeAnswers(.mentor)
            bad.skillsOffered = [SkillLevel(name: "Excel", level: 9)]
            bad.timeZone = "Mars/Olympus"
            await #expect(throws: InvalidInput.self) { try await service.save(bad, for: jo, in: programme, submit: true) }
            let submitted = try await service.save(completeAnswers(.mentor, offers: ["AI tools", " ai tools ", "Figma"]), for: jo, in: programme, submit: true)
            #expect(submitted.status == .submitted && submitted.submittedAt != nil)
            #expect(submitted.skillsOffered.map(\.name) == ["AI tools", "Figma"])  // trimmed, duplicates dropped
            // Still editable while enrolment is open; an edit keeps it submitted.
            var edit = completeAnswers(.mentor)
            edit.motivation = "Changed my mind about why"
            #expect(try await service.save(edit, for: jo, in: programme, submit: false).status == .submitted)
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: programme)
            do {
                try await service.save(edit, for: jo, in: programme, submit: false)
                Issue.record("edited after enrolment closed")
            } catch let problem as Problem {
                #expect(problem.detail == "Enrolment for “Digital leadership” is not open (the programme is in selecting).")
            }
            #expect(try await reload(app, submitted).motivation == "Changed my mind about why")
        }
    }

    @Test func selection_respects_capacity_and_a_withdrawal_promotes_the_next_of_the_same_role() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app, capacity: 1)
            let service = ApplicationService(database: app.db)
            let first = try await submit(app, try await makePerson(app, "First Mentor", level: 1), .mentor, to: programme)
            let second = try await submit(app, try await makePerson(app, "Second Mentor", level: 2), .mentor, to: programme)
            let third = try await submit(app, try await makePerson(app, "Third Mentor", level: 3), .mentor, to: programme)
            let mentee = try await submit(app, try await makePerson(app, "Only Mentee", level: 5), .mentee, to: programme)
            let waitingMentee = try await submit(app, try await makePerson(app, "Waiting Mentee", level: 6), .mentee, to: programme)
            // Decisions wait for the selecting stage.
            await #expect(throws: Problem.self) { try await service.decide(first, .selected, by: "c") }
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: programme)
            try await service.decide(first, .selected, by: "coordinator@example.org", note: "strong motivation")
            do {
                try await service.decide(second, .selected, by: "c")
                Issue.record("over capacity")
            } catch let problem as Problem {
                #expect(problem.detail == "All 1 places for reverse mentor are taken: waitlist this person, or decline someone selected first.")
            }
            try await service.decide(third, .waitlisted, by: "c")
            try await service.decide(second, .waitlisted, by: "c")
            try await service.decide(mentee, .selected, by: "c")
            try await service.decide(waitingMentee, .waitlisted, by: "c")
            #expect(try await reload(app, third).waitlistPosition == 1)
            #expect(try await reload(app, second).waitlistPosition == 2)

            // The first mentor withdraws: the first waitlisted mentor (third, position 1) is promoted, not the mentee.
            let promoted = try await service.withdraw(try await reload(app, first), by: "first.mentor@example.org")
            #expect(promoted?.id == third.id)
            #expect(try await reload(app, first).status == .withdrawn)
            #expect(try await reload(app, third).status == .selected)
            #expect(try await reload(app, second).status == .waitlisted)
            #expect(try await reload(app, waitingMentee).status == .waitlisted)
            let history = try await service.decisions(for: third)
            #expect(history.map(\.status) == [.waitlisted, .selected])
            #expect(history.last?.decidedBy == "Upward (waiting list)" && history.last?.note == "Promoted when First Mentor withdrew")
            #expect(try await service.decisions(for: first).map(\.decidedBy) == ["coordinator@example.org", "first.mentor@example.org"])
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject == "A place opened for you: Digital leadership").count() == 1)
            // A second withdrawal (a double click) changes nothing.
            await #expect(throws: Problem.self) { try await service.withdraw(try await reload(app, first), by: "x") }
            // A waitlisted person withdrawing promotes nobody.
            #expect(try await service.withdraw(try await reload(app, second), by: "x") == nil)
            #expect(try await ProgrammeApplication.query(on: app.db).filter(\.$status == .selected).count() == 2)
        }
    }

    @Test func ranking_spreads_departments_prefers_first_timers_and_fills_places() async throws {
        try await withUpward { app in
            // An earlier programme where Eve was selected: she is not a first-timer.
            let earlier = try await makeProgramme(app, name: "Earlier")
            let eve = try await makePerson(app, "Eve Eng", level: 1, department: "Engineering")
            let old = try await submit(app, eve, .mentor, to: earlier)
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: earlier)
            try await ApplicationService(database: app.db).decide(old, .selected, by: "c")

            let programme = try await makeProgramme(app, capacity: 2)
            let service = ApplicationService(database: app.db)
            try await submit(app, eve, .mentor, to: programme)
            try await submit(app, try await makePerson(app, "Fay Eng", level: 2, department: "Engineering"), .mentor, to: programme)
            try await submit(app, try await makePerson(app, "Gus Eng", level: 2, department: "Engineering"), .mentor, to: programme)
            try await submit(app, try await makePerson(app, "Hal Sales", level: 3, department: "Sales"), .mentor, to: programme)
            let order = try await service.ranking(programme, role: .mentor, criteria: [.departmentSpread, .firstTime]).map(\.person.name)
            // Fay (first-timer, first in Engineering), then Hal (a new department), then Gus, then Eve (not a first-timer).
            #expect(order == ["Fay Eng", "Hal Sales", "Gus Eng", "Eve Eng"])
            #expect(try await service.ranking(programme, role: .mentor, criteria: []).map(\.person.name) == ["Eve Eng", "Fay Eng", "Gus Eng", "Hal Sales"])
            await #expect(throws: Problem.self) { try await service.applyRanking(programme, criteria: [.departmentSpread], by: "c") }
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: programme)
            let counts = try await service.applyRanking(programme, criteria: [.departmentSpread, .firstTime], by: "c")
            #expect(counts.selected == 2 && counts.waitlisted == 2)
            let selected = try await ProgrammeApplication.query(on: app.db).filter(\.$programme.$id == programme.requireID())
                .filter(\.$status == .selected).with(\.$person).all().map(\.person.name).sorted()
            #expect(selected == ["Fay Eng", "Hal Sales"])
            let waiting = try await ProgrammeApplication.query(on: app.db).filter(\.$programme.$id == programme.requireID())
                .filter(\.$status == .waitlisted).sort(\.$waitlistPosition).with(\.$person).all().map(\.person.name)
            #expect(waiting == ["Gus Eng", "Eve Eng"])
        }
    }

    @Test func the_balance_counts_both_sides_and_says_what_would_close_a_gap() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app, capacity: 5)
            for i in 1...3 { try await submit(app, try await makePerson(app, "Mentee \(i)", level: 5, department: "Finance"), .mentee, to: programme, seeks: ["AI tools"]) }
            try await submit(app, try await makePerson(app, "Mentor A", level: 1), .mentor, to: programme, offers: ["AI tools", "Social media"])
            try await ApplicationService(database: app.db).save(completeAnswers(.mentor), for: try await makePerson(app, "Drafty", level: 1), in: programme, submit: false)
            _ = try await makePerson(app, "Not Applied", level: 2)
            let balance = try await ApplicationService(database: app.db).balance(of: programme)
            #expect(balance.mentors == 1 && balance.mentees == 3 && balance.mentorsNeeded == 3)  // drafts do not count
            #expect(balance.sides.map(\.applied) == [1, 3])
            #expect(balance.skills.first?.name == "AI tools" && balance.skills.first?.mentors == 1 && balance.skills.first?.mentees == 3)
            #expect(balance.departments.map(\.name) == ["Engineering", "Finance"])
            #expect(balance.warnings.contains("3 mentees seek AI tools; 1 reverse mentor offers it. 2 more reverse mentors offering AI tools would close the gap."))
            // Drafty (a draft is not an application yet) and Not Applied could still apply.
            #expect(balance.warnings.first == "Reverse mentors are short: 3 mentees need 3 reverse mentors and 1 applied. 2 more would close the gap; 2 eligible people have not applied yet — invite level 3 and below, at least 3 months with us from Invitations.")
        }
    }
}
