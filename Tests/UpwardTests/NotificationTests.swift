import Fluent
import Foundation
import SMTP
import Testing
import VaporTesting
@testable import Upward

/// Each person chooses how each kind of message reaches them; essential ones always go by email; every message but
/// account mail is under the bell; one-click unsubscribe works without signing in and only on a POST.
@Suite("Notifications and preferences")
struct NotificationTests {
    /// A participant with an account, and a letter of `kind` for them.
    func participant(_ app: Application, _ name: String = "Ada Lovelace") async throws -> (Person, User) {
        let person = try await makePerson(app, name, level: 2)
        let user = try await makeUser(app, email: person.email, role: .participant, personID: person.id)
        return (person, user)
    }

    func letter(_ kind: NotificationKind, _ subject: String = "Something happened") -> Letter {
        Letter(kind: kind, subject: subject, body: "Hello,\n\nRead it here: http://127.0.0.1:8080/programmes", path: "/programmes")
    }

    @Test func each_kind_goes_as_the_person_chose_and_essential_ones_always_by_email() async throws {
        try await withUpward { app in
            let (person, user) = try await participant(app)
            let userID = try user.requireID()
            let service = NotificationService(database: app.db, clock: app.clock)
            try await service.setPreferences(for: userID, [.programmeInvitation: .daily, .meetingReminder: .weekly, .checkInDue: .inApp])
            let notifier = Notifier(database: app.db, clock: app.clock)
            let recipient = try await Notifier.recipient(person, on: app.db)
            #expect(recipient.user?.id == userID)
            for kind in [NotificationKind.programmeInvitation, .meetingReminder, .checkInDue, .pairingUpdate, .consentRequest, .passwordReset] {
                try await notifier.send(letter(kind, kind.rawValue), to: recipient)
            }
            // By email now: the two left at the default, and the two essential ones.
            let mailed = try await OutboxMessage.query(on: app.db).all()
            #expect(Set(mailed.map(\.subject)) == ["pairing.status", "match.consent", "account.reset"])
            #expect(mailed.allSatisfy { $0.recipient == person.email })
            // Only the one that may be stopped says how; an essential one never offers to stop it.
            #expect(mailed.first { $0.subject == "pairing.status" }?.unsubscribePath?.hasPrefix("/unsubscribe/") == true)
            #expect(mailed.filter { $0.subject != "pairing.status" }.allSatisfy { $0.unsubscribePath == nil })
            // Under the bell: all but the account message, the digests' ones waiting for their digest.
            let notes = try await AppNotification.query(on: app.db).filter(\.$user.$id == userID).all()
            #expect(Set(notes.map(\.kind)) == [.programmeInvitation, .meetingReminder, .checkInDue, .pairingUpdate, .consentRequest])
            #expect(notes.first { $0.kind == .programmeInvitation }?.digest == .daily)
            #expect(notes.first { $0.kind == .meetingReminder }?.digest == .weekly)
            #expect(notes.filter { ![.programmeInvitation, .meetingReminder].contains($0.kind) }.allSatisfy { $0.digest == nil })
            #expect(try await service.unreadCount(for: userID) == 5)
            // A reminder with a key goes once.
            #expect(try await notifier.send(letter(.meetingReminder), to: recipient, dedupeKey: "r:1"))
            #expect(try await notifier.send(letter(.meetingReminder), to: recipient, dedupeKey: "r:1") == false)
            // Someone without an account still gets the mail, with a one-click address of their own that stops that kind.
            let guest = Recipient(email: "guest@example.org", name: "Guest", user: nil)
            try await notifier.send(letter(.programmeInvitation, "no account"), to: guest)
            let first = try #require(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "guest@example.org").first())
            let path = try #require(first.unsubscribePath)
            let done = try await app.testing().sendRequest(.POST, path)
            #expect(done.status == .ok && done.body.string.contains("no longer emails guest@example.org") && !done.body.string.contains("Notifications when"))
            #expect(try await notifier.send(letter(.programmeInvitation, "stopped"), to: guest) == false)
            try await notifier.send(letter(.passwordReset, "essential"), to: guest)
            #expect(try await OutboxMessage.query(on: app.db).filter(\.$recipient == "guest@example.org").count() == 2)
        }
    }

    @Test func an_essential_kind_or_an_impossible_way_is_refused_and_nothing_changes() async throws {
        try await withUpward { app in
            let (_, user) = try await participant(app)
            let userID = try user.requireID()
            let service = NotificationService(database: app.db, clock: app.clock)
            try await service.setPreferences(for: userID, [.checkInDue: .daily])
            await #expect(throws: InvalidInput.self) {
                try await service.setPreferences(for: userID, [.checkInDue: .weekly, .passwordReset: .inApp])
            }
            await #expect(throws: InvalidInput.self) {
                try await service.setPreferences(for: userID, [.coordinatorDigest: .daily])
            }
            let choices = try await service.preferences(for: userID)
            #expect(choices.first { $0.kind == .checkInDue }?.delivery == .daily)
            #expect(!choices.contains { $0.kind.isEssential })
        }
    }

    @Test func one_click_unsubscribe_works_without_signing_in_and_only_on_a_post() async throws {
        try await withUpward { app in
            let (person, user) = try await participant(app)
            try await Notifier(database: app.db, clock: app.clock).send(letter(.programmeInvitation), to: try await Notifier.recipient(person, on: app.db))
            let path = try #require(try await OutboxMessage.query(on: app.db).first()?.unsubscribePath)
            // Opening the link (a mail scanner does) changes nothing.
            let page = try await app.testing().sendRequest(.GET, path)
            #expect(page.status == .ok && page.body.string.contains("Stop these emails?"))
            let service = NotificationService(database: app.db, clock: app.clock)
            #expect(try await service.preferences(for: user.requireID()).first { $0.kind == .programmeInvitation }?.delivery == .email)
            // The mail application's one-click POST (RFC 8058), no cookie and no form token.
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let done = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(done.status == .ok && done.body.string.contains("You are unsubscribed"))
            #expect(try await service.preferences(for: user.requireID()).first { $0.kind == .programmeInvitation }?.delivery == .inApp)
            // The next one stays under the bell.
            try await Notifier(database: app.db, clock: app.clock).send(letter(.programmeInvitation), to: try await Notifier.recipient(person, on: app.db))
            #expect(try await OutboxMessage.query(on: app.db).count() == 1)
            #expect(try await AppNotification.query(on: app.db).count() == 2)
            // A wrong key, or an essential kind, is not an unsubscribe address.
            let token = try #require(try await User.find(user.id, on: app.db)?.unsubscribeToken)
            for bad in ["/unsubscribe/nope/programme.invitation", "/unsubscribe/\(token)/account.reset", "/unsubscribe/\(token)/match.consent"] {
                #expect(try await app.testing().sendRequest(.POST, bad).status == .notFound)
            }
        }
    }

    @Test func a_message_that_may_be_stopped_carries_one_click_unsubscribe_and_an_invitation_its_calendar() async throws {
        try await withUpward { app in
            let (person, _) = try await participant(app)
            var invitation = letter(.meetingChange, "Meeting planned")
            invitation.calendar = .init(method: "REQUEST", ics: "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n")
            try await Notifier(database: app.db, clock: app.clock).send(invitation, to: try await Notifier.recipient(person, on: app.db))
            let message = try #require(try await OutboxMessage.query(on: app.db).first())
            var delivery = MailDelivery(database: app.db, clock: app.clock, smtp: SMTPConfiguration(host: "127.0.0.1", port: 1, security: .none),
                                        from: .init(name: "Upward", email: "upward@example.org"))
            delivery.publicURL = "https://upward.example.org"
            let text = try delivery.envelope(for: message).message
            #expect(text.contains("List-Unsubscribe: <https://upward.example.org/unsubscribe/"))
            #expect(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
            #expect(text.contains("text/calendar; charset=utf-8; method=REQUEST"))
        }
    }

    @Test func the_bell_counts_unread_and_the_pages_and_api_read_and_choose() async throws {
        try await withUpward { app in
            let (person, user) = try await participant(app)
            let recipient = try await Notifier.recipient(person, on: app.db)
            for n in 1...3 { try await Notifier(database: app.db, clock: app.clock).send(letter(.pairingUpdate, "Update \(n)"), to: recipient) }
            let web = WebSession(app)
            _ = try await web.signIn(user.email)
            let home = try await web.get("/")
            #expect(home.body.string.contains("Notifications, 3 unread"))
            let list = try await web.get("/notifications")
            #expect(list.body.string.contains("Update 3") && list.body.string.contains("3 unread"))
            // Opening one goes to its own page, whatever address the form might be made to carry.
            let first = try #require(try await AppNotification.query(on: app.db).first())
            let opened = try await web.submit("/notifications/read", from: "/notifications",
                                              ["id": try first.requireID().uuidString, "open": "https://evil.example/"])
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == "/programmes")
            #expect(try await web.submit("/notifications/read", from: "/notifications", [:]).status == .seeOther)
            #expect(try await web.get("/").body.string.contains("Notifications, none unread"))
            // Choices on the page.
            let saved = try await web.submit("/account/notifications", ["checkin.due": "weekly", "meeting.reminder": "in-app"])
            #expect(saved.status == .seeOther)
            let page = try await web.get("/account/notifications")
            #expect(page.body.string.contains(#"id="checkin-due-weekly" name="checkin.due" value="weekly" checked"#))
            // The API: strict, naming the field.
            let token = try await AccountService(app).createAPIToken(for: user, name: "t").1
            let listed = try await app.testing().sendRequest(.GET, "/api/v1/notifications?per=2", headers: .bearer(token))
            let dto = try listed.content.decode(NotificationPageDTO.self)
            #expect(dto.total == 3 && dto.items.count == 2 && dto.unread == 0 && dto.pageCount == 2)
            var json = HTTPHeaders.bearer(token)
            json.contentType = .json
            let bad = try await app.testing().sendRequest(.PATCH, "/api/v1/notification-preferences", headers: json,
                                                          body: ByteBuffer(string: #"{"preferences": {"checkin.due": "hourly", "account.reset": "in-app"}}"#))
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("preferences.checkin.due") && bad.body.string.contains("preferences.account.reset"))
            let good = try await app.testing().sendRequest(.PATCH, "/api/v1/notification-preferences", headers: json,
                                                           body: ByteBuffer(string: #"{"preferences": {"checkin.due": "daily"}}"#))
            #expect(good.status == .ok)
            #expect(try good.content.decode([NotificationPreferenceDTO].self).first { $0.kind == "checkin.due" }?.delivery == "daily")
        }
    }

    @Test func admins_cannot_read_live_sign_in_links_while_mail_is_delivered() async throws {
        try await withUpward { app in
            let user = try await makeUser(app, email: "reset-me@example.org", role: .participant)
            try await AccountService(app).requestPasswordReset(email: user.email)
            let reset = try #require(try await OutboxMessage.query(on: app.db).first())
            #expect(reset.kind == NotificationKind.passwordReset.rawValue && reset.body.contains("/reset-password/"))
            // Without a mail server the admin forwards it by hand, so reads it; with one, the link is withheld.
            #expect(reset.bodyForAdmins(mailIsDelivered: false).contains("/reset-password/"))
            #expect(!reset.bodyForAdmins(mailIsDelivered: true).contains("/reset-password/"))
            let other = Notifier.outbox(letter(.pairingUpdate), to: "x@example.org", unsubscribe: nil)
            #expect(other.bodyForAdmins(mailIsDelivered: true) == other.body)
        }
    }
}
