import Fluent
import Foundation
import Matching
import Testing
import VaporTesting
@testable import Upward

@Suite("Matching API and pages")
struct MatchingAPITests {
    @Test func coordinators_run_adjust_and_publish_participants_answer() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 2, mentees: 2)
            let id = try programme.requireID()
            let coordinator = try await apiToken(app, role: .coordinator)
            let seniorPerson = try #require(try await Person.find(seniors[0].$person.id, on: app.db))
            let juniorPerson = try #require(try await Person.find(juniors[0].$person.id, on: app.db))
            let senior = try await participantToken(app, seniorPerson)
            let junior = try await participantToken(app, juniorPerson)
            // Participants cannot run matching.
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/runs", headers: .bearerJSON(senior), body: json("{}")) { res async throws in
                #expect(res.status == .forbidden)
            }
            // Preferences: private wishes; nonsense is refused with the field named.
            try await app.testing().test(.PUT, "/api/v1/programmes/\(id)/application/preferences", headers: .bearerJSON(senior),
                                         body: json(#"{"preferred": ["\#(juniorPerson.id!)"], "avoided": ["\#(juniorPerson.id!)"]}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
            }
            try await app.testing().test(.PUT, "/api/v1/programmes/\(id)/application/preferences", headers: .bearerJSON(senior),
                                         body: json(#"{"preferred": ["\#(juniorPerson.id!)"], "avoided": []}"#)) { res async throws in
                #expect(res.status == .ok)
            }
            // The coordinator sees the wish; nobody else's view of applications carries it.
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/applications", headers: .bearer(coordinator)) { res async throws in
                let all = try res.content.decode([ApplicationDTO].self)
                #expect(all.first { $0.id == seniors[0].id }?.preferred == [juniorPerson.id!])
            }
            // Bad settings: 422 naming the field.
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/runs", headers: .bearerJSON(coordinator),
                                         body: json(#"{"settings": {"mentorCapacity": 0}}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == "mentorCapacity")
            }
            var runID = UUID()
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/runs", headers: .bearerJSON(coordinator),
                                         body: json(#"{"settings": {"weights": {"shortlist": 5}}}"#)) { res async throws in
                #expect(res.status == .created)
                let run = try res.content.decode(RunDTO.self)
                #expect(run.status == .done && run.settings.weights[.shortlist] == 5 && run.result?.proposals.count == 2)
                #expect(run.result?.proposals.contains { $0.menteeApplication == seniors[0].id && $0.mentorApplication == juniors[0].id } == true)
                runID = run.id
            }
            // Swap the two mentees' partners, and back.
            for _ in 0..<2 {
                try await app.testing().test(.POST, "/api/v1/runs/\(runID)/adjustments", headers: .bearerJSON(coordinator),
                                             body: json(#"{"action": "swap", "mentee": "\#(seniors[0].id!)", "otherMentee": "\#(seniors[1].id!)"}"#)) { res async throws in
                    #expect(res.status == .ok)
                }
            }
            try await app.testing().test(.POST, "/api/v1/runs/\(runID)/adjustments", headers: .bearerJSON(coordinator),
                                         body: json(#"{"action": "pair", "mentee": "\#(seniors[0].id!)"}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)   // no mentor named
            }
            try await app.testing().test(.POST, "/api/v1/runs/\(runID)/adjustments", headers: .bearerJSON(coordinator),
                                         body: json(#"{"action": "pair", "mentee": "\#(seniors[0].id!)", "mentor": "\#(juniors[0].id!)"}"#)) { res async throws in
                let result = try res.content.decode(RunAdjustResult.self)
                #expect(result.warnings.isEmpty)
                #expect(result.run.pins.contains([seniors[0].id!, juniors[0].id!]))
            }
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/match", headers: .bearer(senior)) { res async throws in
                #expect(res.status == .notFound)   // nothing published yet
            }
            try await app.testing().test(.POST, "/api/v1/runs/\(runID)/publish", headers: .bearer(coordinator)) { res async throws in
                #expect(try res.content.decode(PublishResult.self).published == 2)
            }
            try await app.testing().test(.POST, "/api/v1/runs/\(runID)/publish", headers: .bearer(coordinator)) { res async throws in
                #expect(res.status == .conflict)
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/match/answer", headers: .bearerJSON(junior),
                                         body: json(#"{"accept": false, "reason": "Too close to my own team"}"#)) { res async throws in
                #expect(try res.content.decode(MatchDTO.self).status == .declined)
            }
            // The partner sees the answer but never the reason; the coordinator sees both.
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/match", headers: .bearer(senior)) { res async throws in
                let match = try res.content.decode(MatchDTO.self)
                #expect(match.partners.first?.answer == .declined && match.partners.first?.reason == nil)
                #expect(!res.body.string.contains("Too close"))
            }
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/pairings", headers: .bearer(coordinator)) { res async throws in
                let pairings = try res.content.decode([PairingDTO].self)
                #expect(pairings.count == 2)
                #expect(pairings.flatMap(\.members).contains { $0.reason == "Too close to my own team" })
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/nudge", headers: .bearer(coordinator)) { res async throws in
                #expect(try res.content.decode(NudgeResult.self).nudged == 2)   // the other pair's two people
            }
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/runs", headers: .bearer(coordinator)) { res async throws in
                let runs = try res.content.decode([RunDTO].self)
                #expect(runs.map(\.number) == [1] && runs[0].published && runs[0].pairsChanged == nil)
            }
        }
    }

    @Test func bad_settings_are_refused_on_the_page_and_wishes_show_in_selection() async throws {
        try await withUpward { app in
            let (programme, juniors, seniors) = try await matchingProgramme(app, mentors: 2, mentees: 2)
            let service = MatchingService(database: app.db)
            try await service.setPreferences(seniors[0], preferred: [juniors[1].$person.id], avoided: [juniors[0].$person.id], programme: programme)
            try await service.startRun(programme, settings: MatchingService.defaultSettings(for: programme), by: "c")
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            // Settings with a bad weight: the form says what to fix and no run starts.
            let bad = try await web.submit("/programmes/\(programme.id!.uuidString)/matching", ["weight_skills": "lots", "minimumLevelGap": "2", "mentorCapacity": "1"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("The weight of skill coverage must be a number from 0 to 10; “lots” is not."))
            #expect(try await service.runs(of: programme).count == 1)
            // The coordinator sees each applicant's private wishes where people are selected.
            let selection = try await web.get("/programmes/\(programme.id!.uuidString)/selection")
            #expect(selection.body.string.contains("Would like: Junior 1; rather not: Junior 0 (private)"))
        }
    }
}
