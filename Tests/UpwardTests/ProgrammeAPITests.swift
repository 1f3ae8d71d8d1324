import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Upward

/// An API token for a participant linked to `person`.
func participantToken(_ app: Application, _ person: Person) async throws -> String {
    let user = try await makeUser(app, email: person.email, role: .participant, personID: person.requireID())
    return try await AccountService(app).createAPIToken(for: user, name: "test").1
}

func json(_ body: String) -> ByteBuffer { ByteBuffer(string: body) }

extension HTTPHeaders {
    static func bearerJSON(_ token: String) -> HTTPHeaders {
        var headers = HTTPHeaders.bearer(token)
        headers.contentType = .json
        return headers
    }
}

@Suite("Programmes API")
struct ProgrammeAPITests {
    @Test func coordinators_design_and_move_programmes_participants_cannot() async throws {
        try await withUpward { app in
            let coordinator = try await apiToken(app, role: .coordinator)
            let participant = try await apiToken(app, role: .participant)
            var id = UUID()
            try await app.testing().test(.POST, "/api/v1/programmes", headers: .bearerJSON(coordinator), body: json(#"{"name": "Digital leadership"}"#)) { res async throws in
                #expect(res.status == .created)
                let p = try res.content.decode(ProgrammeDTO.self)
                #expect(p.status == .draft && p.settings.format == .reverse && p.settings.sessionMinutes == 60 && p.actions == [.openEnrolment])
                id = p.id
                #expect(res.body.string.contains(#""cadenceWeeks":4"#))  // flat: settings beside the state
            }
            try await app.testing().test(.POST, "/api/v1/programmes", headers: .bearerJSON(participant), body: json(#"{"name": "Mine"}"#)) { res async throws in
                #expect(res.status == .forbidden)
            }
            // A bad change: 422 with every field, and nothing saved.
            try await app.testing().test(.PATCH, "/api/v1/programmes/\(id)", headers: .bearerJSON(coordinator),
                                         body: json(#"{"cadenceWeeks": 20, "enrolmentOpens": "2026-05-10", "enrolmentCloses": "2026-05-01"}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(res.headers.contentType == Problem.mediaType)
                let problem = try JSONDecoder().decode(Problem.self, from: res.body)
                #expect(problem.fields?.map(\.field).sorted() == ["cadenceWeeks", "enrolmentCloses"])
            }
            #expect(try await Programme.find(id, on: app.db)?.cadenceWeeks == 4)
            // Not allowed yet: 409 with the reason.
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/actions", headers: .bearerJSON(coordinator), body: json(#"{"action": "openEnrolment"}"#)) { res async throws in
                #expect(res.status == .conflict)
                let problem = try JSONDecoder().decode(Problem.self, from: res.body)
                #expect(problem.detail.hasPrefix("Set the enrolment opens"))
            }
            let dates = #"{"enrolmentOpens": "\#(day(-1))", "enrolmentCloses": "\#(day(10))", "startsOn": "\#(day(20))", "endsOn": "\#(day(100))", "capacity": 1}"#
            try await app.testing().test(.PATCH, "/api/v1/programmes/\(id)", headers: .bearerJSON(coordinator), body: json(dates)) { res async throws in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/actions", headers: .bearerJSON(coordinator), body: json(#"{"action": "openEnrolment"}"#)) { res async throws in
                #expect(try res.content.decode(ProgrammeDTO.self).status == .enrolling)
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/actions", headers: .bearerJSON(coordinator), body: json(#"{"action": "fly"}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.message.hasPrefix("action must be one of: openEnrolment") == true)
            }
            try await app.testing().test(.GET, "/api/v1/programmes", headers: .bearer(participant)) { res async throws in
                #expect(try res.content.decode([ProgrammeDTO].self).map(\.id) == [id])
            }
        }
    }

    @Test func participants_apply_withdraw_and_the_waiting_list_moves() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app, capacity: 1)
            let id = try programme.requireID()
            let coordinator = try await apiToken(app, role: .coordinator)
            let ann = try await participantToken(app, try await makePerson(app, "Ann Junior", level: 1))
            let ben = try await participantToken(app, try await makePerson(app, "Ben Junior", level: 2))
            let sam = try await participantToken(app, try await makePerson(app, "Sam Senior", level: 5))
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/application", headers: .bearer(ann)) { res async throws in
                #expect(res.status == .notFound)
            }
            // A draft with only a role, then a submission missing things: 422 naming them.
            try await app.testing().test(.PUT, "/api/v1/programmes/\(id)/application", headers: .bearerJSON(ann), body: json(#"{"role": "mentor"}"#)) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.content.decode(ApplicationDTO.self).status == .draft)
            }
            try await app.testing().test(.PUT, "/api/v1/programmes/\(id)/application?submit=true", headers: .bearerJSON(ann), body: json(#"{"role": "mentor", "goals": "Teach"}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                let problem = try JSONDecoder().decode(Problem.self, from: res.body)
                #expect(problem.fields?.contains { $0.field == "skillsOffered" } == true)
            }
            let complete = String(data: try JSONEncoder().encode(completeAnswers(.mentor)), encoding: .utf8)!
            for token in [ann, ben] {
                try await app.testing().test(.PUT, "/api/v1/programmes/\(id)/application?submit=true", headers: .bearerJSON(token), body: json(complete)) { res async throws in
                    #expect(try res.content.decode(ApplicationDTO.self).status == .submitted)
                }
            }
            try await app.testing().test(.PUT, "/api/v1/programmes/\(id)/application?submit=true", headers: .bearerJSON(sam), body: json(complete)) { res async throws in
                #expect(res.status == .unprocessableEntity)  // a level 5 cannot be a reverse mentor
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == "role")
            }
            // Participants cannot see others' applications or decide.
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/applications", headers: .bearer(ann)) { res async throws in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/actions", headers: .bearerJSON(coordinator), body: json(#"{"action": "closeEnrolment"}"#)) { res async throws in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/ranking?criteria=applicationTime", headers: .bearer(coordinator)) { res async throws in
                let counts = try res.content.decode(RankingResult.self)
                #expect(counts.selected == 1 && counts.waitlisted == 1)
            }
            var applications: [ApplicationDTO] = []
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/applications", headers: .bearer(coordinator)) { res async throws in
                applications = try res.content.decode([ApplicationDTO].self)
                #expect(!res.body.string.contains("diversity\":\""))
            }
            let annApp = try #require(applications.first { $0.applicant?.name == "Ann Junior" })
            let benApp = try #require(applications.first { $0.applicant?.name == "Ben Junior" })
            #expect(annApp.status == .selected && benApp.status == .waitlisted && benApp.waitlistPosition == 1)
            try await app.testing().test(.POST, "/api/v1/applications/\(benApp.id)/decision", headers: .bearerJSON(coordinator), body: json(#"{"status": "selected"}"#)) { res async throws in
                #expect(res.status == .conflict)
            }
            try await app.testing().test(.POST, "/api/v1/applications/\(benApp.id)/decision", headers: .bearerJSON(coordinator), body: json(#"{"motivationReview": 7}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
            }
            // Ann withdraws; Ben is promoted; the history says who decided what.
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/application/withdraw", headers: .bearer(ann)) { res async throws in
                #expect(try res.content.decode(ApplicationDTO.self).status == .withdrawn)
            }
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/application", headers: .bearer(ben)) { res async throws in
                #expect(try res.content.decode(ApplicationDTO.self).status == .selected)
            }
            try await app.testing().test(.GET, "/api/v1/applications/\(benApp.id)", headers: .bearer(coordinator)) { res async throws in
                let detail = try res.content.decode(ApplicationDetailDTO.self)
                #expect(detail.decisions.map(\.status) == [.waitlisted, .selected])
                #expect(detail.decisions.last?.decidedBy == "Upward (waiting list)")
            }
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/balance", headers: .bearer(coordinator)) { res async throws in
                let balance = try res.content.decode(Balance.self)
                #expect(balance.mentors == 1 && balance.mentees == 0)
                #expect(balance.sides.first?.selected == 1)
            }
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/ranking?criteria=nonsense", headers: .bearer(coordinator)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("is not a ranking criterion"))
            }
        }
    }

    @Test func invitations_and_run_again_over_the_api() async throws {
        try await withUpward { app in
            let programme = try await makeProgramme(app)
            let id = try programme.requireID()
            let coordinator = try await apiToken(app, role: .coordinator)
            _ = try await makePerson(app, "Ann Junior", level: 1)
            _ = try await makePerson(app, "Sam Senior", level: 5, department: "Finance")
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/invitations", headers: .bearerJSON(coordinator), body: json(#"{"department": "Finance"}"#)) { res async throws in
                #expect(try res.content.decode(InviteResult.self).invited == 1)
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/invitations", headers: .bearerJSON(coordinator), body: json(#"{"minLevel": 4, "maxLevel": 2}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
            }
            try await app.testing().test(.GET, "/api/v1/programmes/\(id)/invitations", headers: .bearer(coordinator)) { res async throws in
                #expect(try res.content.decode([InvitationDTO].self).map(\.name) == ["Sam Senior"])
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/run-again", headers: .bearer(coordinator)) { res async throws in
                #expect(res.status == .created)
                let next = try res.content.decode(ProgrammeDTO.self)
                #expect(next.round == 2 && next.previousId == id && next.status == .draft)
            }
        }
    }
}

@Suite("Programme pages")
struct ProgrammePageTests {
    @Test func a_coordinator_designs_a_programme_and_sees_each_message() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            var fields = ProgrammesWebController.fields(.defaults(for: .reverse, name: "Culture club"))
            fields["cadenceWeeks"] = "often"
            fields["enrolmentOpens"] = "2026-05-10"
            fields["enrolmentCloses"] = "2026-05-01"
            let bad = try await web.submit("/programmes/new", fields)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Cadence (weeks) must be a whole number; “often” is not."))
            #expect(bad.body.string.contains("Enrolment closes (2026-05-01) before it opens (2026-05-10)"))
            #expect(bad.body.string.contains(#"value="Culture club""#))  // what was typed stays
            #expect(try await Programme.query(on: app.db).count() == 0)
            fields["cadenceWeeks"] = "3"
            (fields["enrolmentOpens"], fields["enrolmentCloses"], fields["startsOn"], fields["endsOn"]) = (day(-1), day(9), day(10), day(90))
            let good = try await web.submit("/programmes/new", fields)
            #expect(good.status == .seeOther)
            let programme = try #require(try await Programme.query(on: app.db).first())
            #expect(programme.cadenceWeeks == 3 && programme.status == .draft)
            let page = try await web.get("/programmes/\(programme.id!.uuidString)")
            #expect(page.body.string.contains("Open enrolment"))
            let opened = try await web.submit("/programmes/\(programme.id!.uuidString)/actions", from: "/programmes/\(programme.id!.uuidString)", ["action": "openEnrolment"])
            #expect(opened.status == .seeOther)
            #expect(try await Programme.find(programme.id, on: app.db)?.status == .enrolling)
            let refused = try await web.submit("/programmes/\(programme.id!.uuidString)/actions", from: "/programmes/\(programme.id!.uuidString)", ["action": "startProgramme"])
            #expect(refused.status == .seeOther)
            let after = try await web.get("/programmes/\(programme.id!.uuidString)")
            #expect(after.body.string.contains("Not done: “Start the programme” works only on a programme in matching"))
            for sub in ["balance", "selection", "invitations", "edit"] {
                #expect(try await web.get("/programmes/\(programme.id!.uuidString)/\(sub)").status == .ok, "\(sub)")
            }
        }
    }

    @Test func participants_do_not_see_drafts_or_coordinator_pages() async throws {
        try await withUpward { app in
            let draft = try await makeProgramme(app, name: "Secret draft", enrolling: false)
            let person = try await makePerson(app, "Pat Junior", level: 1)
            try await makeUser(app, email: "pat@example.org", role: .participant, personID: person.requireID())
            let web = WebSession(app)
            _ = try await web.signIn("pat@example.org")
            #expect(try await web.get("/programmes/\(draft.id!.uuidString)").status == .notFound)
            #expect(try await web.get("/programmes/\(draft.id!.uuidString)/selection").status == .forbidden)
            #expect(!(try await web.get("/programmes").body.string.contains("Secret draft")))
        }
    }
}
