import Fluent
import Testing
import VaporTesting
@testable import Upward

@Suite("JSON API")
struct APITests {
    @Test func without_a_token_the_api_answers_problem_json() async throws {
        try await withUpward { app in
            try await app.testing().test(.GET, "/api/v1/people") { res async throws in
                #expect(res.status == .unauthorized)
                #expect(res.headers.contentType == Problem.mediaType)
                let problem = try JSONDecoder().decode(Problem.self, from: res.body)
                #expect(problem.statusCode == 401)
                #expect(problem.detail == "Sign in first.")
            }
            try await app.testing().test(.GET, "/api/v1/people", headers: .bearer("upw_made_up")) { res async throws in
                #expect(res.status == .unauthorized)
            }
        }
    }

    @Test func people_search_and_detail() async throws {
        try await withUpward { app in
            _ = try await DirectoryImporter(database: app.db, linkBase: "").run(csv: try fixture("people.csv"), dryRun: false, invite: false)
            let token = try await apiToken(app, role: .participant)
            try await app.testing().test(.GET, "/api/v1/people?department=Engineering&per=2&page=2", headers: .bearer(token)) { res async throws in
                #expect(res.status == .ok)
                let page = try res.content.decode(PageDTO<PersonDTO>.self)
                #expect(page.total == 4 && page.pageCount == 2 && page.items.count == 2)
                #expect(page.items.map(\.employeeID) == ["E003", "E004"])  // Priya Patel, Sami Haddad
            }
            let noor = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E005").first())
            try await app.testing().test(.GET, "/api/v1/people/\(noor.requireID())", headers: .bearer(token)) { res async throws in
                let detail = try res.content.decode(PersonDetailDTO.self)
                #expect(detail.managers.map(\.employeeID) == ["E003", "E002", "E001"])
                #expect(!res.body.string.contains("2002"))      // birth year never leaves
                #expect(!res.body.string.contains("woman"))     // nor diversity data
            }
            try await app.testing().test(.GET, "/api/v1/people/\(UUID())", headers: .bearer(token)) { res async throws in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType == Problem.mediaType)
            }
            try await app.testing().test(.GET, "/api/v1/people?per=5000", headers: .bearer(token)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("per must be between 1 and 200"))
            }
            try await app.testing().test(.GET, "/api/v1/departments", headers: .bearer(token)) { res async throws in
                let departments = try res.content.decode([DirectoryService.DepartmentCount].self)
                #expect(departments.first { $0.name == "Finance" }?.people == 2)
            }
        }
    }

    @Test func import_reports_rows_as_problem_json_and_changes_nothing() async throws {
        try await withUpward { app in
            let token = try await apiToken(app, role: .coordinator)
            var headers = HTTPHeaders.bearer(token)
            headers.contentType = HTTPMediaType(type: "text", subType: "csv")
            try await app.testing().test(.POST, "/api/v1/people/import", headers: headers, body: ByteBuffer(string: try fixture("people-errors.csv"))) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(res.headers.contentType == Problem.mediaType)
                let problem = try JSONDecoder().decode(Problem.self, from: res.body)
                #expect(problem.errors?.count == 9)
                #expect(problem.errors?.contains { $0.row == 3 && $0.column == "level" } == true)
                #expect(problem.detail.contains("nothing was imported"))
            }
            #expect(try await Person.query(on: app.db).count() == 0)
            try await app.testing().test(.POST, "/api/v1/people/import?dryRun=true", headers: headers, body: ByteBuffer(string: try fixture("people.csv"))) { res async throws in
                #expect(res.status == .ok)
                #expect(try res.content.decode(ImportSummary.self).created == 10)
            }
            #expect(try await Person.query(on: app.db).count() == 0)
            try await app.testing().test(.POST, "/api/v1/people/import", headers: headers, body: ByteBuffer(string: try fixture("people.csv"))) { res async throws in
                #expect(res.status == .created)
                let summary = try res.content.decode(ImportSummary.self)
                #expect(summary.created == 10 && summary.invited == 10)
            }
            #expect(try await Person.query(on: app.db).count() == 10)
        }
    }

    @Test func roles_are_enforced_on_every_api_route() async throws {
        try await withUpward { app in
            let participant = try await apiToken(app, role: .participant)
            let sponsor = try await apiToken(app, role: .sponsor)
            try await app.testing().test(.POST, "/api/v1/people/import", headers: .bearer(participant), body: ByteBuffer(string: "x")) { res async throws in
                #expect(res.status == .forbidden)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("admins and coordinators only"))
            }
            try await app.testing().test(.GET, "/api/v1/people", headers: .bearer(sponsor)) { res async throws in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.GET, "/api/v1/users", headers: .bearer(participant)) { res async throws in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.GET, "/api/v1/outbox", headers: .bearer(sponsor)) { res async throws in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(sponsor)) { res async throws in
                #expect(try res.content.decode(UserDTO.self).role == .sponsor)
            }
        }
    }

    @Test func tokens_are_stored_hashed_listed_and_revoked() async throws {
        try await withUpward { app in
            let token = try await apiToken(app, role: .participant, email: "pat@example.org")
            var created: CreatedAPITokenDTO?
            try await app.testing().test(.POST, "/api/v1/tokens", headers: .bearer(token), beforeRequest: { req in
                try req.content.encode(CreateAPITokenRequest(name: "nightly export"))
            }) { res async throws in
                #expect(res.status == .created)
                created = try res.content.decode(CreatedAPITokenDTO.self)
            }
            let secret = try #require(created?.secret)
            #expect(try await APIToken.query(on: app.db).filter(\.$tokenHash == secret).count() == 0)  // never stored in clear
            try await app.testing().test(.GET, "/api/v1/tokens", headers: .bearer(secret)) { res async throws in
                #expect(try res.content.decode([APITokenDTO].self).count == 2)
                #expect(!res.body.string.contains(secret))
            }
            try await app.testing().test(.POST, "/api/v1/tokens", headers: .bearer(token), beforeRequest: { req in
                try req.content.encode(["name": ""])
            }) { res async throws in
                #expect(res.status == .unprocessableEntity)
            }
            try await app.testing().test(.DELETE, "/api/v1/tokens/\(try #require(created?.token.id))", headers: .bearer(token)) { res async throws in
                #expect(res.status == .noContent)
            }
            try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(secret)) { res async throws in
                #expect(res.status == .unauthorized)
            }
            // Someone else's token cannot be revoked.
            let other = try await apiToken(app, role: .participant)
            let mine = try #require(try await APIToken.query(on: app.db).join(User.self, on: \APIToken.$user.$id == \User.$id).filter(User.self, \.$email == "pat@example.org").first())
            try await app.testing().test(.DELETE, "/api/v1/tokens/\(mine.requireID())", headers: .bearer(other)) { res async throws in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func admins_change_roles_and_the_last_admin_stays() async throws {
        try await withUpward { app in
            let token = try await apiToken(app, role: .admin, email: "admin@example.org")
            let pat = try await makeUser(app, email: "pat@example.org", role: .participant)
            try await app.testing().test(.PATCH, "/api/v1/users/\(pat.requireID())", headers: .bearer(token), beforeRequest: { req in
                try req.content.encode(UpdateUserRequest(role: .coordinator))
            }) { res async throws in
                #expect(try res.content.decode(UserDTO.self).role == .coordinator)
            }
            let admin = try #require(try await User.query(on: app.db).filter(\.$email == "admin@example.org").first())
            try await app.testing().test(.PATCH, "/api/v1/users/\(admin.requireID())", headers: .bearer(token), beforeRequest: { req in
                try req.content.encode(UpdateUserRequest(role: .sponsor))
            }) { res async throws in
                #expect(res.status == .conflict)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("last admin"))
            }
            try await app.testing().test(.PATCH, "/api/v1/users/\(pat.requireID())", headers: .bearer(token), beforeRequest: { req in
                try req.content.encode(["role": "emperor"])
            }) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("admin, coordinator, participant, sponsor"))
            }
        }
    }

    @Test func the_outbox_holds_invitations_for_admins() async throws {
        // (Searched and filtered in `MailDeliveryTests`.)
        try await withUpward { app in
            _ = try await DirectoryImporter(database: app.db, linkBase: "http://x").run(csv: try fixture("people.csv"), dryRun: false)
            let token = try await apiToken(app, role: .admin)
            try await app.testing().test(.GET, "/api/v1/outbox", headers: .bearer(token)) { res async throws in
                let page = try res.content.decode(PageDTO<OutboxMessageDTO>.self)
                #expect(page.total == 10 && page.items.count == 10)
                // Written by a raw insert in the import's transaction: pending, with a Message-ID made from the row's id.
                #expect(page.items.allSatisfy { $0.subject == "You are invited to Upward" && $0.status == .pending && $0.messageId.hasSuffix("@upward>") })
            }
        }
    }

    @Test func health_reports_the_database() async throws {
        try await withUpward { app in
            try await app.testing().test(.GET, "/health") { res async throws in
                #expect(res.status == .ok)
                let health = try res.content.decode(SystemController.Health.self)
                #expect(health.status == "ok")
                #expect(health.database.status == "up")
                #expect(health.database.pendingMigrations == 0)
                #expect(health.database.driver == (testingOnPostgres ? "postgresql" : "sqlite"))
            }
        }
    }
}
