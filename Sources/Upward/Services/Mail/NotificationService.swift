import Fluent
import Foundation
import SQLKit
import Vapor

/// A person's notifications (the bell), their choices of how each kind reaches them, and one-click unsubscribing.
struct NotificationService {
    let database: any Database
    var clock: UpwardClock = .system

    static let maxPer = 100

    /// A page of the person's notifications, newest first, with how many there are and how many are unread.
    func page(for userID: UUID, _ page: PageRequest) async throws -> (items: [AppNotification], total: Int, unread: Int) {
        let query = AppNotification.query(on: database).filter(\.$user.$id == userID)
        let total = try await query.copy().count()
        let unread = try await unreadCount(for: userID)
        let items = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(page.offset..<(page.offset + page.per)).all()
        return (items, total, unread)
    }

    /// The bell's number: one indexed count.
    func unreadCount(for userID: UUID) async throws -> Int {
        try await AppNotification.query(on: database).filter(\.$user.$id == userID).filter(\.$readAt == nil).count()
    }

    /// Marks these notifications of the person read (all of them without ids); returns how many changed.
    @discardableResult
    func markRead(for userID: UUID, ids: [UUID]?) async throws -> Int {
        let now = clock.now()
        return try await database.writeTransaction { db in
            var query = AppNotification.query(on: db).filter(\.$user.$id == userID).filter(\.$readAt == nil)
            if let ids { query = query.filter(\.$id ~~ ids) }
            let count = try await query.copy().count()
            try await query.set(\.$readAt, to: now).update()
            return count
        }
    }

    /// The page one of the person's notifications is about: a path in Upward, or nil.
    func link(of id: UUID, for userID: UUID) async throws -> String? {
        guard let link = try await AppNotification.query(on: database).filter(\.$id == id).filter(\.$user.$id == userID).first()?.link,
              link.hasPrefix("/"), !link.hasPrefix("//"), !link.contains("\\") else { return nil }
        return link
    }

    /// Every choosable kind with the person's choice (email at once where they made none).
    func preferences(for userID: UUID) async throws -> [(kind: NotificationKind, delivery: NotificationDelivery)] {
        let rows = try await NotificationPreference.query(on: database).filter(\.$user.$id == userID).all()
        let chosen = Dictionary(rows.map { ($0.kind, $0.delivery) }, uniquingKeysWith: { a, _ in a })
        return NotificationKind.choosable.map { ($0, chosen[$0] ?? .email) }
    }

    /// Sets the person's choices for the kinds given (others stay as they are). A kind that is essential, or a way
    /// that kind cannot travel, is refused with the field named, and nothing changes.
    func setPreferences(for userID: UUID, _ choices: [NotificationKind: NotificationDelivery]) async throws {
        var issues: [FieldIssue] = []
        for (kind, delivery) in choices.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if kind.isEssential {
                issues.append(FieldIssue(field: kind.rawValue, message: "\(kind.label) always goes by email: it cannot be changed."))
            } else if !kind.deliveries.contains(delivery) {
                issues.append(FieldIssue(field: kind.rawValue, message: "\(kind.label) can go as: \(kind.deliveries.map(\.rawValue).joined(separator: ", "))."))
            }
        }
        if !issues.isEmpty { throw InvalidInput(issues: issues) }
        try await database.writeTransaction { db in
            try await Self.store(choices, for: userID, on: db)
        }
    }

    /// Stores the choices (one upsert each, so two changes at once cannot collide) and moves what already waits for a
    /// digest to the way now chosen: a stopped or changed kind is never mailed in a digest afterwards.
    private static func store(_ choices: [NotificationKind: NotificationDelivery], for userID: UUID, on db: any Database) async throws {
        let sql = try db.requireSQL()
        for (kind, delivery) in choices.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try await sql.insert(into: NotificationPreference.schema)
                .columns("id", "user_id", "kind", "delivery")
                .values(SQLBind(UUID()), SQLBind(userID), SQLBind(kind.rawValue), SQLBind(delivery.rawValue))
                .onConflict(with: ["user_id", "kind"]) { $0.set(excludedValueOf: "delivery") }
                .run()
            let digest: NotificationDelivery? = [.daily, .weekly].contains(delivery) ? delivery : nil
            try await AppNotification.query(on: db).filter(\.$user.$id == userID).filter(\.$kind == kind)
                .filter(\.$digest != nil).filter(\.$digestedAt == nil).set(\.$digest, to: digest).update()
        }
    }

    // MARK: One-click unsubscribe

    /// What an unsubscribe address stands for: whose key, and which kinds (one kind, or every kind on a digest).
    struct Unsubscription: Sendable {
        /// Whose: an account, or an address without one.
        enum Owner: Sendable { case user(User), address(MailAddress) }
        var owner: Owner
        var kinds: [NotificationKind]
        var topicLabel: String

        var hasAccount: Bool {
            if case .user = owner { return true }
            return false
        }

        var email: String {
            switch owner {
            case .user(let user): user.email
            case .address(let address): address.email
            }
        }
    }

    /// The digest topics an unsubscribe address may name besides a kind.
    static func digestTopic(_ delivery: NotificationDelivery) -> String { "digest.\(delivery.rawValue)" }

    /// Reads an unsubscribe address without changing anything (a mail scanner may open it), or nil when it is unknown.
    func unsubscription(token: String, topic: String) async throws -> Unsubscription? {
        guard !token.isEmpty else { return nil }
        let kind = NotificationKind(rawValue: topic).flatMap { $0.isEssential ? nil : $0 }
        let label = kind.map { $0.label.prefix(1).lowercased() + $0.label.dropFirst() }
        guard let user = try await User.query(on: database).filter(\.$unsubscribeToken == token).first(), let userID = user.id else {
            guard let kind, let label, let address = try await MailAddress.query(on: database).filter(\.$unsubscribeToken == token).first() else { return nil }
            return Unsubscription(owner: .address(address), kinds: [kind], topicLabel: label)
        }
        if let kind, let label { return Unsubscription(owner: .user(user), kinds: [kind], topicLabel: label) }
        for delivery in [NotificationDelivery.daily, .weekly] where topic == Self.digestTopic(delivery) {
            let kinds = try await preferences(for: userID).filter { $0.delivery == delivery }.map(\.kind)
            return Unsubscription(owner: .user(user), kinds: kinds, topicLabel: "your \(delivery.label.lowercased())")
        }
        return nil
    }

    /// Stops mail of the address's kinds: they stay in Upward (under the bell) only. Works without signing in.
    func unsubscribe(_ unsubscription: Unsubscription) async throws {
        switch unsubscription.owner {
        case .user(let user):
            let userID = try user.requireID()
            try await database.writeTransaction { db in
                try await Self.store(Dictionary(uniqueKeysWithValues: unsubscription.kinds.map { ($0, .inApp) }), for: userID, on: db)
            }
        case .address(let address):
            let id = try address.requireID()
            try await database.writeTransaction { db in
                guard let row = try await MailAddress.find(id, on: db) else { return }
                row.stopped = row.stoppedKinds.union(unsubscription.kinds).map(\.rawValue).sorted().joined(separator: ",")
                try await row.save(on: db)
            }
        }
    }
}
