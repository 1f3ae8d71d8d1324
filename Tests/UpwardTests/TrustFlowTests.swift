import Fluent
import Foundation
import Matching
import Testing
import VaporTesting
@testable import Upward

/// Correctness of the built stages as a careful coordinator checks them, and the privacy of what participants see.
@Suite("Trust: correctness and privacy")
struct TrustFlowTests {
    @Test func twenty_concurrent_decisions_runs_and_edits_never_fail() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app, capacity: 5)
            var applications: [ProgrammeApplication] = []
            for i in 0..<12 {
                applications.append(try await submit(app, try await makePerson(app, "Applicant \(i)", level: 1), .mentor, to: programme))
            }
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: programme)
            let (matching, _, _) = try await matchingProgramme(app)
            let coordinators = try await (0..<4).asyncMap { _ in try await apiToken(app, role: .coordinator) }
            let id = try programme.requireID(), matchingID = try matching.requireID()
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for (k, a) in applications.enumerated() {
                    let token = coordinators[k % coordinators.count]
                    let decision = k % 3 == 2 ? "waitlisted" : "selected"
                    group.addTask {
                        try await app.testing().sendRequest(.POST, "/api/v1/applications/\(a.requireID())/decision", headers: .bearerJSON(token),
                                                            body: json(#"{"status": "\#(decision)"}"#)).status
                    }
                }
                for k in 0..<4 {
                    group.addTask {
                        try await app.testing().sendRequest(.POST, "/api/v1/programmes/\(matchingID)/runs", headers: .bearerJSON(coordinators[k]), body: json("{}")).status
                    }
                    group.addTask {
                        try await app.testing().sendRequest(.PATCH, "/api/v1/programmes/\(id)", headers: .bearerJSON(coordinators[k]),
                                                            body: json(#"{"objectiveText": "Edit \#(k)"}"#)).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.count == 20)
            #expect(!statuses.contains { $0.code >= 500 }, "\(statuses.map(\.code))")
            // Consistent: never more selected than places, every decision recorded, runs numbered 1…4.
            let selected = try await ProgrammeApplication.query(on: app.db).filter(\.$programme.$id == id).filter(\.$status == .selected).count()
            #expect(selected == 5)
            #expect(statuses.filter { $0 == .conflict }.count == 3)  // 8 asked to be selected, 5 places
            #expect(try await SelectionDecision.query(on: app.db).filter(\.$application.$id ~~ applications.compactMap(\.id)).count() == 9)
            let numbers = try await MatchingRun.query(on: app.db).filter(\.$programme.$id == matchingID).all().map(\.number).sorted()
            #expect(numbers == [1, 2, 3, 4])
            // Waiting-list positions count within a role, from 1.
            let waitlisted = try await ProgrammeApplication.query(on: app.db).filter(\.$programme.$id == id).filter(\.$status == .waitlisted).all()
            #expect(waitlisted.compactMap(\.waitlistPosition).sorted() == Array(1...waitlisted.count))
        }
    }

    @Test func waiting_list_positions_count_within_each_role() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app, capacity: 1)
            let mentors = try await (0..<3).asyncMap { try await submit(app, try await makePerson(app, "Junior \($0)", level: 1), .mentor, to: programme) }
            let mentee = try await submit(app, try await makePerson(app, "Senior", level: 5), .mentee, to: programme)
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: programme)
            let service = ApplicationService(database: app.db)
            for a in mentors { try await service.decide(a, .waitlisted, by: "c") }
            try await service.decide(mentee, .waitlisted, by: "c")
            #expect(try await reload(app, mentee).waitlistPosition == 1)
            #expect(try await reload(app, mentors[2]).waitlistPosition == 3)
        }
    }

    @Test func participants_never_read_the_other_sides_wishes_blocks_or_reasons() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            // Every senior asks for their junior; junior 1 would rather not meet senior 2.
            for (senior, junior) in zip(seniors, juniors) {
                try await service.setPreferences(senior, preferred: [junior.$person.id], avoided: [], programme: programme)
            }
            try await service.setPreferences(juniors[1], preferred: [], avoided: [seniors[2].$person.id], programme: programme)
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            #expect(try await service.publish(run, programme: programme, by: "c", linkBase: "") == 3)
            try await service.respond(try await member(app, juniors[0]), accept: false, reason: "We sit in the same team")
            // Every participant-facing text: explanations stored for members, and the API and page answers.
            let people = try await Person.query(on: app.db).all()
            let names = people.map { $0.name.split(separator: " ")[0] }
            for application in juniors + seniors {
                let me = try await member(app, application)
                for name in names { #expect(!me.explanation.contains("\(name) asked for you"), "\(me.explanation)") }
                #expect(!me.explanation.contains("each other") && !me.explanation.contains("rather not") && !me.explanation.contains("same team"))
            }
            for application in juniors + seniors {
                let person = try #require(people.first { $0.id == application.$person.id })
                let token = try await participantToken(app, person)
                try await app.testing().test(.GET, "/api/v1/programmes/\(programme.requireID())/match", headers: .bearer(token)) { res async throws in
                    let text = res.body.string
                    #expect(res.status == .ok)
                    #expect(!text.contains("asked for you") && !text.contains("same team") && !text.contains("rather not"), "\(text)")
                    #expect(!text.contains("avoided") && !text.contains("preferred") && !text.contains("diversity"))
                }
            }
        }
    }

    @Test func participants_and_sponsors_see_no_hr_dates_and_no_leavers() async throws {
        try await withUpward { app in
            let current = try await makePerson(app, "Ann Current", level: 2, hired: "2019-04-01", leave: day(90))
            let gone = try await makePerson(app, "Ben Gone", level: 2, hired: "2015-01-01", leave: "2020-01-01")
            let participant = try await apiToken(app, role: .participant)
            let coordinator = try await apiToken(app, role: .coordinator)
            let sponsor = try await apiToken(app, role: .sponsor)
            try await app.testing().test(.GET, "/api/v1/people?includeLeavers=true", headers: .bearer(participant)) { res async throws in
                let page = try res.content.decode(PageDTO<PersonDTO>.self)
                #expect(page.items.map(\.name) == ["Ann Current"])
                #expect(page.items.allSatisfy { $0.hireDate == nil && $0.leaveDate == nil })
                #expect(!res.body.string.contains("2019-04-01"))
            }
            try await app.testing().test(.GET, "/api/v1/people/\(gone.requireID())", headers: .bearer(participant)) { res async throws in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.GET, "/api/v1/people/\(current.requireID())", headers: .bearer(participant)) { res async throws in
                #expect(try res.content.decode(PersonDetailDTO.self).person.hireDate == nil)
            }
            try await app.testing().test(.GET, "/api/v1/people?includeLeavers=true", headers: .bearer(coordinator)) { res async throws in
                let page = try res.content.decode(PageDTO<PersonDTO>.self)
                #expect(page.items.map(\.name) == ["Ann Current", "Ben Gone"])
                #expect(page.items.first?.hireDate == "2019-04-01")
            }
            try await app.testing().test(.GET, "/api/v1/people", headers: .bearer(sponsor)) { res async throws in
                #expect(res.status == .forbidden)
            }
            // The pages apply the same rule.
            try await makeUser(app, email: "pat@example.org", role: .participant)
            try await makeUser(app, email: "spo@example.org", role: .sponsor)
            let web = WebSession(app)
            _ = try await web.signIn("pat@example.org")
            let list = try await web.get("/directory?leavers=on").body.string
            #expect(list.contains("Ann Current") && !list.contains("Ben Gone") && !list.contains("Include leavers"))
            let page = try await web.get("/directory/people/\(current.requireID())").body.string
            #expect(!page.contains("2019-04-01") && !page.contains("Hired"))
            #expect(try await web.get("/directory/people/\(gone.requireID())").status == .notFound)
            let sponsorWeb = WebSession(app)
            _ = try await sponsorWeb.signIn("spo@example.org")
            #expect(try await sponsorWeb.get("/directory/people/\(current.requireID())").status == .forbidden)
        }
    }

    @Test func time_matching_refuses_a_database_with_real_people() async throws {
        try await withUpward { app in
            try await makePerson(app, "Real Person", level: 3)
            await #expect(throws: (any Error).self) { try await UpwardApp.timeMatchingRun(app, applicants: 10) }
            let real = try #require(try await Person.query(on: app.db).first())
            #expect(real.leaveDate == nil)
            #expect(try await Person.query(on: app.db).count() == 1)
        }
    }

    @Test func a_rerun_never_proposes_a_declined_pair_even_when_pinned_and_says_so() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            let settings = MatchingService.defaultSettings(for: programme)
            let run = try await service.startRun(programme, settings: settings, by: "c")
            let pair = try #require(service.result(of: run).proposals.first { $0.menteeApplication == seniors[0].id })
            try await service.pin(run, mentee: pair.menteeApplication, mentor: pair.mentorApplication, by: "c")
            try await service.publish(run, programme: programme, by: "c", linkBase: "")
            try await service.respond(try await member(app, seniors[0]), accept: false, reason: nil)
            // A re-run of the published run, keeping its pins (as the API's rerunOf does).
            let rerun = try await service.startRun(programme, settings: settings, pins: JSONText.decode([[UUID]].self, run.pinsJSON), by: "c")
            let result = service.result(of: rerun)
            #expect(!result.proposals.contains { $0.menteeApplication == pair.menteeApplication && $0.mentorApplication == pair.mentorApplication })
            #expect(result.notes.contains { $0.contains("was declined") && $0.contains("Senior 0") })
            _ = juniors
        }
    }

    @Test func a_hand_pair_that_was_ruled_out_needs_a_confirmation_naming_it() async throws {
        try await withUpward { app in
            let (programme, _, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            let pair = try #require(service.result(of: run).proposals.first { $0.menteeApplication == seniors[0].id })
            try await service.forbid(run, mentee: pair.menteeApplication, mentor: pair.mentorApplication, by: "c")
            do {
                try await service.manualPair(run, mentee: pair.menteeApplication, mentor: pair.mentorApplication, programme: programme, by: "c")
                Issue.record("a ruled-out pair was made without confirmation")
            } catch let needed as MatchingService.NeedsConfirmation {
                #expect(needed.breaks.contains("you ruled this pair out"))
                #expect(needed.reason.hasPrefix("Pairing Senior 0 and Junior"))
            }
            #expect(!service.result(of: run).proposals.contains { $0.menteeApplication == pair.menteeApplication })
            // Through the API: 409 naming what it breaks, then made with confirm.
            let token = try await apiToken(app, role: .coordinator)
            let body = #"{"action": "pair", "mentee": "\#(pair.menteeApplication)", "mentor": "\#(pair.mentorApplication)""#
            try await app.testing().test(.POST, "/api/v1/runs/\(run.requireID())/adjustments", headers: .bearerJSON(token), body: json(body + "}")) { res async throws in
                #expect(res.status == .conflict)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("you ruled this pair out"))
            }
            try await app.testing().test(.POST, "/api/v1/runs/\(run.requireID())/adjustments", headers: .bearerJSON(token),
                                         body: json(body + #", "confirm": true}"#)) { res async throws in
                #expect(res.status == .ok)
            }
        }
    }

    @Test func a_swap_that_breaks_a_rule_says_so_in_its_answer() async throws {
        try await withUpward { app in
            let (programme, _, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            var settings = MatchingService.defaultSettings(for: programme)
            settings.requireDifferentDepartment = true
            let run = try await service.startRun(programme, settings: settings, by: "c")
            // Tighten the rule after the run: any swap now breaks it.
            var tight = settings
            tight.minimumLevelGap = 9
            run.settingsJSON = JSONText.encode(tight)
            try await run.save(on: app.db)
            let warnings = try await service.swap(run, menteeA: try seniors[0].requireID(), menteeB: try seniors[1].requireID(), programme: programme, by: "c")
            #expect(warnings.count == 2 && warnings.allSatisfy { $0.contains("Breaks a rule") })
        }
    }

    @Test func unmatched_mentors_are_listed_with_a_reason() async throws {
        try await withUpward { app in
            let (programme, juniors, _) = try await matchingProgramme(app, mentors: 4, mentees: 2)
            let service = MatchingService(database: app.db)
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            let result = service.result(of: run)
            #expect(result.matchedShare == 1)
            let mentors = result.unmatched.filter { $0.side == .mentor }
            #expect(mentors.count == 2)
            #expect(mentors.allSatisfy { m in juniors.contains { $0.id == m.application } && m.reason.contains("better matched with other mentors") })
        }
    }

    @Test func adjustments_are_a_revision_and_runs_compare_as_computed() async throws {
        try await withUpward { app in
            let (programme, _, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            let computed = service.result(of: run).total
            try await service.swap(run, menteeA: try seniors[0].requireID(), menteeB: try seniors[1].requireID(), programme: programme, by: "coord@example.org")
            let stored = try #require(try await MatchingRun.find(run.requireID(), on: app.db))
            #expect(service.computedResult(of: stored).total == computed)
            #expect(service.result(of: stored).total != computed)
            #expect(service.result(of: stored).adjustments.map(\.by) == ["coord@example.org"])
            let token = try await apiToken(app, role: .coordinator)
            try await app.testing().test(.GET, "/api/v1/programmes/\(programme.requireID())/runs", headers: .bearer(token)) { res async throws in
                let body = try JSONSerialization.jsonObject(with: Data(buffer: res.body)) as? [[String: Any]]
                #expect((body?.first?["total"] as? Double) == computed)
                #expect((body?.first?["adjustments"] as? [Any])?.count == 1)
            }
        }
    }

    @Test func a_running_programme_cannot_shrink_below_its_selected_people() async throws {
        try await withUpward { app in
            let (programme, _, _) = try await matchingProgramme(app, capacity: 3)
            var input = ProgrammeInput(programme)
            input.capacity = 1
            do {
                try await ProgrammeService(database: app.db).update(programme, with: input)
                Issue.record("capacity went below the selected count")
            } catch let invalid as InvalidInput {
                #expect(invalid.message("capacity")?.contains("already selected") == true)
            }
            #expect(try await Programme.find(programme.requireID(), on: app.db)?.capacity == 3)
        }
    }

    @Test func a_second_nudge_within_a_day_is_refused_with_a_message() async throws {
        try await withUpward { app in
            let (programme, _, _) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await service.publish(run, programme: programme, by: "c", linkBase: "")
            #expect(try await service.nudge(programme, linkBase: "") == 6)
            do {
                try await service.nudge(programme, linkBase: "")
                Issue.record("a second nudge went out")
            } catch let problem as Problem {
                #expect(problem.detail.hasPrefix("Everyone waiting was reminded within the last day."))
            }
            var tomorrow = service
            tomorrow.clock = .fixed(Date().addingTimeInterval(25 * 3600))
            #expect(try await tomorrow.nudge(programme, linkBase: "") == 6)
        }
    }

    @Test func an_import_that_would_make_most_people_leavers_needs_confirmation() async throws {
        try await withUpward { app in
            let importer = DirectoryImporter(database: app.db, linkBase: "")
            _ = try await importer.run(csv: try fixture("people.csv"), dryRun: false, invite: false)
            let one = try fixture("people.csv").split(separator: "\n").prefix(2).joined(separator: "\n") + "\n"
            let preview = try await importer.run(csv: one, dryRun: true, invite: false)
            #expect(preview.leavers == 9 && preview.leaverWarning?.contains("9 of the 10 current staff") == true)
            let refused = try await importer.run(csv: one, dryRun: false, invite: false)
            #expect(refused.needsConfirmation)
            #expect(try await Person.query(on: app.db).filter(\.$leaveDate != nil).count() == 0)
            let token = try await apiToken(app, role: .coordinator)
            try await app.testing().test(.POST, "/api/v1/people/import", headers: .bearer(token), body: ByteBuffer(string: one)) { res async throws in
                #expect(res.status == .conflict)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("confirmLeavers=true"))
            }
            let confirmed = try await importer.run(csv: one, dryRun: false, invite: false, confirmLeavers: true)
            #expect(!confirmed.needsConfirmation && confirmed.leavers == 9)
        }
    }
}

@Suite("Trust: every problem at once")
struct EveryProblemAtOnceTests {
    @Test func an_unknown_manager_is_reported_with_the_rows_other_problems() {
        let csv = """
            employee_id,name,email,department,level,manager_id
            E1,Ada,ada@example.org,Engineering,7,
            E2,Bo,not-an-email,Engineering,3,E999
            """
        let issues = DirectoryFile.parse(csv + "\n", today: Day(daysSince1970: 20_780)).issues
        #expect(issues.contains { $0.row == 3 && $0.column == "email" })
        #expect(issues.contains { $0.row == 3 && $0.column == "manager_id" && $0.reason.contains("unknown manager 'E999'") })
    }

    @Test func the_programme_form_lists_every_problem_at_once() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            let page = try await web.submit("/programmes/new", [
                "name": "", "format": "reverse", "objective": "technology", "cadenceWeeks": "4", "sessionMinutes": "60", "sessionCount": "6",
                "capacity": "5", "mentorMinLevel": "x", "mentorMaxLevel": "2", "menteeMinLevel": "6", "menteeMaxLevel": "4", "minLevelGap": "2",
                "confidentiality": "a", "psychologicalSafety": "b", "channel": "c", "cadence": "d",
            ])
            #expect(page.status == .unprocessableEntity)
            let html = page.body.string
            #expect(html.contains("Give the programme a name."))
            #expect(html.contains("Lowest mentor level must be a whole number"))
            #expect(html.contains("The lowest level for mentees (6) is above the highest (4)."))
        }
    }

    @Test func a_running_programme_offers_a_rematch_only_for_people_without_a_pair() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await service.publish(run, programme: programme, by: "c", linkBase: "")
            for a in juniors + seniors { try await service.respond(try await member(app, a), accept: true, reason: nil) }
            try await ProgrammeService(database: app.db).perform(.startProgramme, on: programme)
            #expect(try await service.runRefusal(programme)?.contains("nobody to re-match") == true)
            await #expect(throws: Problem.self) {
                try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            }
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            let page = try await web.get("/programmes/\(programme.requireID())/matching").body.string
            #expect(!page.contains("Run matching") && !page.contains("Re-match the people") && page.contains("nobody to re-match"))
        }
    }
}

@Suite("Matching settings over the API")
struct MatchingSettingsPatchTests {
    @Test func settings_sent_with_a_run_change_only_the_keys_given() async throws {
        try await withUpward { app in
            let (programme, _, _) = try await matchingProgramme(app, mentors: 6, mentees: 2, format: .advisoryBoard)
            let token = try await apiToken(app, role: .coordinator)
            let id = try programme.requireID()
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/runs", headers: .bearerJSON(token),
                                         body: json(#"{"settings": {"weights": {"skills": 7}}}"#)) { res async throws in
                #expect(res.status == .created)
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/runs", headers: .bearerJSON(token),
                                         body: json(#"{"settings": {"stable": true}}"#)) { res async throws in
                #expect(res.status == .created)
            }
            let runs = try await MatchingService(database: app.db).runs(of: programme)
            let latest = try #require(runs.first)
            let settings = JSONText.decode(MatchingSettings.self, latest.settingsJSON, default: .defaults(for: .reverse))
            // Still an advisory board, with the weight the run before set, and now stable.
            #expect(settings.format == .advisoryBoard && settings.boardSize == 3)
            #expect(settings.weights[.skills] == 7 && settings.stable)
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/runs", headers: .bearerJSON(token),
                                         body: json(#"{"settings": {"format": "reverse"}}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == "settings.format")
            }
        }
    }
}

extension Sequence {
    /// Maps in order, awaiting each element.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
