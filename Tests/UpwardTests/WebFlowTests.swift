import Fluent
import Testing
import VaporTesting
@testable import Upward

@Suite("Pages: accounts, sessions, roles")
struct WebFlowTests {
    @Test func first_admin_needs_the_one_time_link_and_only_works_once() async throws {
        try await withUpward { app in
            let link = try #require(try await AccountService(app).firstAdminLink())
            let path = String(link.dropFirst(app.upward.publicURL.count))
            let web = WebSession(app)
            #expect(try await web.get("/setup/not-the-token").status == .notFound)
            let weak = try await web.submit(path, ["name": "Ada", "email": "ada@example.org", "password": "short", "confirmation": "short"])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.body.string.contains("Use at least 10 characters."))
            let made = try await web.submit(path, ["name": "Ada Admin", "email": "ada@example.org", "password": "a long enough password", "confirmation": "a long enough password"])
            #expect(made.status == .seeOther)
            let home = try await web.get("/")
            #expect(home.status == .ok)
            #expect(home.body.string.contains("You are the first admin"))
            let admin = try #require(try await User.query(on: app.db).first())
            #expect(admin.role == .admin)
            // The link is spent, and no new one is issued once an account exists.
            #expect(try await WebSession(app).get(path).status == .notFound)
            #expect(try await AccountService(app).firstAdminLink() == nil)
        }
    }

    @Test func sign_in_uses_a_database_session_with_safe_cookie_flags() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            let wrong = try await web.signIn("coord@example.org", "wrong password!")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("do not match an active account"))
            let right = try await web.signIn("COORD@example.org")
            #expect(right.status == .seeOther)
            let cookie = try #require(web.lastSetCookie)
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(try await SessionRecord.query(on: app.db).count() >= 1)
            #expect(try await web.get("/directory").status == .ok)
            // Signing out ends the session.
            #expect(try await web.submit("/sign-out", from: "/", [:]).status == .seeOther)
            #expect(try await web.get("/directory").status == .seeOther)
        }
    }

    @Test func a_form_without_the_csrf_token_is_refused() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            let forged = try await web.send(.POST, "/account/tokens", form: ["name": "stolen"])
            #expect(forged.status == .forbidden)
            #expect(forged.body.string.contains("reload the page"))
            #expect(try await APIToken.query(on: app.db).count() == 0)
            let forgedSignIn = try await WebSession(app).send(.POST, "/sign-in", form: ["email": "coord@example.org", "password": "correct horse battery"])
            #expect(forgedSignIn.status == .forbidden)
        }
    }

    @Test func pages_are_enforced_by_role() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "pat@example.org", role: .participant)
            try await makeUser(app, email: "spo@example.org", role: .sponsor)
            let participant = WebSession(app)
            _ = try await participant.signIn("pat@example.org")
            #expect(try await participant.get("/directory").status == .ok)
            #expect(try await participant.get("/directory/import").status == .forbidden)
            #expect(try await participant.get("/admin/users").status == .forbidden)
            let sponsor = WebSession(app)
            _ = try await sponsor.signIn("spo@example.org")
            let refused = try await sponsor.get("/directory")
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("you are signed in as a sponsor"))
            #expect(try await sponsor.get("/").status == .ok)
            let anonymous = try await WebSession(app).get("/admin/outbox")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers.first(name: .location) == "/sign-in?next=/admin/outbox")
        }
    }

    @Test func password_reset_link_works_once_and_ends_other_sessions() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "pat@example.org", role: .participant)
            let other = WebSession(app)
            _ = try await other.signIn("pat@example.org")
            #expect(try await other.get("/account").status == .ok)
            let web = WebSession(app)
            let asked = try await web.submit("/forgot-password", ["email": "pat@example.org"])
            #expect(asked.body.string.contains("a reset link is on its way"))
            // Unknown emails get the same answer and no message.
            _ = try await web.submit("/forgot-password", ["email": "nobody@example.org"])
            let messages = try await OutboxMessage.query(on: app.db).all()
            #expect(messages.count == 1)
            let link = try #require(messages.first?.body.split(separator: "\n").first { $0.contains("/reset-password/") })
            let path = String(link.trimmingCharacters(in: .whitespaces).dropFirst(app.upward.publicURL.count))
            let reset = try await web.submit(path, ["password": "a brand new password", "confirmation": "a brand new password"])
            #expect(reset.status == .seeOther)
            #expect(try await other.get("/account").status == .seeOther)  // the old session ended
            #expect(try await WebSession(app).signIn("pat@example.org", "a brand new password").status == .seeOther)
            let again = try await WebSession(app).get(path)
            #expect(again.status == .notFound)
            #expect(again.body.string.contains("not valid any more"))
        }
    }

    @Test func an_expired_reset_link_is_refused() async throws {
        try await withUpward { app in
            let user = try await makeUser(app, email: "pat@example.org", role: .participant)
            let token = Secrets.newToken()
            try await OneTimeToken(purpose: .passwordReset, tokenHash: Secrets.digest(token), userID: user.id,
                                   expiresAt: Date().addingTimeInterval(-1)).create(on: app.db)
            #expect(try await WebSession(app).get("/reset-password/\(token)").status == .notFound)
            #expect(try await AccountService(app).redeem(token: token, purpose: .passwordReset, password: "whatever long") == nil)
        }
    }

    @Test func an_invitation_sets_the_password_and_signs_in_once() async throws {
        try await withUpward { app in
            _ = try await DirectoryImporter(database: app.db, linkBase: app.upward.publicURL).run(csv: try fixture("people.csv"), dryRun: false)
            let message = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "sami.haddad@example.org").first())
            let link = try #require(message.body.split(separator: "\n").first { $0.contains("/invitation/") })
            let path = String(link.trimmingCharacters(in: .whitespaces).dropFirst(app.upward.publicURL.count))
            let web = WebSession(app)
            let form = try await web.get(path)
            #expect(form.body.string.contains("sami.haddad@example.org"))
            let mismatch = try await web.submit(path, ["password": "one long password", "confirmation": "another long one"])
            #expect(mismatch.body.string.contains("The two passwords differ"))
            #expect(try await web.submit(path, ["password": "one long password", "confirmation": "one long password"]).status == .seeOther)
            let home = try await web.get("/")
            #expect(home.body.string.contains("Hello, Sami"))
            #expect(home.body.string.contains("Reports to"))
            #expect(try await WebSession(app).get(path).status == .notFound)
        }
    }

    @Test func concurrent_redemptions_of_one_link_leave_exactly_one_winner() async throws {
        try await withUpward { app in
            let user = try await makeUser(app, email: "pat@example.org", role: .participant)
            let token = Secrets.newToken()
            try await OneTimeToken(purpose: .invitation, tokenHash: Secrets.digest(token), userID: user.id,
                                   expiresAt: Date().addingTimeInterval(600)).create(on: app.db)
            let service = AccountService(app)
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<6 {
                    group.addTask { try await service.redeem(token: token, purpose: .invitation, password: "password number \(i)") != nil }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
        }
    }

    @Test func coordinators_import_through_the_page_and_see_every_problem() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "coord@example.org", role: .coordinator)
            let web = WebSession(app)
            _ = try await web.signIn("coord@example.org")
            let bad = try await web.upload("/directory/import", file: try fixture("people-errors.csv"), named: "hr.csv", fields: ["mode": "apply", "invite": "on"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("9 problems in hr.csv: nothing was imported"))
            #expect(bad.body.string.contains("&#39;senior&#39; is not a whole number") || bad.body.string.contains("'senior' is not a whole number"))
            #expect(try await Person.query(on: app.db).count() == 0)
            let preview = try await web.upload("/directory/import", file: try fixture("people.csv"), named: "hr.csv", fields: ["mode": "preview"])
            #expect(preview.body.string.contains("Preview of hr.csv: nothing saved yet"))
            #expect(try await Person.query(on: app.db).count() == 0)
            let done = try await web.upload("/directory/import", file: try fixture("people.csv"), named: "hr.csv", fields: ["mode": "apply", "invite": "on"])
            #expect(done.status == .ok)
            #expect(done.body.string.contains("Imported hr.csv"))
            #expect(try await Person.query(on: app.db).count() == 10)
            let found = try await web.get("/directory?q=noor")
            #expect(found.body.string.contains("Noor Khan"))
            #expect(found.body.string.contains("1 person found"))
        }
    }

    @Test func a_person_page_shows_the_reporting_line_without_private_data() async throws {
        try await withUpward { app in
            _ = try await DirectoryImporter(database: app.db, linkBase: "").run(csv: try fixture("people.csv"), dryRun: false, invite: false)
            try await makeUser(app, email: "pat@example.org", role: .participant)
            let web = WebSession(app)
            _ = try await web.signIn("pat@example.org")
            let priya = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E003").first())
            let page = try await web.get("/directory/people/\(priya.requireID())").body.string
            #expect(page.contains("Grace Okafor") && page.contains("Hugo Schmidt"))   // up
            #expect(page.contains("Sami Haddad") && page.contains("Noor Khan"))      // down
            #expect(!page.contains("1985"))     // birth year
            #expect(!page.contains("woman"))    // diversity
            #expect(!page.contains("2016-01-10"))  // employment dates are for coordinators
        }
    }

    @Test func api_tokens_are_created_shown_once_and_revoked_from_the_page() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "pat@example.org", role: .participant)
            let web = WebSession(app)
            _ = try await web.signIn("pat@example.org")
            let empty = try await web.submit("/account/tokens", ["name": "  "])
            #expect(empty.status == .unprocessableEntity)
            let created = try await web.submit("/account/tokens", ["name": "my script"])
            #expect(created.status == .created)
            let html = created.body.string
            let secret = try #require(html.range(of: #"<code id="new-token">"#).map { String(html[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(secret.hasPrefix("upw_"))
            try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(secret)) { res async throws in
                #expect(res.status == .ok)
            }
            let listing = try await web.get("/account/tokens").body.string
            #expect(!listing.contains(secret))
            let token = try #require(try await APIToken.query(on: app.db).first())
            // Revoking asks first, and changes nothing until confirmed.
            let asked = try await web.submit("/account/tokens/\(token.requireID())/revoke", from: "/account/tokens", [:])
            #expect(asked.status == .ok && asked.body.string.contains("Revoke the token"))
            #expect(try await APIToken.query(on: app.db).count() == 1)
            #expect(try await web.submit("/account/tokens/\(token.requireID())/revoke", from: "/account/tokens", ["confirmed": "yes"]).status == .seeOther)
            try await app.testing().test(.GET, "/api/v1/me", headers: .bearer(secret)) { res async throws in
                #expect(res.status == .unauthorized)
            }
        }
    }

    @Test func changing_the_password_checks_the_current_one() async throws {
        try await withUpward { app in
            try await makeUser(app, email: "pat@example.org", role: .participant)
            let web = WebSession(app)
            _ = try await web.signIn("pat@example.org")
            let wrong = try await web.submit("/account/password", from: "/account", ["current": "nope", "password": "new password 123", "confirmation": "new password 123"])
            #expect(wrong.body.string.contains("That is not your current password."))
            let right = try await web.submit("/account/password", from: "/account", ["current": "correct horse battery", "password": "new password 123", "confirmation": "new password 123"])
            #expect(right.status == .seeOther)
            #expect(try await web.get("/account").status == .ok)  // this session goes on
            #expect(try await WebSession(app).signIn("pat@example.org", "new password 123").status == .seeOther)
        }
    }

    @Test func admins_change_roles_but_never_remove_the_last_admin() async throws {
        try await withUpward { app in
            let admin = try await makeUser(app, email: "admin@example.org", role: .admin)
            let pat = try await makeUser(app, email: "pat@example.org", role: .participant)
            let web = WebSession(app)
            _ = try await web.signIn("admin@example.org")
            _ = try await web.submit("/admin/users/\(pat.requireID())/role", from: "/admin/users", ["role": "coordinator"])
            #expect(try await User.find(pat.id, on: app.db)?.role == .coordinator)
            let refused = try await web.submit("/admin/users/\(admin.requireID())/role", from: "/admin/users", ["role": "participant"])
            #expect(refused.status == .seeOther)
            #expect(try await User.find(admin.id, on: app.db)?.role == .admin)
            let page = try await web.get("/admin/users").body.string
            #expect(page.contains("is the last admin"), "\(page)")
        }
    }

    @Test func sponsors_see_only_departments_of_five_or_more() async throws {
        try await withUpward { app in
            // Engineering has five people, Finance two, the Executive Office one.
            _ = try await DirectoryImporter(database: app.db, linkBase: "").run(csv: try fixture("departments-by-size.csv"), dryRun: false, invite: false)
            try await makeUser(app, email: "spo@example.org", role: .sponsor)
            let web = WebSession(app)
            _ = try await web.signIn("spo@example.org")
            let home = try await web.get("/").body.string
            #expect(home.contains("Engineering"))
            #expect(!home.contains("Executive Office"))
            #expect(!home.contains("Finance"))
            #expect(home.contains("2 smaller departments are left out"))
        }
    }

    @Test func unknown_pages_say_so_plainly() async throws {
        try await withUpward { app in
            let page = try await WebSession(app).get("/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.body.string.contains("Not Found"))
        }
    }
}

@Suite("Every page renders")
struct EveryPageTests {
    @Test(arguments: Role.allCases)
    func every_navigation_page_opens_for_its_role(role: Role) async throws {
        try await withUpward { app in
            _ = try await DirectoryImporter(database: app.db, linkBase: "http://x").run(csv: try fixture("people.csv"), dryRun: false)
            let noor = try #require(try await Person.query(on: app.db).filter(\.$externalID == "E005").first())
            try await makeUser(app, email: "someone@example.org", role: role, personID: noor.id)
            let web = WebSession(app)
            _ = try await web.signIn("someone@example.org")
            let home = try await web.get("/")
            #expect(home.status == .ok)
            let links = Navigation.links(for: role, currentPath: "/")
            #expect(!links.isEmpty)
            for link in links + [.init(label: "tokens", href: "/account/tokens", current: false)] {
                let page = try await web.get(link.href)
                #expect(page.status == .ok, "\(role) \(link.href): \(page.status)")
                #expect(page.body.string.contains("</main>"), "\(link.href) rendered completely")
            }
            if role != .sponsor {
                #expect(try await web.get("/directory/people/\(noor.requireID())").status == .ok)
                #expect(try await web.get("/directory?q=a&department=Engineering&level=1&leavers=on&page=2").status == .ok)
            }
        }
    }
}
