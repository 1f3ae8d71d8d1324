import Fluent
import Foundation
import Matching
import Testing
import VaporTesting
@testable import Upward

/// A programme in matching with `mentors` juniors and `mentees` seniors selected.
func matchingProgramme(_ app: Application, mentors: Int = 3, mentees: Int = 3, format: ProgrammeFormat = .reverse,
                       capacity: Int = 10) async throws -> (Programme, [ProgrammeApplication], [ProgrammeApplication]) {
    let programme = try await makeProgramme(app, capacity: capacity, format: format)
    var juniors: [ProgrammeApplication] = [], seniors: [ProgrammeApplication] = []
    let skills = ["AI tools", "Social media", "Data visualisation", "Accessibility"]
    let departments = ["Engineering", "Sales", "Finance", "Design", "Legal"]
    for i in 0..<mentors {
        let person = try await makePerson(app, "Junior \(i)", level: 1 + i % 2, department: departments[i % departments.count])
        juniors.append(try await submit(app, person, format == .twoWay ? .both : .mentor, to: programme, offers: [skills[i % skills.count]]))
    }
    for i in 0..<mentees {
        let person = try await makePerson(app, "Senior \(i)", level: 5, department: departments[(i + 2) % departments.count])
        seniors.append(try await submit(app, person, format == .twoWay ? .both : .mentee, to: programme, seeks: [skills[i % skills.count]]))
    }
    let programmes = ProgrammeService(database: app.db)
    try await programmes.perform(.closeEnrolment, on: programme)
    for a in juniors + seniors { try await ApplicationService(database: app.db).decide(a, .selected, by: "c") }
    try await programmes.perform(.confirmSelection, on: programme)
    return (programme, juniors, seniors)
}

func member(_ app: Application, _ application: ProgrammeApplication) async throws -> PairingMember {
    let members = try await PairingMember.query(on: app.db).filter(\.$application.$id == application.requireID()).with(\.$pairing).all()
    return try #require(members.sorted { ($0.pairing.createdAt ?? .distantPast) > ($1.pairing.createdAt ?? .distantPast) }.first)
}

@Suite("Matching in the product")
struct MatchingServiceTests {
    @Test func a_run_proposes_explained_pairs_from_the_selected_applicants() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            #expect(run.status == .done && run.number == 1 && run.seconds != nil)
            let result = service.result(of: run)
            #expect(result.proposals.count == 3 && result.matchedShare == 1)
            // Skills line up: Senior i seeks what Junior i offers.
            for i in 0..<3 {
                let p = try #require(result.proposals.first { $0.menteeApplication == seniors[i].id })
                #expect(p.mentorApplication == juniors[i].id)
                #expect(p.menteeExplanation.contains("offers"))
                #expect(p.breakdown["skills"] == 1)
            }
        }
    }

    @Test func pins_forbids_swaps_and_manual_pairs_then_a_rerun_keeps_pins() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            let settings = MatchingService.defaultSettings(for: programme)
            let run = try await service.startRun(programme, settings: settings, by: "c")
            let (s0, s1, s2) = (seniors[0].id!, seniors[1].id!, seniors[2].id!)
            let (j0, j1, j2) = (juniors[0].id!, juniors[1].id!, juniors[2].id!)
            // Swap seniors 0 and 1: they exchange mentors.
            try await service.swap(run, menteeA: s0, menteeB: s1, programme: programme, by: "c")
            var result = service.result(of: run)
            #expect(result.proposals.contains { $0.menteeApplication == s0 && $0.mentorApplication == j1 && $0.manual })
            // A manual pair that breaks the level-gap rule is made, with a warning naming the rule.
            var tight = settings
            tight.minimumLevelGap = 5
            run.settingsJSON = JSONText.encode(tight)
            try await run.save(on: app.db)
            // Without a confirmation it is refused, naming the rule; confirmed, it is made with the warning.
            await #expect(throws: MatchingService.NeedsConfirmation.self) {
                try await service.manualPair(run, mentee: s2, mentor: j2, programme: programme, by: "c")
            }
            let warnings = try await service.manualPair(run, mentee: s2, mentor: j2, programme: programme, confirmed: true, by: "c")
            #expect(warnings.first?.hasPrefix("Breaks a rule:") == true)
            run.settingsJSON = JSONText.encode(settings)
            try await run.save(on: app.db)
            // Pin senior 2 with junior 2 is already pinned (manual); forbid senior 0 – junior 1.
            try await service.forbid(run, mentee: s0, mentor: j1, by: "c")
            result = service.result(of: run)
            #expect(result.unmatched.contains { $0.application == s0 })
            // Re-run keeping pins and forbidden pairs.
            let rerun = try await service.startRun(programme, settings: settings, pins: JSONText.decode([[UUID]].self, run.pinsJSON),
                                                   forbidden: JSONText.decode([[UUID]].self, run.forbiddenJSON), by: "c")
            let again = service.result(of: rerun)
            #expect(rerun.number == 2)
            #expect(again.proposals.contains { $0.menteeApplication == s2 && $0.mentorApplication == j2 && $0.pinned })
            // The pair the swap made (senior 1 with junior 0) was shown pinned, and the re-run keeps it.
            #expect(again.proposals.contains { $0.menteeApplication == s1 && $0.mentorApplication == j0 && $0.pinned })
            #expect(!again.proposals.contains { $0.menteeApplication == s0 && $0.mentorApplication == j1 })
            // Junior 0 and junior 2 are pinned to others and junior 1 is ruled out: senior 0 is left, with the reason.
            #expect(again.proposals.count == 2)
            #expect(again.unmatched.contains { $0.application == s0 && $0.side == .mentee && !$0.reason.isEmpty })
            // The pairs differ from run 1 as the engine computed it; a run against itself, none.
            #expect(service.pairsChanged(again, since: service.computedResult(of: run)) >= 1)
            #expect(service.pairsChanged(again, since: again) == 0)
        }
    }

    @Test func consent_activates_declines_free_people_and_a_rematch_keeps_accepted_pairs() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app)
            let service = MatchingService(database: app.db)
            let settings = MatchingService.defaultSettings(for: programme)
            let run = try await service.startRun(programme, settings: settings, by: "c")
            // Nothing reaches participants before publishing.
            #expect(try await Pairing.query(on: app.db).count() == 0)
            #expect(try await service.publish(run, programme: programme, by: "c", linkBase: "") == 3)
            await #expect(throws: Problem.self) { try await service.publish(run, programme: programme, by: "c", linkBase: "") }
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$subject == "Your proposed match in Digital leadership").count() == 6)
            // Pair 0: both accept (the second accept twice) → active.
            try await service.respond(try await member(app, seniors[0]), accept: true, reason: nil)
            #expect(try await member(app, seniors[0]).pairing.status == .awaitingConsent)
            try await service.respond(try await member(app, juniors[0]), accept: true, reason: nil)
            try await service.respond(try await member(app, juniors[0]), accept: true, reason: nil)
            #expect(try await member(app, seniors[0]).pairing.status == .active)
            // Pair 1: the mentee accepts, the mentor declines with a private reason → declined, both free.
            try await service.respond(try await member(app, seniors[1]), accept: true, reason: nil)
            try await service.respond(try await member(app, juniors[1]), accept: false, reason: "We work on the same project")
            let declined = try await member(app, juniors[1])
            #expect(declined.pairing.status == .declined && declined.reason == "We work on the same project")
            await #expect(throws: Problem.self) { try await service.respond(try await member(app, juniors[1]), accept: true, reason: nil) }
            // Re-match: the active pair and the pending pair 2 stay; seniors[1] and juniors[1] are never proposed together again.
            let rematch = try await service.startRun(programme, settings: settings, by: "c")
            let result = service.result(of: rematch)
            #expect(result.proposals.contains { $0.menteeApplication == seniors[0].id && $0.mentorApplication == juniors[0].id && $0.kept })
            #expect(result.proposals.contains { $0.menteeApplication == seniors[2].id && $0.kept })
            #expect(!result.proposals.contains { $0.menteeApplication == seniors[1].id && $0.mentorApplication == juniors[1].id })
            #expect(result.unmatched.contains { $0.application == seniors[1].id })  // the only free mentor is the declined one
            // Nobody is ever in two live pairings.
            let seats = try await PairingSeat.query(on: app.db).all()
            #expect(Set(seats.map { "\($0.personID)-\($0.seat)" }).count == seats.count)
            #expect(seats.count == 4)
        }
    }

    @Test func a_missed_deadline_frees_people_and_nudges_reach_the_silent() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 1)
            let service = MatchingService(database: app.db)
            let run = try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await service.publish(run, programme: programme, by: "c", linkBase: "")
            try await service.respond(try await member(app, seniors[0]), accept: true, reason: nil)
            #expect(try await service.nudge(programme, linkBase: "") == 1)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "junior.0@example.org").filter(\.$subject ~~ "match in").count() == 2)
            let later = MatchingService(database: app.db, clock: .fixed(Date().addingTimeInterval(30 * 86_400)))
            try await later.expireOverdue(programme)
            let m = try await member(app, juniors[0])
            #expect(m.answer == .expired && m.pairing.status == .expired)
            #expect(try await PairingSeat.query(on: app.db).count() == 0)
            #expect(try await service.declinedPairs(of: programme).count == 1)
        }
    }

    @Test func a_board_members_decline_keeps_the_rest_of_the_board() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 3, mentees: 1, format: .advisoryBoard, capacity: 1)
            let service = MatchingService(database: app.db)
            var settings = MatchingService.defaultSettings(for: programme)
            settings.boardSize = 3
            let run = try await service.startRun(programme, settings: settings, by: "c")
            #expect(service.result(of: run).proposals.count == 3)
            try await service.publish(run, programme: programme, by: "c", linkBase: "")
            try await service.respond(try await member(app, seniors[0]), accept: true, reason: nil)
            try await service.respond(try await member(app, juniors[0]), accept: false, reason: nil)
            try await service.respond(try await member(app, juniors[1]), accept: true, reason: nil)
            #expect(try await member(app, seniors[0]).pairing.status == .awaitingConsent)
            try await service.respond(try await member(app, juniors[2]), accept: true, reason: nil)
            let board = try await member(app, seniors[0]).pairing
            #expect(board.status == .active)
            #expect(try await PairingSeat.query(on: app.db).count() == 3)  // the board holder and two advisors
        }
    }

    @Test func concurrent_publications_and_answers_leave_one_consistent_outcome() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 4, mentees: 4)
            let service = MatchingService(database: app.db)
            let settings = MatchingService.defaultSettings(for: programme)
            // Two coordinators start runs at the same moment: both are kept, numbered 1 and 2.
            async let one = service.startRun(programme, settings: settings, by: "a")
            async let two = service.startRun(programme, settings: settings, by: "b")
            let (first, second) = try await (one, two)
            #expect(Set([first.number, second.number]) == [1, 2])
            // Two coordinators publish two runs at the same moment: exactly one goes through.
            async let a: Int? = try? service.publish(first, programme: programme, by: "a", linkBase: "")
            async let b: Int? = try? service.publish(second, programme: programme, by: "b", linkBase: "")
            let outcomes = await [a, b]
            #expect(outcomes.compactMap { $0 }.count == 1)
            #expect(try await Pairing.query(on: app.db).count() == 4)
            let seats = try await PairingSeat.query(on: app.db).all()
            #expect(seats.count == 8 && Set(seats.map(\.personID)).count == 8)
            // Both people of a pair accept at the same moment, twice each: the pairing ends active, once.
            let pairing = try await member(app, seniors[0]).pairing
            let members = try await PairingMember.query(on: app.db).filter(\.$pairing.$id == pairing.requireID()).all()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for m in members + members { group.addTask { try? await service.respond(m, accept: true, reason: nil) } }
                try await group.waitForAll()
            }
            let after = try #require(try await Pairing.find(pairing.id, on: app.db))
            #expect(after.status == .active)
            #expect(try await PairingMember.query(on: app.db).filter(\.$pairing.$id == pairing.requireID()).filter(\.$answer == .accepted).count() == 2)
            _ = juniors
        }
    }

    @Test func earlier_rounds_pairs_are_not_repeated() async throws {
        try await withUpward { app in
            let (first, juniors, seniors) = try await matchingProgramme(app, mentors: 1, mentees: 1)
            let service = MatchingService(database: app.db)
            let settings = MatchingService.defaultSettings(for: first)
            let run = try await service.startRun(first, settings: settings, by: "c")
            try await service.publish(run, programme: first, by: "c", linkBase: "")
            try await service.respond(try await member(app, seniors[0]), accept: true, reason: nil)
            try await service.respond(try await member(app, juniors[0]), accept: true, reason: nil)
            // The same two people in a new programme: the repeat is ruled out, and the reason says so.
            let second = try await makeProgramme(app, name: "Round two")
            let senior = try #require(try await Person.find(seniors[0].$person.id, on: app.db))
            let junior = try #require(try await Person.find(juniors[0].$person.id, on: app.db))
            let a = try await submit(app, junior, .mentor, to: second)
            let b = try await submit(app, senior, .mentee, to: second)
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: second)
            for x in [a, b] { try await ApplicationService(database: app.db).decide(x, .selected, by: "c") }
            try await ProgrammeService(database: app.db).perform(.confirmSelection, on: second)
            let repeatRun = try await service.startRun(second, settings: settings, by: "c")
            let result = service.result(of: repeatRun)
            #expect(result.proposals.isEmpty)
            #expect(result.unmatched.first?.reason.contains("earlier") == true)
        }
    }
}
