import Fluent
import Foundation

/// planned → held | cancelled | missed. A rescheduled meeting stays planned with a new time and a higher sequence.
enum MeetingStatus: String, Codable, CaseIterable, Sendable {
    case planned, held, cancelled, missed

    var label: String { rawValue.capitalized }
}

/// A meeting planned for a particular reason.
enum MeetingPurpose: String, Codable, Sendable {
    /// A brainstorming session on goals that are not moving (the seeds' "schedule a brainstorming session").
    case rethink
}

/// One meeting of a pairing (for a board, of the board holder with one advisor).
final class Meeting: Model, @unchecked Sendable {
    static let schema = "meetings"

    @ID(key: .id) var id: UUID?
    @Parent(key: "pairing_id") var pairing: Pairing
    /// On an advisory board: the advisor (person id) this meeting is with; nil when it is the whole pairing's.
    @OptionalField(key: "advisor_id") var advisorID: UUID?
    /// The session number in the programme's plan; nil for an extra meeting or one logged after the fact.
    @OptionalField(key: "session") var session: Int?
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Enum(key: "status") var status: MeetingStatus
    /// iCalendar SEQUENCE: raised on every change of time or place, and on cancellation.
    @Field(key: "sequence") var sequence: Int
    @Field(key: "agenda") var agenda: String
    /// The programme's conversation starter for this session, if it has any.
    @OptionalField(key: "starter") var starter: String?
    @OptionalField(key: "location") var location: String?
    /// Why the planned time is not inside everyone's availability, when it is not.
    @OptionalField(key: "fit_note") var fitNote: String?
    @OptionalEnum(key: "cancelled_by_side") var cancelledBySide: MemberSide?
    @OptionalField(key: "cancel_reason") var cancelReason: String?
    /// Recorded by the pair after the fact ("Log a meeting we had"), not planned.
    @Field(key: "logged") var logged: Bool
    /// Why it was planned beyond the programme's cadence: `rethink` for a re-think session; nil otherwise.
    @OptionalEnum(key: "purpose") var purpose: MeetingPurpose?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

enum MeetingEventKind: String, Codable, Sendable {
    case planned, rescheduled, held, cancelled, missed, logged, moved
}

/// The history of a meeting: each reschedule with the old and new time, and each change of status.
final class MeetingEvent: Model, @unchecked Sendable {
    static let schema = "meeting_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: Meeting
    @Enum(key: "kind") var kind: MeetingEventKind
    @OptionalField(key: "from_start") var fromStart: Date?
    @OptionalField(key: "to_start") var toStart: Date?
    @OptionalField(key: "by_person") var byPerson: UUID?
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "at") var at: Date

    init() {}
}
