import Fluent

/// In-app notifications, each person's choice of how each kind reaches them, the key of their one-click unsubscribe
/// links, and what an outgoing message carries besides its text (the unsubscribe address, a calendar invitation).
struct M015_Notifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AppNotification.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("link", .string)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .field("digest", .string)
            .field("digested_at", .datetime)
            .field("dedupe_key", .string)
            .unique(on: "dedupe_key")
            .create()
        try await Indexes.create("notifications_user", on: AppNotification.schema, columns: ["user_id", "created_at"], in: database)
        try await Indexes.create("notifications_unread", on: AppNotification.schema, columns: ["user_id", "read_at"], in: database)
        try await Indexes.create("notifications_digest", on: AppNotification.schema, columns: ["digest", "digested_at", "created_at"], in: database)
        try await database.schema(NotificationPreference.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("delivery", .string, .required)
            .unique(on: "user_id", "kind")
            .create()
        try await database.schema(MailAddress.schema)
            .id()
            .field("email", .string, .required)
            .field("unsubscribe_token", .string, .required)
            .field("stopped", .string, .required)
            .unique(on: "email")
            .unique(on: "unsubscribe_token")
            .create()
        try await database.schema(User.schema).field("unsubscribe_token", .string).update()
        try await Indexes.create("users_unsubscribe", on: User.schema, columns: ["unsubscribe_token"], in: database)
        for name in ["unsubscribe_path", "calendar_method", "calendar_ics", "kind"] {
            try await database.schema(OutboxMessage.schema).field(FieldKey(stringLiteral: name), .string).update()
        }
    }

    func revert(on database: any Database) async throws {
        for name in ["kind", "calendar_ics", "calendar_method", "unsubscribe_path"] {
            try await database.schema(OutboxMessage.schema).deleteField(FieldKey(stringLiteral: name)).update()
        }
        try await database.requireSQL().drop(index: "users_unsubscribe").run()
        try await database.schema(User.schema).deleteField("unsubscribe_token").update()
        try await database.schema(NotificationPreference.schema).delete()
        try await database.schema(MailAddress.schema).delete()
        try await database.schema(AppNotification.schema).delete()
    }
}
