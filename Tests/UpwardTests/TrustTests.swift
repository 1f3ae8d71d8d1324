import Fluent
import Foundation
import Matching
import Testing
import VaporTesting
@testable import Upward

/// What a hostile user or a careful coordinator tries: nothing crashes, nothing is injected, nothing is
/// silently wrong. Each test names the defect it guards against.
@Suite("Trust: robustness and security")
struct TrustTests {
    @Test func huge_or_negative_page_numbers_are_refused_or_clamped_never_a_crash() async throws {
        try await withUpward { app in
            _ = try await DirectoryImporter(database: app.db, linkBase: "").run(csv: try fixture("people.csv"), dryRun: false, invite: false)
            let token = try await apiToken(app, role: .participant)
            for (query, field) in [("page=368934881474191033", "page"), ("page=0", "page"), ("page=-1", "page"), ("per=0", "per"),
                                   ("page=99999999999999999999999", "page"), ("level=abc", "level")] {
                try await app.testing().test(.GET, "/api/v1/people?\(query)", headers: .bearer(token)) { res async throws in
                    #expect(res.status == .unprocessableEntity, "\(query)")
                    #expect(res.headers.contentType == Problem.mediaType)
                    #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == field, "\(query)")
                }
            }
            // A page past the last is an empty page that says how many there are.
            try await app.testing().test(.GET, "/api/v1/people?page=1000000&per=200", headers: .bearer(token)) { res async throws in
                #expect(res.status == .ok)
                let page = try res.content.decode(PageDTO<PersonDTO>.self)
                #expect(page.items.isEmpty && page.page == 1_000_000 && page.pageCount == 1 && page.total == 10)
            }
            // The page shows the last page for a number past it.
            try await makeUser(app, email: "pat@example.org", role: .participant)
            let web = WebSession(app)
            _ = try await web.signIn("pat@example.org")
            let page = try await web.get("/directory?page=368934881474191033")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Grace Okafor"))
        }
    }

    @Test func sign_in_goes_only_to_pages_of_upward() async throws {
        try await withUpward { app in
            let routes = app.routes
            for good in ["/", "/directory", "/directory?q=grace&page=2", "/programmes/\(UUID())", "/account/tokens"] {
                #expect(AuthWebController.safeNext(good, pages: routes) == good, "\(good)")
            }
            for bad in ["//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: a=b",
                        "https://evil.example/", "/%2F/evil.example", "/%2f%2fevil.example", "/\u{0}/evil", "/nowhere", "/api/v1/me",
                        "/directory/../admin", "/%2e%2e/admin", "javascript:alert(1)", "", "/directory#x", " /directory"] {
                #expect(AuthWebController.safeNext(bad, pages: routes) == nil, "\(bad.debugDescription)")
            }
            // Through the form: a header-splitting `next` lands on the home page and sets no cookie of its own.
            try await makeUser(app, email: "pat@example.org", role: .participant)
            let web = WebSession(app)
            let page = try await web.get("/sign-in")
            let response = try await web.send(.POST, "/sign-in", form: [
                "email": "pat@example.org", "password": "correct horse battery", "csrf": WebSession.csrf(in: page.body.string),
                "next": "/\r\nSet-Cookie: planted=1",
            ])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/")
            #expect(!response.headers[.setCookie].contains { $0.contains("planted") })
        }
    }

    @Test func malformed_or_misspelt_bodies_are_refused_and_change_nothing() async throws {
        try await withUpward { app in
            _ = try await DirectoryImporter(database: app.db, linkBase: "").run(csv: try fixture("people.csv"), dryRun: false, invite: false)
            let coordinator = try await apiToken(app, role: .coordinator)
            let programme = try await makeProgramme(app)
            let id = try programme.requireID()
            // Unclosed JSON: 400. A misspelt key or a wrong type: 422 naming it. Nobody is invited.
            for (body, status, field) in [(#"{"department": "Finance""#, HTTPStatus.badRequest, nil as String?),
                                          (#"{"departmnt": "Finance"}"#, .unprocessableEntity, "departmnt"),
                                          (#"{"minLevel": "three"}"#, .unprocessableEntity, "minLevel"),
                                          (#"[1, 2]"#, .unprocessableEntity, ""),
                                          ("#", .badRequest, nil)] {
                try await app.testing().test(.POST, "/api/v1/programmes/\(id)/invitations", headers: .bearerJSON(coordinator), body: json(body)) { res async throws in
                    #expect(res.status == status, "\(body)")
                    #expect(res.headers.contentType == Problem.mediaType)
                    if let field { #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == field, "\(body)") }
                }
            }
            #expect(try await ProgrammeInvitation.query(on: app.db).count() == 0)
            // A level range nobody is in says so, instead of "already invited".
            try await app.testing().test(.POST, "/api/v1/programmes/\(id)/invitations", headers: .bearerJSON(coordinator),
                                         body: json(#"{"minLevel": 90, "maxLevel": 99}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("Nobody current in the directory is in levels 90–99 (levels there run from 1 to 7)"))
            }
            // A run started with `#` as its body is refused; no run exists.
            let (matching, _, _) = try await matchingProgramme(app)
            try await app.testing().test(.POST, "/api/v1/programmes/\(matching.requireID())/runs", headers: .bearerJSON(coordinator), body: json("#")) { res async throws in
                #expect(res.status == .badRequest)
            }
            try await app.testing().test(.POST, "/api/v1/programmes/\(matching.requireID())/runs", headers: .bearerJSON(coordinator),
                                         body: json(#"{"settings": {"stabel": true}}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
            }
            #expect(try await MatchingRun.query(on: app.db).count() == 0)
            // An absent body is the one thing that takes defaults.
            try await app.testing().test(.POST, "/api/v1/programmes/\(matching.requireID())/runs", headers: .bearer(coordinator)) { res async throws in
                #expect(res.status == .created)
            }
            // A SWOT with one part is valid.
            let junior = try await participantToken(app, try await makePerson(app, "Ann Junior", level: 1))
            try await app.testing().test(.PUT, "/api/v1/programmes/\(id)/application", headers: .bearerJSON(junior),
                                         body: json(#"{"role": "mentor", "swot": {"strengths": "patience"}}"#)) { res async throws in
                #expect(res.status == .ok)
            }
            // A 10 MB motivation is refused by a real server before it is read in full (the body limit is 1 MB)…
            try await app.testing(method: .running(port: 0)).test(.PUT, "/api/v1/programmes/\(id)/application", headers: .bearerJSON(junior),
                                         body: json(#"{"role": "mentor", "motivation": ""# + String(repeating: "a", count: 10 << 20) + #""}"#)) { res async throws in
                #expect(res.status == .payloadTooLarge)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).detail.contains("larger than Upward accepts here (1 MB)"))
            }
            // …and 6 000 characters are refused with the field named.
            try await app.testing().test(.PUT, "/api/v1/programmes/\(id)/application", headers: .bearerJSON(junior),
                                         body: json(#"{"role": "mentor", "motivation": ""# + String(repeating: "a", count: 6_000) + #""}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == "motivation")
            }
        }
    }

    @Test func an_anonymous_large_post_is_refused_without_reading_it() async throws {
        try await withUpward { app in
            // No session, so no form token: refused before the body is collected.
            let big = ByteBuffer(string: "csrf=x&email=" + String(repeating: "a", count: 60 << 20))
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            try await app.testing().test(.POST, "/sign-in", headers: headers, body: big) { res async throws in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.POST, "/forgot-password", headers: headers, body: big) { res async throws in
                #expect(res.status == .forbidden)
            }
        }
    }

    @Test func security_headers_on_pages_the_api_and_static_files() async throws {
        try await withUpward { app in
            let token = try await apiToken(app, role: .participant)
            var responses: [(String, HTTPHeaders)] = []
            try await app.testing().test(.GET, "/sign-in") { res async throws in responses.append(("page", res.headers)) }
            try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(token)) { res async throws in responses.append(("api", res.headers)) }
            try await app.testing().test(.GET, "/style.css") { res async throws in
                #expect(res.status == .ok)
                responses.append(("static", res.headers))
            }
            try await app.testing().test(.GET, "/api/v1/nowhere") { res async throws in responses.append(("error", res.headers)) }
            for (name, headers) in responses {
                let csp = headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("script-src 'none'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "\(name)")
                #expect(headers.first(name: "X-Content-Type-Options") == "nosniff", "\(name)")
                #expect(headers.first(name: "X-Frame-Options") == "DENY", "\(name)")
                #expect(headers.first(name: "Referrer-Policy") == "same-origin", "\(name)")
                #expect(headers.first(name: "Strict-Transport-Security") == nil, "\(name): not over plain HTTP")
            }
        }
    }

    @Test func https_adds_strict_transport_security() async throws {
        let app = try await Application.make(.testing)
        do {
            let scratch = try await ScratchDatabase.make()
            try await configure(app, settings: UpwardSettings(database: scratch.database, publicURL: "https://upward.example.org", bcryptCost: 4))
            try await app.testing().test(.GET, "/style.css") { res async throws in
                #expect(res.headers.first(name: "Strict-Transport-Security")?.hasPrefix("max-age=") == true)
            }
            try await app.asyncShutdown()
            try await scratch.drop()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    @Test func a_path_with_another_method_answers_405() async throws {
        try await withUpward { app in
            let token = try await apiToken(app, role: .participant)
            try await app.testing().test(.TRACE, "/api/v1/people", headers: .bearer(token)) { res async throws in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: .allow) == "GET, HEAD")
                #expect(res.headers.contentType == Problem.mediaType)
            }
            try await app.testing().test(.DELETE, "/api/v1/programmes/\(UUID())", headers: .bearer(token)) { res async throws in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: .allow) == "GET, HEAD, PATCH")
            }
            try await app.testing().test(.GET, "/api/v1/nowhere", headers: .bearer(token)) { res async throws in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func failed_sign_ins_are_slowed_per_account_and_a_reset_clears_them() async throws {
        try await withUpward { app in
            // A stopped clock: on a busy machine the first wait could run out before the check that expects it.
            app.clock = .fixed(Date())
            try await makeUser(app, email: "pat@example.org", role: .participant)
            try await makeUser(app, email: "sam@example.org", role: .participant)
            let web = WebSession(app)
            for _ in 0..<5 { #expect(try await web.signIn("pat@example.org", "wrong password").status == .unauthorized) }
            // The sixth failure shuts the door; then even the right password waits.
            #expect(try await web.signIn("pat@example.org", "wrong password").status == .unauthorized)
            let refused = try await web.signIn("pat@example.org")
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers.first(name: .retryAfter) ?? "") ?? 0 >= 1)
            #expect(refused.body.string.contains("Too many attempts. Wait"))
            // Another account is not affected.
            #expect(try await WebSession(app).signIn("sam@example.org").status == .seeOther)
            // The counters live in the database (every instance shares them), and the email's case does not matter.
            await #expect(throws: AttemptThrottle.Refusal.self) {
                try await AttemptThrottle(database: app.db, clock: app.clock).check([.signIn(account: "PAT@example.org ")])
            }
            // A completed password reset clears the account's counter.
            try await AccountService(app).requestPasswordReset(email: "pat@example.org")
            let mail = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "pat@example.org").first())
            let link = try #require(mail.body.range(of: "/reset-password/").map { String(mail.body[$0.lowerBound...].prefix { !$0.isWhitespace }) })
            let reset = WebSession(app)
            #expect(try await reset.submit(link, ["password": "a brand new password", "confirmation": "a brand new password"]).status == .seeOther)
            #expect(try await WebSession(app).signIn("pat@example.org", "a brand new password").status == .seeOther)
        }
    }

    @Test func password_reset_requests_are_limited_per_account() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "pat@example.org", role: .participant)
            let web = WebSession(app)
            for _ in 0..<3 { #expect(try await web.submit("/forgot-password", ["email": "pat@example.org"]).status == .ok) }
            let refused = try await web.submit("/forgot-password", ["email": "pat@example.org"])
            #expect(refused.status == .tooManyRequests)
            #expect(try await OutboxMessage.query(on: app.db).count() == 3)
            #expect(try await web.submit("/forgot-password", ["email": "sam@example.org"]).status == .ok)
        }
    }

    @Test func what_the_fuzzer_found_is_refused_with_the_field_named() async throws {
        try await withUpward { app in
            let coordinator = try await apiToken(app, role: .coordinator)
            let programme = try await makeProgramme(app)
            let id = try programme.requireID()
            try await submit(app, try await makePerson(app, "Ann Junior", level: 1), .mentor, to: programme)
            try await ProgrammeService(database: app.db).perform(.closeEnrolment, on: programme)
            // A repeated ranking criterion once killed the process.
            for method in [HTTPMethod.GET, .POST] {
                try await app.testing().test(method, "/api/v1/programmes/\(id)/ranking?criteria=firstTime,firstTime", headers: .bearer(coordinator)) { res async throws in
                    #expect(res.status == .unprocessableEntity)
                    #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == "criteria")
                }
            }
            for (method, path, body, field) in [
                (HTTPMethod.GET, "/api/v1/people?level=100", nil as String?, "level"),
                (.GET, "/api/v1/people?level=-5", nil, "level"),
                (.POST, "/api/v1/programmes", #"{"name": "Board check", "boardSize": -5}"#, "boardSize"),
                (.POST, "/api/v1/programmes", #"{"name": "Board check", "boardMix": {"wizard": 1}}"#, "boardMix"),
                (.PATCH, "/api/v1/programmes/\(id)", #"{"mentorEligibility": {"maxLevel": 2230195658}}"#, "mentorEligibility"),
            ] {
                try await app.testing().test(method, path, headers: .bearerJSON(coordinator), body: body.map(json)) { res async throws in
                    #expect(res.status == .unprocessableEntity, "\(path) \(body ?? "")")
                    #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == field, "\(path) \(body ?? "")")
                }
            }
            let draft = try await makeProgramme(app, name: "Draft", enrolling: false)
            try await app.testing().test(.POST, "/api/v1/programmes/\(draft.requireID())/invitations", headers: .bearerJSON(coordinator),
                                         body: json(#"{"maxLevel": 100}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == "maxLevel")
            }
            #expect(try await ProgrammeInvitation.query(on: app.db).count() == 0)
            // The import resource takes POST only, although /people/:personID also fits the path.
            try await app.testing().test(.GET, "/api/v1/people/import", headers: .bearer(coordinator)) { res async throws in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: .allow) == "POST")
            }
            // rerunOf naming no run is a field to fix, not a missing programme.
            let (matching, _, _) = try await matchingProgramme(app)
            try await app.testing().test(.POST, "/api/v1/programmes/\(matching.requireID())/runs", headers: .bearerJSON(coordinator),
                                         body: json(#"{"rerunOf": "\#(UUID())"}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == "rerunOf")
            }
        }
    }

    @Test func guessing_one_time_links_is_slowed_per_address() async throws {
        try await withUpward { app in
            let web = WebSession(app)
            for k in 0..<20 {
                let guess = try await web.submit("/reset-password/guess\(k)", from: "/forgot-password", ["password": "a new password 1", "confirmation": "a new password 1"])
                #expect(guess.status == .notFound)
            }
            #expect(try await web.submit("/reset-password/guess21", from: "/forgot-password", ["password": "a new password 1", "confirmation": "a new password 1"]).status == .notFound)
            let refused = try await web.submit("/reset-password/guess22", from: "/forgot-password", ["password": "a new password 1", "confirmation": "a new password 1"])
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers.first(name: .retryAfter) != nil)
        }
    }

    @Test func an_eligibility_nobody_in_the_directory_meets_is_a_warning() async throws {
        try await withUpward { app in
            _ = try await DirectoryImporter(database: app.db, linkBase: "").run(csv: try fixture("people.csv"), dryRun: false, invite: false)
            let coordinator = try await apiToken(app, role: .coordinator)
            try await app.testing().test(.POST, "/api/v1/programmes", headers: .bearerJSON(coordinator),
                                         body: json(#"{"name": "Too senior", "menteeEligibility": {"minLevel": 20}}"#)) { res async throws in
                #expect(res.status == .created)
                let programme = try res.content.decode(ProgrammeDTO.self)
                #expect(programme.warnings == ["Nobody in the directory is at level 20 and above (levels there run from 1 to 7), so no mentees can apply."])
            }
        }
    }

    @Test func a_nul_character_is_refused_everywhere_never_a_database_error() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "pat@example.org", role: .participant)
            let coordinator = try await apiToken(app, role: .coordinator)
            let web = WebSession(app)
            #expect(try await web.submit("/sign-in", ["email": "a\u{0}b@example.org", "password": "x"]).status == .badRequest)
            #expect(try await web.submit("/forgot-password", ["email": "a\u{0}b"]).status == .badRequest)
            try await app.testing().test(.GET, "/api/v1/people?q=a%00b", headers: .bearer(coordinator)) { res async throws in
                #expect(res.status == .badRequest)
                #expect(res.headers.contentType == Problem.mediaType)
            }
            try await app.testing().test(.POST, "/api/v1/programmes", headers: .bearerJSON(coordinator), body: json(#"{"name": "a\u0000b"}"#)) { res async throws in
                #expect(res.status == .unprocessableEntity)
                #expect(try JSONDecoder().decode(Problem.self, from: res.body).fields?.first?.field == "name")
            }
            let issues = DirectoryFile.parse("employee_id,name,email,department,level\nE1,A\u{0}B,a@example.org,X,3\n", today: UpwardClock.system.today).issues
            #expect(issues.contains { $0.column == "name" && $0.reason.contains("NUL") })
            #expect(try await Programme.query(on: app.db).count() == 0)
        }
    }

    @Test func participants_do_not_see_leavers_in_reporting_lines() async throws {
        try await withUpward { app in
            let boss = try await makePerson(app, "Gone Boss", level: 5, leave: "2020-01-01")
            let report = try await makePerson(app, "Ann Report", level: 2)
            report.managerExternalID = boss.externalID
            try await report.save(on: app.db)
            let participant = try await apiToken(app, role: .participant)
            try await app.testing().test(.GET, "/api/v1/people/\(report.requireID())", headers: .bearer(participant)) { res async throws in
                #expect(try res.content.decode(PersonDetailDTO.self).managers.isEmpty)
                #expect(!res.body.string.contains("Gone Boss"))
            }
            let coordinator = try await apiToken(app, role: .coordinator)
            try await app.testing().test(.GET, "/api/v1/people/\(report.requireID())", headers: .bearer(coordinator)) { res async throws in
                #expect(try res.content.decode(PersonDetailDTO.self).managers.map(\.name) == ["Gone Boss"])
            }
        }
    }
}
