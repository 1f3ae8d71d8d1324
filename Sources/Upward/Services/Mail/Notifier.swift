import Fluent
import Foundation
import SMTP
import SQLKit
import Vapor

/// One message before it knows how it travels: what it is about, its words, and the page it points to.
struct Letter: Sendable {
    var kind: NotificationKind
    var subject: String
    /// Plain text, with absolute links; the HTML version is made from it when it is sent.
    var body: String
    /// The page in Upward it is about (a path), for the in-app copy.
    var path: String? = nil
    /// A meeting invitation or cancellation that travels with the mail.
    var calendar: MailMessage.Calendar? = nil

    /// The path of an absolute link to a page in Upward.
    static func path(of link: String) -> String? {
        URLComponents(string: link).map(\.path).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Who a letter is for: their address and, when they have an account, the account (for preferences and the bell).
struct Recipient: Sendable {
    var email: String
    var name: String
    var user: User?
}

/// Sends letters as each person chose (DESIGN.md, "Mail"): essential ones always by email; the others by email at once,
/// in a daily or weekly digest, or in Upward only. A person with an account also finds every letter (but account
/// messages) under the bell. Joins the caller's write transaction: the change and its message, together or not at all.
struct Notifier {
    let database: any Database
    let clock: UpwardClock

    /// The one-click unsubscribe page of a person's key for a kind (or a digest).
    static func unsubscribePath(token: String, topic: String) -> String {
        WebRoute.unsubscribe.link(token, topic)
    }

    /// The recipients of these people, with their accounts (a deactivated one too: it is not mailed), in one query.
    static func recipients(_ people: [Person], on database: any Database) async throws -> [Recipient] {
        let ids = people.compactMap(\.id)
        let users = ids.isEmpty ? [] : try await User.query(on: database).filter(\.$person.$id ~~ ids).all()
        // A person with an active account and an old deactivated one is reached through the active one.
        let byPerson = Dictionary(users.compactMap { user in user.$person.id.map { ($0, user) } }, uniquingKeysWith: { a, b in a.isActive ? a : b })
        return people.map { Recipient(email: $0.email, name: $0.name, user: $0.id.flatMap { byPerson[$0] }) }
    }

    static func recipient(_ person: Person, on database: any Database) async throws -> Recipient {
        try await recipients([person], on: database)[0]
    }

    static func recipient(_ user: User) -> Recipient {
        Recipient(email: user.email, name: user.name, user: user)
    }

    /// Sends `letter`; with a `dedupeKey` already used for this person, nothing is sent and false comes back.
    @discardableResult
    func send(_ letter: Letter, to recipient: Recipient, dedupeKey: String? = nil) async throws -> Bool {
        try await database.writeTransaction { db in
            if let user = recipient.user, !user.isActive {
                // A deactivated account (someone who left): only what they must have, by email.
                guard letter.kind.isEssential else { return false }
                try await Self.outbox(letter, to: recipient.email, unsubscribe: nil).create(on: db)
                return true
            }
            guard let user = recipient.user, let userID = user.id else {
                // No account to keep choices or a bell: the address itself keeps what it stopped.
                var unsubscribe: String?
                if !letter.kind.isEssential {
                    let address = try await Self.address(recipient.email, on: db)
                    if address.stoppedKinds.contains(letter.kind) { return false }
                    unsubscribe = Self.unsubscribePath(token: address.unsubscribeToken, topic: letter.kind.rawValue)
                }
                try await Self.outbox(letter, to: recipient.email, unsubscribe: unsubscribe).create(on: db)
                return true
            }
            let delivery = letter.kind.isEssential ? .email : try await Self.delivery(of: letter.kind, for: userID, on: db)
            if letter.kind.isShownInApp {
                let note = AppNotification()
                note.id = UUID()
                note.$user.id = userID
                note.kind = letter.kind
                note.subject = letter.subject
                note.body = letter.body
                note.link = letter.path
                note.createdAt = clock.now()
                note.digest = [.daily, .weekly].contains(delivery) ? delivery : nil
                note.dedupeKey = dedupeKey
                // A key already used (by an earlier round, or another instance a moment ago): nothing more is sent.
                guard try await Self.insert(note, on: db) else { return false }
            }
            if delivery == .email {
                let unsubscribe = letter.kind.isEssential ? nil : Self.unsubscribePath(token: try await Self.unsubscribeToken(user, on: db), topic: letter.kind.rawValue)
                try await Self.outbox(letter, to: recipient.email, unsubscribe: unsubscribe).create(on: db)
            }
            return true
        }
    }

    /// The person's choice for `kind`, or email at once.
    static func delivery(of kind: NotificationKind, for userID: UUID, on db: any Database) async throws -> NotificationDelivery {
        try await NotificationPreference.query(on: db).filter(\.$user.$id == userID).filter(\.$kind == kind).first()?.delivery ?? .email
    }

    /// Writes the notification; with a dedupe key already taken, writes nothing and returns false. One statement
    /// (`ON CONFLICT DO NOTHING`), so two instances sending the same reminder at once never fail each other.
    static func insert(_ note: AppNotification, on db: any Database) async throws -> Bool {
        guard let key = note.dedupeKey else {
            try await note.create(on: db)
            return true
        }
        struct Inserted: Decodable { var id: UUID }
        let rows = try await db.requireSQL().insert(into: AppNotification.schema)
            .columns("id", "user_id", "kind", "subject", "body", "link", "created_at", "digest", "dedupe_key")
            .values(SQLBind(note.id ?? UUID()), SQLBind(note.$user.id), SQLBind(note.kind.rawValue), SQLBind(note.subject), SQLBind(note.body),
                    SQLBind(note.link), SQLBind(note.createdAt), SQLBind(note.digest?.rawValue), SQLBind(key))
            .ignoringConflicts(with: "dedupe_key")
            .returning("id")
            .all(decoding: Inserted.self)
        return !rows.isEmpty
    }

    /// The person's unsubscribe key, made the first time it is needed (inside the caller's write transaction). Set
    /// only where none is yet, then read back: two writers at once agree on one key, and no sent link stops working.
    static func unsubscribeToken(_ user: User, on db: any Database) async throws -> String {
        if let token = user.unsubscribeToken { return token }
        let id = try user.requireID()
        try await User.query(on: db).filter(\.$id == id).filter(\.$unsubscribeToken == nil).set(\.$unsubscribeToken, to: Secrets.newToken()).update()
        guard let token = try await User.query(on: db).filter(\.$id == id).first()?.unsubscribeToken else {
            throw Abort(.internalServerError, reason: "The account to write to is gone.")
        }
        user.unsubscribeToken = token
        return token
    }

    /// The row of an address without an account, made the first time it is written to (`ON CONFLICT DO NOTHING`,
    /// then read: two writers at once share one row).
    static func address(_ email: String, on db: any Database) async throws -> MailAddress {
        let email = email.lowercased()
        if let found = try await MailAddress.query(on: db).filter(\.$email == email).first() { return found }
        try await db.requireSQL().insert(into: MailAddress.schema)
            .columns("id", "email", "unsubscribe_token", "stopped")
            .values(SQLBind(UUID()), SQLBind(email), SQLBind(Secrets.newToken()), SQLBind(""))
            .ignoringConflicts(with: "email")
            .run()
        guard let address = try await MailAddress.query(on: db).filter(\.$email == email).first() else {
            throw Abort(.internalServerError, reason: "Could not keep the address \(email).")
        }
        return address
    }

    static func outbox(_ letter: Letter, to email: String, unsubscribe: String?) -> OutboxMessage {
        let message = OutboxMessage(recipient: email, subject: letter.subject, body: letter.body)
        message.unsubscribePath = unsubscribe
        message.kind = letter.kind.rawValue
        message.calendarMethod = letter.calendar?.method
        message.calendarICS = letter.calendar?.ics
        return message
    }
}
