import Fluent
import Foundation

/// A member's note on a meeting or on the pairing. Private to its author unless shared with the partner(s);
/// no coordinator, admin or sponsor can read any note.
final class Note: Model, @unchecked Sendable {
    static let schema = "notes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pairing_id") var pairing: Pairing
    @OptionalParent(key: "meeting_id") var meeting: Meeting?
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "text") var text: String
    @Field(key: "shared") var shared: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A person's private calendar feed: the digest of the secret in its address. A new address replaces the old one.
final class CalendarFeed: Model, @unchecked Sendable {
    static let schema = "calendar_feeds"

    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
