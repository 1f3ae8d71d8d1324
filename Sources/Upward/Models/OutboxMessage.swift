import Fluent
import Foundation

/// Where a message is on its way out.
enum OutboxStatus: String, Codable, CaseIterable, Sendable {
    /// Waiting to be sent (again, after a temporary failure, from `nextAttemptAt`).
    case pending
    /// Claimed by a delivery worker that is talking to the mail server.
    case sending
    case sent
    /// Refused for good (a 5xx reply) or out of attempts: `lastError` says why.
    case failed
    /// Cancelled by an admin before it went.
    case cancelled
}

/// A message on its way out: written in the same transaction as the change that caused it, then delivered over SMTP
/// by `MailDelivery` (or read on the outbox page when no mail server is configured).
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "outbox_messages"

    @ID(key: .id) var id: UUID?
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Enum(key: "status") var status: OutboxStatus
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "claimed_by") var claimedBy: String?
    @OptionalField(key: "claimed_at") var claimedAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    /// The mail server's reply to the message (`250 2.0.0 Ok: queued as …`).
    @OptionalField(key: "reply") var reply: String?
    @OptionalField(key: "sent_at") var sentAt: Date?
    /// `<uuid@upward>`, fixed when the message is written: every attempt carries the same one.
    @OptionalField(key: "message_id") var messageID: String?
    /// The one-click unsubscribe page for this message's kind (a path in Upward); none for essential messages.
    @OptionalField(key: "unsubscribe_path") var unsubscribePath: String?
    /// A meeting invitation (`REQUEST`) or its cancellation (`CANCEL`), sent as a `text/calendar` part.
    @OptionalField(key: "calendar_method") var calendarMethod: String?
    @OptionalField(key: "calendar_ics") var calendarICS: String?
    /// What it is about (a `NotificationKind`, or `digest`); nil for messages written before kinds were kept.
    @OptionalField(key: "kind") var kind: String?

    init() {}

    init(recipient: String, subject: String, body: String) {
        self.recipient = recipient
        self.subject = subject
        self.body = body
        status = .pending
        attempts = 0
        messageID = "<\(UUID().uuidString.lowercased())@upward>"
    }

    /// What an admin may read of the text. Account messages hold a working one-time sign-in link: while mail is
    /// delivered (nobody has to forward them by hand) the text is withheld, so reading the outbox cannot take over an account.
    func bodyForAdmins(mailIsDelivered: Bool) -> String {
        guard mailIsDelivered, let kind, [NotificationKind.accountInvitation, .passwordReset].map(\.rawValue).contains(kind) else { return body }
        return "(Withheld: this message holds a one-time sign-in link for \(recipient). If it did not arrive, they can ask for a new link.)"
    }

    /// The Message-ID this message goes out with: its own, or one made from its id for rows written before there was one.
    var effectiveMessageID: String { messageID ?? "<\(id?.uuidString.lowercased() ?? UUID().uuidString.lowercased())@upward>" }
}
