import Fluent
import Foundation

/// What a message is about. Each person chooses, per kind, how it reaches them (`NotificationDelivery`); essential
/// kinds always go by email, because without them a person cannot sign in or answer in time.
enum NotificationKind: String, Codable, CaseIterable, Sendable {
    case accountInvitation = "account.invitation"
    case passwordReset = "account.reset"
    /// A proposed match waiting for the person's answer, and its reminder.
    case consentRequest = "match.consent"
    case programmeInvitation = "programme.invitation"
    /// Application received; selected, waitlisted (with position), declined; promoted from the waiting list.
    case applicationUpdate = "programme.application"
    case enrolmentClosing = "programme.closing"
    /// Pairing active (with the agreement to sign), pairing ended.
    case pairingUpdate = "pairing.status"
    /// A meeting planned, moved or cancelled, with the calendar invitation's update.
    case meetingChange = "meeting.change"
    /// 24 hours before a meeting, and the "log it" prompt after it.
    case meetingReminder = "meeting.reminder"
    case checkInDue = "checkin.due"
    /// The coordinator's weekly look at their programmes' health and open alerts.
    case coordinatorDigest = "coordinator.digest"

    var isEssential: Bool { [.accountInvitation, .passwordReset, .consentRequest].contains(self) }

    /// Account messages reach people before they can sign in: they have no in-app copy.
    var isShownInApp: Bool { ![.accountInvitation, .passwordReset].contains(self) }

    /// Shown on the preferences page, in this order.
    static var choosable: [NotificationKind] { allCases.filter { !$0.isEssential } }

    var label: String {
        switch self {
        case .accountInvitation: "Invitation to Upward"
        case .passwordReset: "Password reset"
        case .consentRequest: "A proposed match waiting for your answer"
        case .programmeInvitation: "Invitations to programmes"
        case .applicationUpdate: "Your applications: received, selected, waiting list"
        case .enrolmentClosing: "Enrolment closing soon"
        case .pairingUpdate: "Your pairings starting and ending"
        case .meetingChange: "Meetings planned, moved or cancelled"
        case .meetingReminder: "Meeting reminders and \"log it\" prompts"
        case .checkInDue: "Check-ins due"
        case .coordinatorDigest: "Weekly summary of your programmes"
        }
    }

    /// The ways this kind may reach a person: a digest of the weekly summary would only delay it.
    var deliveries: [NotificationDelivery] {
        self == .coordinatorDigest ? [.email, .inApp] : NotificationDelivery.allCases
    }
}

/// How one kind of message reaches a person.
enum NotificationDelivery: String, Codable, CaseIterable, Sendable {
    case email
    case daily
    case weekly
    case inApp = "in-app"

    var label: String {
        switch self {
        case .email: "Email at once"
        case .daily: "Daily digest"
        case .weekly: "Weekly digest"
        case .inApp: "In Upward only"
        }
    }
}

/// A message as a person reads it in Upward (the bell), and, when they chose a digest, waiting for it.
final class AppNotification: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Enum(key: "kind") var kind: NotificationKind
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    /// The page it is about (a path in Upward).
    @OptionalField(key: "link") var link: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?
    /// `daily` or `weekly` while it waits for that digest.
    @OptionalEnum(key: "digest") var digest: NotificationDelivery?
    @OptionalField(key: "digested_at") var digestedAt: Date?
    /// Set by scheduled reminders so each goes once (`meeting-reminder:…`).
    @OptionalField(key: "dedupe_key") var dedupeKey: String?

    init() {}
}

/// A person's choice for one kind; without a row, the kind goes by email at once.
final class NotificationPreference: Model, @unchecked Sendable {
    static let schema = "notification_preferences"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Enum(key: "kind") var kind: NotificationKind
    @Enum(key: "delivery") var delivery: NotificationDelivery

    init() {}
}

/// Someone Upward writes to who has no account (a person invited to a programme before they ever signed in): the key of
/// their one-click unsubscribe links, and the kinds they stopped. With an account, the account's choices apply instead.
final class MailAddress: Model, @unchecked Sendable {
    static let schema = "mail_addresses"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "unsubscribe_token") var unsubscribeToken: String
    /// The kinds this address stopped, comma-separated raw values.
    @Field(key: "stopped") var stopped: String

    init() {}

    var stoppedKinds: Set<NotificationKind> { Set(stopped.split(separator: ",").compactMap { NotificationKind(rawValue: String($0)) }) }
}
